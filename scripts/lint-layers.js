// The direction of cntop's layers, as lint rules. core is the model and knows nothing of how events
// arrive (native/), how they are shown (ui/) or stored (record/); every other layer builds on core,
// and only cli/ (the composition root) wires them together. Read by eslint.config.js and checked by
// test/unit/lint-layers.test.ts, which lints an offending import in each layer.

const layers = ['core', 'native', 'ui', 'record', 'exporter', 'cli'];

/** Which of cntop's own layers, and which packages, each layer may not import. */
export const forbidden = {
  core: {
    layers: ['native', 'ui', 'record', 'exporter', 'cli'],
    packages: ['blessed', 'blessed-contrib', 'better-sqlite3', 'prom-client', 'node-gyp-build'],
  },
  native: {
    layers: ['ui', 'record', 'exporter', 'cli'],
    packages: ['blessed', 'blessed-contrib', 'better-sqlite3', 'prom-client'],
  },
  ui: {
    layers: ['native', 'record', 'exporter', 'cli'],
    packages: ['better-sqlite3', 'prom-client', 'node-gyp-build'],
  },
  record: {
    layers: ['native', 'ui', 'exporter', 'cli'],
    packages: ['blessed', 'blessed-contrib', 'prom-client', 'node-gyp-build'],
  },
  exporter: {
    layers: ['native', 'ui', 'record', 'cli'],
    packages: ['blessed', 'blessed-contrib', 'better-sqlite3', 'node-gyp-build'],
  },
  cli: { layers: [], packages: [] },
};

// Package names hold only letters, digits, '-', '.' and '/'; of those only '.' means something in a
// regular expression (and the rule compiles its patterns in unicode mode, where '\-' is an error).
const escape = (s) => s.replaceAll('.', '\\.');

function ruleFor(layer) {
  const { layers: banned, packages } = forbidden[layer];
  const patterns = [];
  if (banned.length > 0) {
    // A relative path that climbs out of the layer and into another: '../ui/x.js',
    // '../../native/y.js'. No layer has a subdirectory named after another layer, so the name after
    // the last '../' is the layer the import lands in.
    patterns.push({
      regex: `^(\\.\\./)+(src/)?(${banned.join('|')})(/|$)`,
      message: `src/${layer} may not import from ${banned.map((b) => `src/${b}`).join(', ')}: the layers point one way (see docs/DEVELOPMENT.md).`,
    });
  }
  if (packages.length > 0) {
    patterns.push({
      regex: `^(${packages.map(escape).join('|')})(/|$)`,
      message: `src/${layer} may not depend on ${packages.join(', ')}: that belongs to another layer.`,
    });
  }
  return {
    files: [`src/${layer}/**/*.ts`],
    rules: patterns.length > 0 ? { 'no-restricted-imports': ['error', { patterns }] } : {},
  };
}

export const layerRules = layers.map(ruleFor);
