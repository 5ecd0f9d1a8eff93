// The terminfo shortcuts (src/ui/blessed-terminfo.ts) must leave blessed's result unchanged: the same
// terminfo chosen, the same error, and every capability writing the same bytes. Each case builds one
// Tput from a pristine copy of blessed's module and one from a second copy with the shortcuts, and
// compares them capability by capability.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installTerminfoShortcuts, isThirtyTwoBitTerminfoFile } from '../../../src/ui/blessed-terminfo.js';

const load = createRequire(import.meta.url);
const TPUT_FILE = load.resolve('blessed/lib/tput');
const BUNDLED_DIR = join(dirname(TPUT_FILE), '..', 'usr');

interface Tput {
  error: Error | null;
  terminal: string;
  info: { file: string; all: Record<string, unknown> };
  methods: Record<string, unknown>;
  features: Record<string, unknown>;
  [cap: string]: unknown;
}
type TputClass = (new (options: object) => Tput) & {
  prototype: Parameters<typeof installTerminfoShortcuts>[0]['prototype'];
};

/** A fresh copy of blessed's tput module (its own prototype), so that each copy can be patched or not. */
function freshTput(): TputClass {
  // The module cache is keyed by the resolved file: without its entry, the next load is a new copy.
  Reflect.deleteProperty(load.cache, TPUT_FILE);
  return load(TPUT_FILE) as TputClass;
}

const pristine = freshTput();
const patched = freshTput();
installTerminfoShortcuts(patched, TPUT_FILE);

/** blessed prints compile trouble on console.error: kept out of the test output. */
function quietly<T>(fn: () => T): T {
  const saved = console.error;
  console.error = () => undefined;
  try {
    return fn();
  } finally {
    console.error = saved;
  }
}

// Parameter lists wide enough for every capability (cup takes 2, sgr 9, the colour ones 1).
const PARAMS: readonly (readonly number[])[] = [
  [],
  [1],
  [5, 10],
  [0, 1, 0, 1, 0, 1, 0, 1, 0],
  [255, 3, 7, 1, 2, 3, 4, 5, 6],
];

function outputs(tput: Tput): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(tput.methods).sort()) {
    const cap = tput[key];
    if (typeof cap !== 'function') {
      out[key] = JSON.stringify(cap);
      continue;
    }
    out[key] = PARAMS.map((params) => {
      try {
        return JSON.stringify((cap as (...a: number[]) => unknown)(...params));
      } catch (error) {
        return `threw ${String(error)}`;
      }
    }).join(' ');
  }
  return out;
}

function expectSameTput(options: object): void {
  const a = quietly(() => new pristine(options));
  const b = quietly(() => new patched(options));
  expect(b.error?.message).toBe(a.error?.message);
  expect(b.terminal).toBe(a.terminal);
  expect(b.info.file).toBe(a.info.file);
  expect(b.info.all).toEqual(a.info.all);
  expect(b.features).toEqual(a.features);
  expect(Object.keys(b.methods).sort()).toEqual(Object.keys(a.methods).sort());
  expect(outputs(b)).toEqual(outputs(a));
}

const bundled = readdirSync(BUNDLED_DIR).filter(
  (name) => !name.endsWith('.termcap') && !name.endsWith('.terminfo') && name !== 'fonts',
);

describe('blessed terminfo shortcuts', () => {
  it('finds the bundled terminfo files the deferral applies to', () => {
    expect(bundled).toContain('xterm');
    expect(bundled).toContain('xterm-256color');
  });

  for (const name of bundled)
    for (const extended of [true, false])
      it(`${name} (extended ${extended}): every capability of the bundled file compiles, and writes what blessed writes`, () => {
        const file = join(BUNDLED_DIR, name);
        // Eagerly compiled by the pristine copy: an error here would mean deferring could hide one.
        expect(quietly(() => new pristine({ terminal: file, extended })).error).toBeNull();
        expectSameTput({ terminal: file, extended });
      });

  it('compiles a bundled capability on its first call only', () => {
    let compiles = 0;
    const counted = freshTput();
    const compile = counted.prototype._compile;
    counted.prototype._compile = function (info, key, str) {
      if (typeof str === 'string' && str !== '') compiles++;
      return compile.call(this, info, key, str);
    };
    installTerminfoShortcuts(counted, TPUT_FILE);
    const tput = quietly(() => new counted({ terminal: join(BUNDLED_DIR, 'xterm-256color'), extended: true }));
    const atStart = compiles;
    const cup = tput['cup'] as (row: number, col: number) => string;
    expect(cup(4, 9)).toBe('\x1b[5;10H');
    expect(compiles).toBe(atStart + 1);
    expect(cup(0, 0)).toBe('\x1b[1;1H');
    expect(compiles).toBe(atStart + 1);
    // All ~400 string capabilities compiled up front before; now none of them is.
    expect(atStart).toBe(0);
  });

  for (const terminal of ['xterm-256color', 'xterm', 'vt100', 'linux', 'screen-256color', 'tmux-256color'])
    for (const extended of [true, false])
      it(`TERM=${terminal} (extended ${extended}) from the system's terminfo: the same result as blessed alone`, (ctx) => {
        let file: string;
        try {
          file = pristine.prototype._prefix.call(
            Object.create(pristine.prototype) as ThisParameterType<typeof pristine.prototype._prefix>,
            terminal,
          );
        } catch {
          ctx.skip(`no terminfo for ${terminal} on this machine`);
          return;
        }
        if (!existsSync(file)) ctx.skip(`no terminfo for ${terminal} on this machine`);
        expectSameTput({ terminal, extended });
      });

  it('does not parse a 32-bit system terminfo (blessed cannot read it) and falls back as blessed does', (ctx) => {
    const system = ['/usr/share/terminfo/x/xterm-256color', '/lib/terminfo/x/xterm-256color'].find(
      (file) => existsSync(file) && isThirtyTwoBitTerminfoFile(file),
    );
    if (system === undefined) {
      ctx.skip('no 32-bit xterm-256color terminfo on this machine');
      return;
    }
    const parsed: string[] = [];
    const counted = freshTput() as TputClass & {
      prototype: { parseTerminfo: (this: unknown, data: Buffer, file: string) => unknown };
    };
    const parse = counted.prototype.parseTerminfo;
    counted.prototype.parseTerminfo = function (this: unknown, data: Buffer, file: string) {
      parsed.push(file);
      return parse.call(this, data, file);
    };
    installTerminfoShortcuts(counted, TPUT_FILE);
    const tput = quietly(() => new counted({ terminal: 'xterm-256color', extended: true }));
    expect(tput.error?.message).toBe('Terminfo parse error.');
    expect(parsed).toEqual([join(BUNDLED_DIR, 'xterm-256color')]);
  });

  it('recognises a 32-bit terminfo by its magic number (01036), not a legacy one (0432)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cntop-terminfo-'));
    try {
      writeFileSync(join(dir, 'new'), Buffer.from([0x1e, 0x02, 0, 0]));
      writeFileSync(join(dir, 'old'), Buffer.from([0x1a, 0x01, 0, 0]));
      expect(isThirtyTwoBitTerminfoFile(join(dir, 'new'))).toBe(true);
      expect(isThirtyTwoBitTerminfoFile(join(dir, 'old'))).toBe(false);
      expect(isThirtyTwoBitTerminfoFile(join(BUNDLED_DIR, 'xterm'))).toBe(false);
      expect(isThirtyTwoBitTerminfoFile(join(dir, 'absent'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
