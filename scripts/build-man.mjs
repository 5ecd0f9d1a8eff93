// Writes man/cntop.1 from the compiled usage spec and key tables (dist/cli/man/man-page.js), for the
// package's "man" entry: run after build:ts, by `npm pack` (prepack) and `npm run build:man`.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { renderManPage } = await import(join(root, 'dist/cli/man/man-page.js'));
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
mkdirSync(join(root, 'man'), { recursive: true });
writeFileSync(join(root, 'man/cntop.1'), renderManPage(version));
console.log(`build-man: wrote man/cntop.1 (cntop ${version})`);
