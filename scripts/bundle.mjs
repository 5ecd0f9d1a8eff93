// Bundles cntop's own modules with esbuild after tsc (`npm run build:ts`): dist/bundle/ holds the
// bundled entry and one chunk per dynamic import(), and dist/main.js (the bin) becomes a two-line
// stub that imports it. Node resolves, reads and compiles each ES module of a graph one by one: the
// viewer's ~100 files cost ~90 ms of CPU at start-up, a few bundled files a fraction of that
// (docs/BENCHMARKS.md). The rest of dist/ stays tsc's, module by module (tests and probes import it).
// Packages stay outside the bundle (blessed finds its terminfo files next to its own modules), and each
// import() stays lazy: a chunk loaded when called, with the packages it imports (prom-client for the
// exporter); in one file those imports would be hoisted to the top and loaded by every command.
// Without esbuild (a production install) tsc's dist/main.js is kept as is: same behaviour, slower start.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');
const out = join(dist, 'bundle');

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
      const asBuilt = relative(out, join(dist, relative(src, args.path)))
        .replace(/\.ts$/, '.js')
        .split('\\')
        .join('/');
      return {
        contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(asBuilt)}, import.meta.url).href`),
        loader: 'ts',
      };
    });
  },
};

rmSync(out, { recursive: true, force: true });
await esbuild.build({
  entryPoints: [join(src, 'main.ts')],
  outdir: out,
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [keepModuleUrls],
});
writeFileSync(
  join(dist, 'main.js'),
  "#!/usr/bin/env node\n// The bundled entry (scripts/bundle.mjs); tsc's module graph is the rest of dist/.\nimport './bundle/main.js';\n",
);
