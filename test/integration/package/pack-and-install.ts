// Packs this checkout the way it is published (npm pack: prepack builds dist/, both prebuilt addons
// and the man page) and installs the tarball globally into a fresh prefix, on a PATH without a compiler.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

export const REPO = path.resolve(import.meta.dirname, '../../..');

function check(what: string, run: SpawnSyncReturns<string>): string {
  if (run.status !== 0)
    throw new Error(`${what} exited ${String(run.status)}:\n${run.stdout.slice(-2000)}\n${run.stderr.slice(-3000)}`);
  return run.stdout;
}

/** `npm pack` into outDir; returns the tarball's path. */
export function packTarball(outDir: string): string {
  check(
    'npm pack',
    spawnSync('npm', ['pack', '--pack-destination', outDir], { cwd: REPO, encoding: 'utf8', timeout: 600_000 }),
  );
  const tarball = readdirSync(outDir).find((f) => /^cntop-.*\.tgz$/.test(f));
  if (tarball === undefined) throw new Error(`npm pack left no cntop-*.tgz in ${outDir}`);
  return path.join(outDir, tarball);
}

/** `npm install -g --prefix prefix tarball` with PATH = pathValue; returns npm's whole output. */
export function installGlobally(tarball: string, prefix: string, pathValue: string): SpawnSyncReturns<string> {
  return spawnSync(
    'npm',
    ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '--foreground-scripts', tarball],
    {
      encoding: 'utf8',
      env: { ...process.env, PATH: pathValue },
      timeout: 600_000,
    },
  );
}
