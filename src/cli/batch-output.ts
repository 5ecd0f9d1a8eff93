// Where `cntop events` writes its batches. Into a regular file it calls write(2) on fd 1 directly, one
// call per batch: process.stdout on a file is a synchronous stream anyway, and its layers (a Buffer
// per chunk, the Writable state machine) cost ~15% of the CLI's main thread in a fork storm. To
// anything else (a pipe, a terminal, a socket) it keeps process.stdout, which copes with a full pipe
// and whose EPIPE the lifecycle turns into a quiet exit.
import { fstatSync, writeSync } from 'node:fs';

export function batchOutput(stdout: NodeJS.WritableStream = process.stdout, fd = 1): (chunk: string) => void {
  if (!isRegularFile(fd)) return (chunk) => void stdout.write(chunk);
  return (chunk) => writeWhole(fd, chunk);
}

function isRegularFile(fd: number): boolean {
  try {
    return fstatSync(fd).isFile();
  } catch {
    return false; // closed or odd: the stream path reports whatever is wrong with it
  }
}

/** write(2) may write less than asked (a file system near full): the rest follows, or the error throws. */
function writeWhole(fd: number, chunk: string): void {
  const written = writeSync(fd, chunk);
  if (written === Buffer.byteLength(chunk)) return;
  let rest = Buffer.from(chunk).subarray(written);
  while (rest.length > 0) rest = rest.subarray(writeSync(fd, rest));
}
