// Puts `cntop` into this checkout's node_modules/.bin, so that `npx cntop …` in a clone runs the
// checkout's own build at once. Without it npm 11 copies the whole clone into its npx cache and
// rebuilds the addon there (about 40 s) before the first run.
// Does nothing when cntop is installed as a dependency of something else.
import { existsSync, lstatSync, mkdirSync, symlinkSync, unlinkSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
if (basename(dirname(root)) === 'node_modules' || !existsSync(join(root, 'node_modules'))) process.exit(0);

const binDir = join(root, 'node_modules', '.bin');
const link = join(binDir, 'cntop');
mkdirSync(binDir, { recursive: true });
try {
  if (lstatSync(link)) unlinkSync(link);
} catch {
  // No previous link: nothing to remove.
}
symlinkSync(join('..', '..', 'dist', 'main.js'), link);
