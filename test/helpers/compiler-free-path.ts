// A PATH on which a server without build tools would stand: a directory of symlinks to node, npm,
// npx and sh only (npm runs lifecycle scripts with sh). No cc, gcc, g++, make or python3, so nothing
// can be compiled through it: node-gyp finds no Python and stops.
import { spawnSync } from 'node:child_process';
import { mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import path from 'node:path';

const TOOLS = ['node', 'npm', 'npx', 'sh'] as const;
export const BUILD_TOOLS = ['cc', 'gcc', 'c++', 'g++', 'make', 'python3', 'python'] as const;

/** Where `command` lives on the current PATH, or null. */
function locate(command: string): string | null {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : null;
}

/** Creates dir/bin with the tools above and returns it, for use as the whole PATH. */
export function makeCompilerFreePath(dir: string): string {
  const bin = path.join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  for (const tool of TOOLS) {
    const where = tool === 'node' ? process.execPath : locate(tool);
    if (where === null) throw new Error(`${tool} is not on PATH`);
    symlinkSync(realpathSync(where), path.join(bin, tool));
  }
  return bin;
}

/** The build tools a shell finds on pathValue (should be none). */
export function buildToolsOn(pathValue: string): string[] {
  return BUILD_TOOLS.filter(
    (tool) => spawnSync('/bin/sh', ['-c', `command -v ${tool}`], { env: { PATH: pathValue } }).status === 0,
  );
}
