// The layer rules in eslint.config.js really fire: each layer importing a layer it may not (and a
// package that belongs to another layer) is an error, and the imports the design allows are not.
// Linted through the project's own config, as `npm run lint` does, on a file of that layer.
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// The design, stated here on its own so that loosening scripts/lint-layers.js fails this test.
const forbidden: Record<string, { layers: string[]; packages: string[] }> = {
  core: {
    layers: ['native', 'ui', 'record', 'exporter', 'cli'],
    packages: ['blessed', 'blessed-contrib', 'better-sqlite3', 'prom-client', 'node-gyp-build'],
  },
  native: { layers: ['ui', 'record', 'exporter', 'cli'], packages: ['blessed', 'better-sqlite3', 'prom-client'] },
  ui: { layers: ['native', 'record', 'exporter', 'cli'], packages: ['better-sqlite3', 'prom-client'] },
  record: { layers: ['native', 'ui', 'exporter', 'cli'], packages: ['blessed', 'prom-client'] },
  exporter: { layers: ['native', 'ui', 'record', 'cli'], packages: ['blessed', 'better-sqlite3'] },
};

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

/** An existing file of the layer, so the type-aware parser knows it; its text is replaced. */
const FILE_OF: Record<string, string> = {
  core: 'src/core/clock.ts',
  native: 'src/native/ack-cookie.ts',
  ui: 'src/ui/format.ts',
  record: 'src/record/units.ts',
  exporter: 'src/exporter/exit-outcome.ts',
  cli: 'src/cli/json-safe.ts',
};

async function layerErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport const used = imported;\n`, { filePath: file });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('lint keeps the layers pointing one way', () => {
  // The first lint builds the TypeScript program for the type-aware rules: seconds, once.
  beforeAll(async () => {
    await eslint.lintText('export {};\n', { filePath: FILE_OF.core ?? '' });
  }, 60_000);

  for (const [layer, banned] of Object.entries(forbidden)) {
    const file = FILE_OF[layer] ?? '';
    for (const other of banned.layers) {
      it(`src/${layer} may not import src/${other}`, async () => {
        // From a file directly in the layer, and from one level down (src/core/model/…), type-only too.
        const errors = await layerErrors(file, `import type { imported } from '../${other}/anything.js';`);
        expect(errors).toHaveLength(1);
        expect(errors[0]).toContain(`src/${layer} may not import`);
        expect(await layerErrors(file, `import { imported } from '../../${other}/deep/x.js';`)).toHaveLength(1);
      });
    }
    for (const pkg of banned.packages) {
      it(`src/${layer} may not depend on ${pkg}`, async () => {
        expect(await layerErrors(file, `import imported from '${pkg}';`)).toHaveLength(1);
      });
    }
  }

  it('allows what the design allows: a layer on core, cli on everything, core on itself', async () => {
    expect(await layerErrors(FILE_OF.ui ?? '', `import { imported } from '../core/types.js';`)).toEqual([]);
    expect(await layerErrors(FILE_OF.record ?? '', `import imported from 'better-sqlite3';`)).toEqual([]);
    expect(await layerErrors(FILE_OF.cli ?? '', `import { imported } from '../native/load-addon.js';`)).toEqual([]);
    expect(await layerErrors(FILE_OF.core ?? '', `import { imported } from './model/process-table.js';`)).toEqual([]);
  });
});
