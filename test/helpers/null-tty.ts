// A stand-in for a terminal that discards everything written to it: blessed draws into it as into a
// tty of the given size, so a test or probe can time or inspect the UI without a pseudo-terminal.
import { Writable } from 'node:stream';

export class NullTty extends Writable {
  readonly isTTY = true;

  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super();
  }

  override _write(_chunk: Buffer, _encoding: string, done: () => void): void {
    done();
  }
}
