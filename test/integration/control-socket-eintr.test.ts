// A bounded ack wait stays bounded while signals keep interrupting it. node --cpu-prof sends SIGPROF to
// the JS thread every interval; the addon's poll() used to restart with the full timeout after each
// EINTR, so a wait for an ack that never comes (the normal outcome of several health probes) never
// ended: `node --cpu-prof dist/main.js doctor` ran for minutes and ignored SIGTERM.
// The child sends no LISTEN, so killing it on a timeout leaves the kernel's listener counter alone.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAddon } from '../../src/native/load-addon.js';

const addon = loadAddon();
const skipWhy = addon.ok ? null : `addon not loadable: ${addon.error.kind}`;
if (skipWhy !== null) console.warn(`EINTR test skipped: ${skipWhy}`);

const helper = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../helpers/buggy-client.mjs');
const profDir = mkdtempSync(path.join(tmpdir(), 'cntop-eintr-'));
afterAll(() => rmSync(profDir, { recursive: true, force: true }));

// Five waits of 100 ms for an ack nobody will send (this cookie's op never went out).
const CHILD = `
import { loadAddon } from ${JSON.stringify(helper)};
const socket = new (loadAddon().ControlSocket)();
const opened = socket.open({ acksOnly: true });
if (!opened.ok) { console.log(JSON.stringify({ error: opened.code })); process.exit(3); }
const waits = [];
for (let i = 0; i < 5; i += 1) {
  const t0 = performance.now();
  const ack = socket.waitAck(((process.pid << 8) | 0x60) >>> 0, 100);
  waits.push({ ms: performance.now() - t0, ack });
}
socket.close();
console.log(JSON.stringify({ waits }));
`;

function runChild(
  limitMs: number,
): Promise<{ code: number | null; signal: string | null; stdout: string; wallMs: number }> {
  const started = performance.now();
  const args = [
    '--cpu-prof',
    '--cpu-prof-interval',
    '250',
    '--cpu-prof-dir',
    profDir,
    '--input-type=module',
    '-e',
    CHILD,
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const limit = setTimeout(() => child.kill('SIGKILL'), limitMs);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(limit);
      resolve({ code, signal, stdout, wallMs: performance.now() - started });
    });
  });
}

describe.skipIf(skipWhy !== null)('ack waits under a signal storm', () => {
  it('waitAck(…, 100) returns null after about 100 ms while SIGPROF arrives every 250 µs', async () => {
    const run = await runChild(15_000);
    expect(run.signal, `the child hung (killed after 15 s); stdout: ${run.stdout}`).toBeNull();
    expect(run.code).toBe(0);
    const { waits } = JSON.parse(run.stdout) as { waits: { ms: number; ack: unknown }[] };
    expect(waits).toHaveLength(5);
    for (const wait of waits) {
      expect(wait.ack).toBeNull();
      expect(wait.ms).toBeGreaterThanOrEqual(99);
      // Generous for a loaded 2-core machine; the bug made this unbounded.
      expect(wait.ms).toBeLessThan(1500);
    }
    console.log(
      `waits under SIGPROF: ${waits.map((w) => w.ms.toFixed(1)).join('/')} ms; child wall ${run.wallMs.toFixed(0)} ms`,
    );
  });
});
