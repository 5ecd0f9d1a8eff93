// The guest sees the host's files read-only, so the addon and dist/ must be built on the host first.
// Builds what is missing (the addon) and always re-emits dist/ so the guest runs the current code.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
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

/**
 * A private copy of what the guest runs (package.json, dist/, the addon, the guest scripts), laid out
 * like the repository so relative imports hold. Other work may rebuild build/ or dist/ while a guest
 * boots, and the guest reads files lazily: without the copy it can find them half-written or gone.
 * Lives under node_modules/.cache (ignored by git, untouched by node-gyp rebuild). Remove with rmSync.
 */
export function snapshotForGuest(
  extraFiles: readonly string[],
): { ok: true; dir: string } | { ok: false; why: string } {
  const cacheDir = path.join(REPO_ROOT, 'node_modules/.cache/cntop-kernelvm');
  mkdirSync(cacheDir, { recursive: true });
  const dir = mkdtempSync(path.join(cacheDir, 'run-'));
  const addon = 'build/Release/cntop_connector.node';
  waitForRunningBuild(path.join(REPO_ROOT, addon));
  try {
    for (const file of ['package.json', addon, ...extraFiles]) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      copyFileSync(path.join(REPO_ROOT, file), path.join(dir, file));
    }
    cpSync(path.join(REPO_ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true });
    symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return {
      ok: false,
      why: `cannot copy the build for the guest: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  return { ok: true, dir };
}
