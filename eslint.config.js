// Lint: typescript-eslint's strict, type-checked rules on every TypeScript file, the recommended
// JavaScript rules on the scripts and benchmarks, and the rules that keep cntop's layers pointing one
// way. A finding is fixed, not silenced; the few rules relaxed below say why.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { layerRules } from './scripts/lint-layers.js';

export default defineConfig(
  {
    ignores: ['dist/', 'build/', 'prebuilds/', 'man/', 'fuzz/build/', 'bench/out/', 'node_modules/'],
  },
  js.configs.recommended,
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A switch over a union must name every member (or say default on purpose): a new event kind
      // or column added to a union then fails lint where it is not handled.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      // A promise nobody awaits loses its rejection: in a viewer that owns the terminal that is a
      // silent failure. Void it on purpose (`void p`) or handle it.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // Numbers and booleans in template literals are how a terminal UI builds text; the rule's
      // intent (no "[object Object]" or "undefined" in output) stays for everything else.
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true, allowNullish: false, allowAny: false },
      ],
      // `() => screen.render()` as a callback is how event handlers read; a `return voidCall()` in a
      // block body still fails, since that one does look like it returns something.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  ...layerRules,
);
