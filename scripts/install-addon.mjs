// npm's install step for the native addon.
// In a git checkout: always compile (node-gyp rebuild), exactly as before prebuilts existed, so that
// a pull that changed addon/ is never answered by an older build/ or prebuilds/ left lying around.
// In an installed package (no .git; npm never packs it): node-gyp-build keeps a prebuilt that loads
// on this machine (prebuilds/linux-<arch>, glibc) and compiles only when none does.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const inCheckout = existsSync(join(root, '.git'));
// npm puts both node-gyp (its own copy) and node-gyp-build (our dependency) on the scripts' PATH.
const [command, args] = inCheckout ? ['node-gyp', ['rebuild']] : ['node-gyp-build', []];
const run = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
if (run.error) {
  console.error(`cntop: cannot run ${command}: ${run.error.message}`);
  process.exit(1);
}
process.exit(run.status ?? 1);
