// Builds what the benchmarks run: the C load generators (cc), the TypeScript (dist/), and the addon if
// `npm ci` did not build it. Each step reports what it did; a failed step is a value, not a throw.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
export const OUT = join(ROOT, 'bench', 'out');
export const ADDON = join(ROOT, 'build', 'Release', 'cntop_connector.node');
export const CLI = join(ROOT, 'dist', 'main.js');

const C_PROGRAMS = ['storm', 'idle-swarm'];

function run(command, args, label) {
  try {
    execFileSync(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    return { ok: true, label };
  } catch (e) {
    const detail = `${e.stderr ?? ''}${e.stdout ?? ''}`.trim().split('\n').slice(-8).join('\n');
    return { ok: false, label, detail };
  }
}

function newer(a, b) {
  return existsSync(b) && statSync(b).mtimeMs >= statSync(a).mtimeMs;
}

/** Compiles bench/native/*.c into bench/out/ when the binary is missing or older than its source. */
export function buildCPrograms() {
  mkdirSync(OUT, { recursive: true });
  return C_PROGRAMS.map((name) => {
    const src = join(ROOT, 'bench', 'native', `${name}.c`);
    const bin = join(OUT, name);
    if (newer(src, bin)) return { ok: true, label: `${name} (up to date)` };
    return run('cc', ['-O2', '-Wall', '-Wextra', '-o', bin, src], `cc ${name}.c`);
  });
}

export function buildTypeScript() {
  return run('npm', ['run', '--silent', 'build:ts'], 'npm run build:ts');
}

export function ensureAddon() {
  if (!existsSync(ADDON)) return run('npm', ['run', '--silent', 'build:addon'], 'npm run build:addon');
  // Not rebuilt here: build/ is shared with whatever else runs; say so, so that figures are not
  // silently taken on an old build.
  const stale = readdirSync(join(ROOT, 'addon')).filter((f) => !newer(join(ROOT, 'addon', f), ADDON));
  const label =
    stale.length === 0
      ? 'addon (already built)'
      : `addon built before changes to ${stale.join(', ')}: run npm run build:addon for figures of the current code`;
  return { ok: true, label };
}

export const bin = (name) => join(OUT, name);
