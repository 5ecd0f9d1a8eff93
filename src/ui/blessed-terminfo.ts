// Makes blessed's terminfo set-up cheaper without changing what it produces. blessed's Tput reads the
// terminal's terminfo and compiles every string capability (~400 of them) into a JavaScript function
// at start-up, of which the viewer calls a dozen or so: ~10 ms of the first frame on a quiet machine,
// several times that on a busy one. Two shortcuts, installed once on Tput's prototype:
//  - a terminfo file in ncurses' 32-bit format is refused before blessed parses it: blessed cannot
//    read that format and always ends in its fallback (checked on every 32-bit file of Debian 12);
//  - the capabilities of blessed's own bundled terminfo files (its fallback, and what xterm-256color
//    on Debian 12 gets) are compiled on first use instead of all at start-up. Those files are fixed
//    and every capability of theirs compiles (test/unit/ui/blessed-terminfo.test.ts checks it), so
//    deferring cannot turn a compile error into a later one. A system terminfo is still compiled in
//    full at start-up: blessed falls back when it does not compile, and that must still happen there.
// Each deferred capability, once compiled, is blessed's own function: its output is byte for byte
// blessed's.
import { closeSync, openSync, readSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

/** ncurses 6.1's 32-bit number format starts with the magic 01036 (legacy files: 0432). */
const MAGIC_32_BIT = 0o1036;

/** What the shortcuts read of a parsed terminfo (blessed's `info`). */
interface TerminfoInfo {
  readonly file?: string;
}

type Capability = (this: unknown, params: unknown[]) => unknown;

/** The parts of blessed's Tput the shortcuts wrap (blessed/lib/tput.js). */
export interface TputPrototype {
  // Function-valued properties, not methods: they are taken off the prototype and called with .call.
  _compile: (this: TputInstance, info: TerminfoInfo, key: string, str: unknown) => unknown;
  readTerminfo: (this: TputInstance, term?: string) => TerminfoInfo;
  _prefix: (this: TputInstance, term: string) => string;
}

interface TputInstance extends TputPrototype {
  readonly terminal: string;
  readonly options: { readonly stringify?: boolean };
}

const installed = new WeakSet<object>();

/**
 * Installs both shortcuts on `Tput` (blessed's class, loaded from `tputModuleFile`); a second call on
 * the same class does nothing.
 */
export function installTerminfoShortcuts(Tput: { prototype: TputPrototype }, tputModuleFile: string): void {
  const proto = Tput.prototype;
  if (installed.has(proto)) return;
  installed.add(proto);
  const bundledDir = normalize(join(dirname(tputModuleFile), '..', 'usr'));
  refuseThirtyTwoBitFiles(proto);
  compileBundledCapabilitiesOnUse(proto, bundledDir);
}

function refuseThirtyTwoBitFiles(proto: TputPrototype): void {
  const read = proto.readTerminfo;
  proto.readTerminfo = function readTerminfoUnless32Bit(this: TputInstance, term?: string): TerminfoInfo {
    let file: string | null = null;
    try {
      // The file blessed would read (its own search), as its readTerminfo names it.
      file = normalize(this._prefix(term !== undefined && term !== '' ? term : this.terminal));
    } catch {
      // Not found: blessed's own read reports it, as before.
    }
    // Thrown here, blessed's setup takes the same path as after its own failed parse: "Terminfo parse error.".
    if (file !== null && isThirtyTwoBitTerminfoFile(file))
      throw new Error(`${file}: ncurses' 32-bit terminfo format, which blessed cannot read`);
    return read.call(this, term);
  };
}

function compileBundledCapabilitiesOnUse(proto: TputPrototype, bundledDir: string): void {
  const compile = proto._compile;
  proto._compile = function compileOnUse(this: TputInstance, info: TerminfoInfo, key: string, str: unknown): unknown {
    const deferrable =
      typeof str === 'string' &&
      str !== '' &&
      // blessed reads these two capabilities' files when compiling them: kept as they were.
      key !== 'init_file' &&
      key !== 'reset_file' &&
      this.options.stringify !== true &&
      isBundledTerminfo(info.file, bundledDir);
    if (!deferrable) return compile.call(this, info, key, str);
    return deferredCapability(() => compile.call(this, info, key, str) as Capability);
  };
}

/** A capability that compiles itself (blessed's own compile) on its first call and is that function from then on. */
function deferredCapability(compileNow: () => Capability): Capability {
  let compiled: Capability | null = null;
  return function capability(this: unknown, params: unknown[]): unknown {
    compiled ??= compileNow();
    return compiled.call(this, params);
  };
}

function isBundledTerminfo(file: string | undefined, bundledDir: string): boolean {
  if (file === undefined) return false;
  const path = normalize(file);
  // usr/ also holds xterm.termcap and xterm.terminfo (sources, not compiled entries) and fonts/.
  return dirname(path) === bundledDir && !path.endsWith('.termcap') && !path.endsWith('.terminfo');
}

/** Whether `file` is a terminfo file in ncurses' 32-bit format (false when it cannot be read). */
export function isThirtyTwoBitTerminfoFile(file: string): boolean {
  try {
    const fd = openSync(file, 'r');
    try {
      const head = Buffer.alloc(2);
      return readSync(fd, head, 0, 2, 0) === 2 && head.readUInt16LE(0) === MAGIC_32_BIT;
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}
