// batchOutput writes into a regular file with write(2) and hands anything else to the stream.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { batchOutput } from '../../../src/cli/batch-output.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('batchOutput', () => {
  it('writes every batch, multi-byte text included, straight into a regular file and not through the stream', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cntop-out-'));
    dirs.push(dir);
    const path = join(dir, 'events.ndjson');
    const fd = openSync(path, 'w');
    const stream = new PassThrough();
    let streamed = '';
    stream.on('data', (d: Buffer) => (streamed += d.toString()));
    const write = batchOutput(stream, fd);
    const batches = ['{"comm":"ünïcødé"}\n', 'x'.repeat(200_000) + '\n', '{"type":"exit"}\n'];
    batches.forEach((b) => write(b));
    closeSync(fd);
    expect(readFileSync(path, 'utf8')).toBe(batches.join(''));
    expect(streamed).toBe('');
  });

  it('hands batches to the stream when the descriptor is not a regular file', () => {
    const stream = new PassThrough();
    let streamed = '';
    stream.on('data', (d: Buffer) => (streamed += d.toString()));
    const write = batchOutput(stream, 987_654); // not open: fstat fails, the stream reports any trouble
    write('one\n');
    write('two\n');
    expect(streamed).toBe('one\ntwo\n');
  });
});
