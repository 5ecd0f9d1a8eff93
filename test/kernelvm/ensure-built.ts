// The guest sees the host's files read-only, so the addon and dist/ must be built on the host first.
// Builds what is missing (the addon) and always re-emits dist/ so the guest runs the current code.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

export function ensureBuilt(distFiles: readonly string[]): { ok: true } | { ok: false; why: string } {
  const addon = path.join(REPO_ROOT, 'build/Release/cntop_connector.node');
  waitForRunningBuild(addon);
  if (!existsSync(addon)) {
    const gyp = spawnSync('npx', ['node-gyp', 'rebuild'], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (!existsSync(addon)) return { ok: false, why: `cannot build the addon: ${gyp.stderr.slice(-500)}` };
  }
  // tsc emits even when some other file has a type error; what matters is that our files exist.
  spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: REPO_ROOT, encoding: 'utf8' });
  const missing = distFiles.filter((file) => !existsSync(path.join(REPO_ROOT, file)));
  return missing.length === 0 ? { ok: true } : { ok: false, why: `not built: ${missing.join(', ')}` };
}

/** Another process may be in the middle of `node-gyp rebuild` (build/ exists, the .node not yet). */
function waitForRunningBuild(addon: string): void {
  for (let waited = 0; waited < 180 && !existsSync(addon) && existsSync(path.dirname(addon)); waited += 2) {
    spawnSync('sleep', ['2']);
  }
}
