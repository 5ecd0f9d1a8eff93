// `cntop doctor` on this machine's kernel, as a real process: healthy verdict with sane JSON, exit 0,
// a canary with its latency, and exactly one IGNORE for each LISTEN it sent, counted from the kernel's
// acks by a witness socket that holds the gate open.
import { spawn } from 'node:child_process';
import { release } from 'node:os';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openAckMonitor } from '../helpers/ack-monitor.js';
import { ensureBuilt, snapshotForGuest } from '../kernelvm/ensure-built.js';

const built = ensureBuilt(['dist/cli/doctor-command.js', 'dist/main.js']);
// A private copy of the build: other work may rebuild build/ or dist/ while these processes start.
const snapshot = built.ok ? snapshotForGuest([]) : null;
const CWD = snapshot?.ok === true ? snapshot.dir : '/nonexistent';
afterAll(() => {
  if (snapshot?.ok === true) rmSync(snapshot.dir, { recursive: true, force: true });
});
const monitorProbe = !built.ok
  ? { ok: false as const, reason: built.why }
  : snapshot?.ok === false
    ? { ok: false as const, reason: snapshot.why }
    : openAckMonitor();
if (monitorProbe.ok) monitorProbe.monitor.close();
const skipWhy = monitorProbe.ok ? null : monitorProbe.reason;
if (skipWhy !== null) console.warn(`doctor integration tests skipped: ${skipWhy}`);

interface Run {
  pid: number;
  code: number | null;
  stdout: string;
  wallMs: number;
}

function runDoctorProcess(args: { json: boolean; repair: boolean }): Promise<Run> {
  const script = `import('./dist/cli/doctor-command.js').then((m) => m.runDoctor(${JSON.stringify(args)})).then((code) => { process.exitCode = code; })`;
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: CWD,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('close', (code) => resolve({ pid: child.pid ?? -1, code, stdout, wallMs: performance.now() - started }));
  });
}

/** Low bytes of the acks the kernel sends for the doctor's ops (cookie + 1, see probe-port.ts and ack-cookie.ts). */
const LISTEN_ACKS = new Set([0x11, 0x21, 0x27]);
const IGNORE_ACKS = new Set([0x13, 0x23, 0x29]);

describe.skipIf(skipWhy !== null)('cntop doctor on this kernel', () => {
  it('says healthy with sane JSON and exits 0, sending one IGNORE per LISTEN', async () => {
    const opened = openAckMonitor();
    if (!opened.ok) throw new Error(opened.reason);
    let run: Run;
    try {
      run = await runDoctorProcess({ json: true, repair: false });
      await opened.monitor.waitFor((acks) => acks.some((a) => a.pid === run.pid && (a.ack & 0xff) === 0x13), 2000);
    } finally {
      opened.monitor.close();
    }
    const doctor = JSON.parse(run.stdout) as Record<string, unknown> & {
      verdictMs: number;
      canary: { ok: boolean; latencyMs: number };
    };
    console.log(
      `doctor healthy: verdict ${doctor.verdictMs} ms, canary ${doctor.canary.latencyMs.toFixed(2)} ms, process wall ${run.wallMs.toFixed(0)} ms`,
    );
    expect(run.code).toBe(0);
    expect(doctor).toMatchObject({
      status: 'healthy',
      mode: 'netlink',
      kernel: { release: release(), semantics: 'per-socket' },
      ack: { received: true, err: 0 },
      canary: { ok: true },
      deficit: 0,
      lost: 0,
      cause: null,
      fix: null,
    });
    expect(doctor.canary.latencyMs).toBeGreaterThan(0);
    expect(doctor.canary.latencyMs).toBeLessThan(3000);
    const lowBytes = opened.monitor.from(run.pid).map((a) => a.ack & 0xff);
    const listens = lowBytes.filter((b) => LISTEN_ACKS.has(b)).length;
    const ignores = lowBytes.filter((b) => IGNORE_ACKS.has(b)).length;
    expect(listens).toBeGreaterThanOrEqual(2); // its connector and the semantics probe
    expect(ignores).toBe(listens);
    expect(doctor['counterOps']).toEqual({ listens, ignores, leaked: 0 });
  });

  it('with --repair on a healthy kernel repairs nothing and says so', async () => {
    const run = await runDoctorProcess({ json: true, repair: true });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      status: 'healthy',
      repaired: false,
      deficitAfter: 0,
      counterOps: { leaked: 0 },
    });
  });

  it('is what `node dist/main.js doctor --json` runs: same verdict, exit 0', async () => {
    const cli = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, ['dist/main.js', 'doctor', '--json'], {
        cwd: CWD,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.on('close', (code) => resolve({ code, stdout }));
    });
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({
      status: 'healthy',
      mode: 'netlink',
      deficit: 0,
      canary: { ok: true },
    });
  });

  it('prints a readable verdict without --json', async () => {
    const run = await runDoctorProcess({ json: false, repair: false });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^cntop doctor: HEALTHY \(netlink\)/);
    expect(run.stdout).toMatch(/canary: ok \(fork, exec and exit of pid \d+ arrived\)/);
  });
});
