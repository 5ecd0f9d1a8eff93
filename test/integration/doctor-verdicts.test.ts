// `node dist/main.js doctor --json` as a real child process in the situations where cntop cannot simply
// listen: asked to poll (--no-netlink), without privilege, in a new PID namespace, in a new network
// namespace, and on a host whose listener counter a buggy client drove below 1 (with and without
// --repair). Each case checks the exit code, the JSON verdict with its cause and fix, and, through an
// ack monitor that holds the listener gate open, what the kernel answered to that child's ops.
import { spawnSync } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { readAccessFacts } from '../../src/native/access-probe.js';
import { loadAddon } from '../../src/native/load-addon.js';
import type { NativeAddon } from '../../src/native/native-types.js';
import { openAckMonitor, type SeenAck } from '../helpers/ack-monitor.js';
import { ackMonitorForSuite } from '../helpers/ack-monitor-suite.js';
import { counterBelowOne, drainToZero, gateOpen, lowerCounter, raiseCounter } from '../helpers/buggy-client.mjs';
import { ensureBuilt, snapshotForGuest } from '../kernelvm/ensure-built.js';
import { runDoctor } from '../helpers/doctor-run.js';
import { present } from '../helpers/present.js';

const NOBODY = 65534;
const SETPRIV = ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups'];
/** How far below zero the starvation case drives the counter. */
const K = 2;

// Low bytes of the acks the kernel sends for a doctor's ops (ack-cookie.ts, probe-port.ts).
const CONNECTOR_LISTEN_ACK = 0x11;
const CONNECTOR_IGNORE_ACK = 0x13;
const MEASURE_LISTEN_ACK = 0x21;
const GATE_PROBE_ACK = 0x25;
const EINVAL = 22;

// ---- what this machine offers; each block skips, saying why, when its requirement is missing ----

const built = ensureBuilt(['dist/main.js', 'dist/cli/doctor-command.js']);
// A private copy of the build: other work may rebuild build/ or dist/ while these processes start.
const snapshot = built.ok ? snapshotForGuest([]) : null;
const CWD = snapshot?.ok === true ? snapshot.dir : '/nonexistent';
// mkdtemp made the copy root-only; the unprivileged case must be able to read it.
if (snapshot?.ok === true) chmodSync(CWD, 0o755);
afterAll(() => {
  if (snapshot?.ok === true) rmSync(CWD, { recursive: true, force: true });
});

function baseReason(): string | null {
  if (!built.ok) return built.why;
  if (snapshot?.ok === false) return snapshot.why;
  const monitor = openAckMonitor();
  if (!monitor.ok) return monitor.reason;
  monitor.monitor.close();
  return null;
}
const baseSkip = baseReason();

/** Runs argv to completion; a description of the failure, or null when it exited 0. */
function failureOf(argv: readonly string[]): string | null {
  const command = present(argv[0], 'a command');
  const run = spawnSync(command, argv.slice(1), { cwd: CWD, encoding: 'utf8' });
  if (run.error !== undefined) return `${command}: ${run.error.message}`;
  return run.status === 0
    ? null
    : `\`${argv.join(' ')}\` exited ${String(run.status)}: ${run.stderr.trim().slice(0, 200)}`;
}

function unprivilegedReason(): string | null {
  if (baseSkip !== null) return baseSkip;
  if (process.getuid?.() !== 0) return 'needs root to drop to uid 65534 with setpriv';
  const readable = failureOf([
    ...SETPRIV,
    process.execPath,
    '-e',
    "fs.accessSync('dist/main.js'); fs.accessSync('build/Release/cntop_connector.node')",
  ]);
  if (readable !== null) return `uid ${NOBODY} cannot run the build: ${readable}`;
  // Whether this kernel refuses an unprivileged subscription is measured, not inferred from the version.
  const bind = spawnSync(
    SETPRIV[0] as string,
    [
      ...SETPRIV.slice(1),
      process.execPath,
      '-e',
      "const a = require('./build/Release/cntop_connector.node'); const s = new a.ControlSocket(); const r = s.open({ acksOnly: true }); s.close(); process.stdout.write(JSON.stringify(r))",
    ],
    { cwd: CWD, encoding: 'utf8' },
  );
  const opened = JSON.parse(bind.stdout || '{}') as { ok?: boolean; code?: string };
  if (opened.ok === true)
    return `this kernel lets uid ${NOBODY} subscribe (bind succeeded): there is no unprivileged polling verdict to check`;
  if (opened.code !== 'EPERM' && opened.code !== 'EACCES')
    return `unexpected unprivileged bind result: ${bind.stdout} ${bind.stderr}`;
  return null;
}

const unprivilegedSkip = unprivilegedReason();
const pidNsSkip = baseSkip ?? failureOf(['unshare', '-p', '-f', '--mount-proc', 'true']);
const netNsSkip = baseSkip ?? failureOf(['unshare', '-n', 'true']);
const addon = loadAddon();
const access = readAccessFacts();
const starvationSkip =
  baseSkip ??
  (!addon.ok
    ? `addon not loadable: ${addon.error.kind}`
    : access.uid !== 0 || access.initPidNs !== true || access.initUserNs !== true
      ? `needs root in the initial namespaces to drive the listener counter (${access.evidence})`
      : null);
for (const [what, why] of [
  ['doctor-verdicts', baseSkip],
  ['doctor-verdicts, unprivileged case', unprivilegedSkip],
  ['doctor-verdicts, PID namespace case', pidNsSkip],
  ['doctor-verdicts, network namespace case', netNsSkip],
  ['doctor-verdicts, starvation cases', starvationSkip],
] as const) {
  if (why !== null) console.warn(`${what} skipped: ${why}`);
}

// ---- running the doctor ----

const lowBytes = (acks: readonly SeenAck[]): number[] => acks.map((a) => a.ack & 0xff);
const countOf = (acks: readonly SeenAck[], low: number): number => lowBytes(acks).filter((b) => b === low).length;

/** Puts the counter back to `original`, whatever it is now (measured exactly at 0 and below). */
function restoreCounter(native: NativeAddon, original: number): void {
  drainToZero(native);
  const now = counterBelowOne(native);
  if (now === null) throw new Error(`the counter is too far below zero to measure: it should be ${original}`);
  raiseCounter(native, original - now);
}

// ---- the cases ----

describe.skipIf(baseSkip !== null)('doctor --no-netlink (a real child process)', () => {
  const monitor = ackMonitorForSuite();
  it('reports polling, degraded, exit 1, with --no-netlink as the cause and its removal as the fix, and sends the kernel nothing', async () => {
    const run = await runDoctor(CWD, [], ['--no-netlink']);
    expect(run.code, run.stderr).toBe(1);
    expect(run.json).toMatchObject({
      status: 'degraded',
      mode: 'polling',
      ack: { received: false },
      deficit: null,
      counterOps: null,
    });
    expect(run.json.cause).toMatch(/polling \/proc.*--no-netlink/);
    expect(run.json.fix).toMatch(/without --no-netlink/);
    // The gate is held open by the monitor, so any op of the doctor's would have been answered.
    expect(monitor().from(run.pid)).toEqual([]);
  });
});

describe.skipIf(unprivilegedSkip !== null)(
  `doctor as uid ${NOBODY} on a kernel that refuses unprivileged subscribers`,
  () => {
    const monitor = ackMonitorForSuite();
    it('reports polling, degraded, exit 1, naming the refused bind as the cause and root as the fix, and sends the kernel nothing', async () => {
      const run = await runDoctor(CWD, SETPRIV); // setpriv execs node: same pid
      expect(run.code, run.stderr).toBe(1);
      expect(run.json).toMatchObject({
        status: 'degraded',
        mode: 'polling',
        ack: { received: false },
        counterOps: null,
      });
      expect(run.json.cause).toMatch(/bind was refused \(errno 1, EPERM\/EACCES\): permission denied/);
      expect(run.json.fix).toMatch(/as root .*CAP_NET_ADMIN/);
      expect(run.json.evidence).toContain('LISTEN: none in effect (polling /proc)');
      expect(run.json.evidence.some((line) => line.startsWith(`access: uid ${NOBODY}, no CAP_NET_ADMIN`))).toBe(true);
      expect(monitor().from(run.pid)).toEqual([]);
    });
  },
);

describe.skipIf(pidNsSkip !== null)('doctor in a new PID namespace (unshare -p -f --mount-proc)', () => {
  const monitor = ackMonitorForSuite();
  it('names the PID namespace as the cause, exit 1 (degraded), and its evidence makes no claim about the gate the kernel would not answer', async () => {
    const run = await runDoctor(CWD, ['unshare', '-p', '-f', '--mount-proc']);
    expect(run.code, run.stderr).toBe(1);
    expect(run.json).toMatchObject({ status: 'degraded', mode: 'netlink', ack: { received: false }, deficit: null });
    expect(run.json.cause).toMatch(
      /not in the initial PID and user namespaces \(.*PID namespace pid:\[\d+\] \(not the initial one\)/,
    );
    expect(run.json.fix).toMatch(/--pid=host/);
    // The monitor holds the gate open all along: "closed" would be false, and the kernel cannot be asked.
    expect(run.json.evidence.filter((line) => /gate probe: (open|closed)|counter [<>]/.test(line))).toEqual([]);
    expect(run.json.evidence).toContain(
      'gate probe: not possible here (the kernel drops every connector op from outside the initial PID and user namespaces, so the counter cannot be read)',
    );
    expect(run.json.counterOps).toEqual({ listens: 1, ignores: 1, leaked: 0 });
    // The doctor is pid 1 of its namespace, so its cookies carry pid 1: the kernel answered none of them.
    const answered = monitor()
      .from(1)
      .filter((a) => [CONNECTOR_LISTEN_ACK, CONNECTOR_IGNORE_ACK, GATE_PROBE_ACK].includes(a.ack & 0xff));
    expect(answered).toEqual([]);
  });
});

describe.skipIf(netNsSkip !== null)('doctor in a new network namespace (unshare -n)', () => {
  const monitor = ackMonitorForSuite();
  it("names the network namespace as the cause and the host's as the fix, exit 1 (degraded, polling)", async () => {
    const run = await runDoctor(CWD, ['unshare', '-n']); // unshare without -f execs node: same pid
    expect(run.code, run.stderr).toBe(1);
    expect(run.json).toMatchObject({ status: 'degraded', mode: 'polling', ack: { received: false }, counterOps: null });
    expect(run.json.cause).toMatch(/ECONNREFUSED.*not in the host's network namespace/);
    expect(run.json.fix).toMatch(/^run cntop in the host's network namespace/);
    expect(run.json.fix).not.toMatch(/cntop doctor/);
    expect(monitor().from(run.pid)).toEqual([]);
  });
});

describe.skipIf(starvationSkip !== null)(
  `doctor on this host starved ${K} below zero (invalid op then IGNORE), witnessed by the ack monitor`,
  () => {
    const monitor = ackMonitorForSuite();
    it(
      `plain: blind, exit 2, deficit ${K}, counter left at -${K}; --repair: its LISTEN unanswered (blind), one measuring LISTEN answered, ` +
        `the gate open afterwards (repaired), exit 0, counter at exactly 0 after it; the test then puts the counter back where it found it`,
      async () => {
        if (!addon.ok) throw new Error('unreachable');
        const native = addon.value;
        const wasOpen = gateOpen(native);
        let original: number | null = null;
        try {
          // Down to exactly 0, counting the steps (that is the counter the test found), then K below.
          original = drainToZero(native);
          lowerCounter(native, K, 'invalid-ignore');
          expect(counterBelowOne(native)).toBe(-K);

          const plain = await runDoctor(CWD, []);
          const plainAcks = monitor().from(plain.pid);
          expect(plain.code, plain.stderr).toBe(2);
          expect(plain.json).toMatchObject({
            status: 'blind',
            mode: 'netlink',
            ack: { received: false },
            deficit: K,
            counterOps: { leaked: 0 },
          });
          expect(plain.json.cause).toMatch(new RegExp(`starved: the kernel's listener counter stood ${K} below zero`));
          expect(plain.json.fix).toMatch(/--repair/);
          expect(plain.json.counterOps?.listens).toBe(plain.json.counterOps?.ignores);
          // Only the LISTEN that lifted the counter to 1 was answered; the undo took it back down.
          expect(countOf(plainAcks, CONNECTOR_LISTEN_ACK), JSON.stringify(plainAcks)).toBe(0);
          expect(countOf(plainAcks, MEASURE_LISTEN_ACK), JSON.stringify(plainAcks)).toBe(1);
          expect(plainAcks.filter((a) => (a.ack & 0xff) === GATE_PROBE_ACK && a.err === EINVAL)).toEqual([]);
          expect(counterBelowOne(native)).toBe(-K);

          const repair = await runDoctor(CWD, [], ['--repair']);
          const repairAcks = monitor().from(repair.pid);
          expect(repair.code, repair.stderr).toBe(0);
          expect(repair.json).toMatchObject({
            status: 'healthy',
            ack: { received: false },
            deficit: K,
            canary: { ok: true },
            repaired: true,
            deficitAfter: 0,
            counterOps: { leaked: K },
          });
          expect(repair.json.evidence).toEqual(
            expect.arrayContaining([
              'LISTEN: no ack',
              `deficit: ${K} LISTEN(s) short`,
              `repair: done, ${K} listener(s) added, deficit after: 0`,
            ]),
          );
          // Blind: the kernel did not answer its own LISTEN. Repaired: the K-th measuring LISTEN was
          // answered, and so was the gate probe after the repair (EINVAL: counter >= 1).
          expect(countOf(repairAcks, CONNECTOR_LISTEN_ACK), JSON.stringify(repairAcks)).toBe(0);
          expect(countOf(repairAcks, MEASURE_LISTEN_ACK), JSON.stringify(repairAcks)).toBe(1);
          expect(repairAcks.filter((a) => (a.ack & 0xff) === GATE_PROBE_ACK && a.err === EINVAL)).toHaveLength(1);
          // -K, +1 for its LISTEN, +K kept by the repair, -1 for its one IGNORE: exactly 0.
          expect(counterBelowOne(native)).toBe(0);
        } finally {
          if (original !== null) restoreCounter(native, original);
        }
        // Measured afresh: down to 0 again, counting, and back up by as much.
        const found = drainToZero(native);
        raiseCounter(native, found);
        expect(found).toBe(original);
        expect(gateOpen(native)).toBe(wasOpen);
        console.log(`starvation: counter found at ${original}, driven to -${K}, put back to ${found}`);
      },
    );
  },
);
