// Replaces tsc's dist/main.js with one bundled file of cntop's own modules (esbuild), run by
// `npm run build:ts` after tsc. Node resolves, reads and compiles each ES module of a graph one by one:
// the viewer's ~100 files cost ~90 ms of CPU at start-up, a single file a fraction of it (docs/BENCHMARKS.md).
// The rest of dist/ stays tsc's, module by module (tests and bench probes import them).
// Packages stay outside the bundle (blessed finds its terminfo files next to its own modules).
// Without esbuild (a production install) tsc's dist/main.js is kept as is: same behaviour, slower start.
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  process.stderr.write('cntop: esbuild is not installed; dist/main.js stays unbundled (slower start-up)\n');
  process.exit(0);
}

/**
 * Each module's import.meta.url becomes the URL it has in tsc's dist/ (src/native/load-addon.ts sees
 * dist/native/load-addon.js), so paths computed from it (the addon, package.json) hold in the bundle.
 */
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const asBuilt = './' + relative(src, args.path).replace(/\.ts$/, '.js').split('\\').join('/');
      return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(asBuilt)}, import.meta.url).href`), loader: 'ts' };
    });
  },
};

await esbuild.build({
  entryPoints: [join(src, 'main.ts')],
  outfile: join(root, 'dist', 'main.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  allowOverwrite: true,
  logLevel: 'warning',
  plugins: [keepModuleUrls],
});
