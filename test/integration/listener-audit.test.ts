// The listener audit against the real kernel: a subscriber that ends properly balances, one killed by
// SIGKILL after its LISTEN is named as a leak (with its command line), and compensateLeak books the
// IGNORE against it and takes the kernel's +1 back, so this test leaves the counter where it found it.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compensateLeak, openAudit, type ListenerAudit } from '../helpers/listener-audit.mjs';
import { formatAudit, judge } from '../helpers/listener-audit-report.mjs';
import { loadAddon } from '../../src/native/load-addon.js';
import { childPid, present } from '../helpers/present.js';

const addon = loadAddon();
const probe = addon.ok ? openAudit() : { ok: false as const, reason: 'addon not loadable' };
if (probe.ok) probe.audit.close();
const skipWhy = probe.ok ? null : probe.reason;
if (skipWhy !== null) console.warn(`listener audit tests skipped: ${skipWhy}`);

const helper = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../helpers/buggy-client.mjs');
// A Connector with the project's cookie; 'end' closes it (its one IGNORE), otherwise it waits to be killed.
const SUBSCRIBER = `
import { loadAddon } from ${JSON.stringify(helper)};
const connector = new (loadAddon().Connector)({ rcvbufBytes: 1 << 20, readExecInfo: false, dropKinds: [], maxBatchEvents: 64,
  maxBatchMs: 5, ackCookie: ((process.pid << 8) | 0x10) >>> 0, ackWaitMs: 500 });
const started = connector.start(() => {});
console.log(JSON.stringify({ ok: started.ok, ackErr: started.ok ? started.ack?.err ?? null : null }));
if (process.argv[1] === 'end') { connector.close(); } else { setInterval(() => {}, 1000); }
`;

function startSubscriber(mode: 'end' | 'hang'): {
  child: ChildProcess;
  ready: Promise<{ ok: boolean; ackErr: number | null }>;
  gone: Promise<void>;
} {
  const child = spawn(process.execPath, ['--input-type=module', '-e', SUBSCRIBER, mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = new Promise<{ ok: boolean; ackErr: number | null }>((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) =>
      resolve(JSON.parse(chunk.toString()) as { ok: boolean; ackErr: number | null }),
    );
    child.once('error', reject);
  });
  const gone = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return { child, ready, gone };
}

async function settle(audit: ListenerAudit, ms = 150): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    audit.poll();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.skipIf(skipWhy !== null)('listener audit on this kernel', () => {
  it('balances a subscriber that closes, names one killed after LISTEN, and books the compensation', async () => {
    if (!addon.ok) throw new Error('unreachable');
    const opened = openAudit();
    if (!opened.ok) throw new Error(opened.reason);
    const { audit } = opened;
    const polling = setInterval(() => audit.poll(), 10); // as the global audit does: senders are read while alive
    let leaked: number | null = null;
    try {
      const good = startSubscriber('end');
      expect(await good.ready).toEqual({ ok: true, ackErr: 0 });
      await good.gone;
      const bad = startSubscriber('hang');
      expect(await bad.ready).toEqual({ ok: true, ackErr: 0 });
      await settle(audit, 50); // its ancestry is read while it is alive
      bad.child.kill('SIGKILL');
      await bad.gone;
      const badPid = childPid(bad.child, 'the killed subscriber');
      leaked = badPid;
      await settle(audit);

      const goodRecord = audit.records.get(good.child.pid ?? -1);
      const badRecord = audit.records.get(badPid);
      expect(goodRecord?.pairs['connector']).toEqual({ listen: 1, ignore: 1 });
      expect(judge(present(goodRecord, "the closing subscriber's record"), process.pid)).toMatchObject({
        owed: 0,
        verdict: 'ok',
      });
      expect(badRecord?.pairs['connector']).toEqual({ listen: 1, ignore: 0 });
      const badOne = present(badRecord, "the killed subscriber's record");
      expect(judge(badOne, process.pid)).toMatchObject({ ours: true, owed: 1, verdict: 'leak' });
      const report = formatAudit(audit, { rootPid: process.pid, fileOf: () => 'this test' });
      expect(report.bad).toEqual([
        expect.objectContaining({ pid: badPid, verdict: 'leak', owed: 1, file: 'this test' }),
      ]);
      expect(report.text).toMatch(
        new RegExp(`pid ${badPid}: connector 1L/0I \\[leak \\+1\\]  this test :: .*--input-type=module`),
      );

      expect(compensateLeak(addon.value, badPid)).toBe(true);
      leaked = null;
      await settle(audit);
      expect(judge(badOne, process.pid)).toMatchObject({ owed: 0, verdict: 'ok' });
      expect(formatAudit(audit, { rootPid: process.pid, fileOf: () => null }).bad).toEqual([]);
    } finally {
      if (leaked !== null) compensateLeak(addon.value, leaked); // a failed assertion must not leave the +1
      clearInterval(polling);
      audit.close();
    }
  });
});
