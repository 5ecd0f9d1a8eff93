// On real kernels of both generations, booted under qemu (Debian 6.1: global counter; 6.12 from
// bookworm-backports: per-socket): a buggy client drives the counter K below zero, the doctor says
// blind with deficit K, measuring leaves the counter exactly where it was, --repair makes events flow,
// and the counter is left at exactly 0 (>= 0) once cntop is gone. Skips, saying why, if qemu cannot boot.
import { describe, expect, it } from 'vitest';
import { runInGuest, whyGuestCannotBoot } from '../kernelvm/boot-guest.js';
import { rmSync } from 'node:fs';
import { ensureBuilt, snapshotForGuest } from '../kernelvm/ensure-built.js';

interface GuestDoctor {
  status: string;
  deficit: number | null;
  kernel: { release: string; semantics: string };
  canary: { ok: boolean | null; latencyMs: number | null };
  counterOps: { listens: number; ignores: number; leaked: number };
  repaired?: boolean;
  deficitAfter?: number | null;
  timings: { gateMs: number | null; measureMs: number | null; stepMs: number[]; canaryMs: number | null };
}
interface GuestResult {
  release: string;
  counterAtBoot: number;
  counterAfterBuggyClient: number;
  cli: { exitCode: number | null; status: string; deficit: number | null; semantics: string; counterOps: unknown };
  counterAfterCli: number;
  doctor: GuestDoctor;
  counterAfterDoctor: number;
  repair: GuestDoctor;
  counterAfterRepair: number;
  gateAfterRepairPlusOneListener: boolean;
  doctorMs: number;
  repairMs: number;
  monitorBlindMs: number;
  monitorBlindVerdictMs: number;
  monitorBefore: { status: string; deficit: number | null; semantics: string };
  monitorRepairMessage: string;
  monitorAfter: { status: string; canaryOk: boolean | null };
  counterAfterMonitor: number;
}

const KERNELS = [
  { kernel: '6.1', semantics: 'global-counter', k: 3 },
  { kernel: '6.12', semantics: 'per-socket', k: 2 },
] as const;

const built = ensureBuilt([
  'dist/native/connector-examination.js',
  'dist/cli/doctor-command.js',
  'dist/main.js',
  'dist/native/health-runtime.js',
]);
if (!built.ok) console.warn(`old-kernel tests skipped: ${built.why}`);

describe.each(KERNELS)('starvation on Debian $kernel under qemu', ({ kernel, semantics, k }) => {
  const why = built.ok ? whyGuestCannotBoot(kernel) : built.why;
  if (why !== null) console.warn(`old-kernel test for ${kernel} skipped: ${why}`);

  it.skipIf(why !== null)(
    `doctor reports blind with deficit ${k}, repairs it, and leaves the counter at 0`,
    async () => {
      const snapshot = snapshotForGuest(['test/kernelvm/guest-starvation.mjs', 'test/helpers/buggy-client.mjs']);
      if (!snapshot.ok) throw new Error(snapshot.why);
      const run = await runInGuest(
        kernel,
        ['node', 'test/kernelvm/guest-starvation.mjs', String(k)],
        { CNTOP_CANARY_TIMEOUT_MS: '20000' },
        240,
        snapshot.dir,
      ).finally(() => rmSync(snapshot.dir, { recursive: true, force: true }));
      const line = run.stdout.split('\n').find((l) => l.startsWith('GUEST-RESULT '));
      if (run.status !== 0 || line === undefined)
        throw new Error(`guest failed (${String(run.status)}):\n${run.stdout}\n${run.stderr.slice(-3000)}`);
      const result = JSON.parse(line.slice('GUEST-RESULT '.length)) as GuestResult;
      console.log(
        `[${result.release}] guest wall ${(run.wallMs / 1000).toFixed(1)} s; doctor ${result.doctorMs} ms, repair ${result.repairMs} ms, live monitor: blind verdict ${result.monitorBlindVerdictMs} ms after start, with repair ${result.monitorBlindMs} ms; ` +
          `steps ${result.doctor.timings.stepMs.map((s) => s.toFixed(1)).join('/')} ms; canary after repair ${result.repair.canary.latencyMs?.toFixed(0) ?? 'none'} ms; ` +
          run.stderr
            .split('\n')
            .filter((l) => /uptime|wall time/.test(l))
            .join('; '),
      );
      expect(result.release.startsWith(kernel)).toBe(true);
      expect(result.counterAtBoot).toBe(0);
      expect(result.counterAfterBuggyClient).toBe(-k);
      // `node dist/main.js doctor --json`, as a user runs it: blind, exit 2, and the counter exactly back.
      expect(result.cli).toMatchObject({ exitCode: 2, status: 'blind', deficit: k, semantics });
      expect(result.counterAfterCli).toBe(-k);
      // Measuring without repair: blind, exact deficit, semantics observed, counter exactly back.
      expect(result.doctor).toMatchObject({ status: 'blind', deficit: k, kernel: { semantics } });
      // k measuring LISTENs, the semantics probe and its connector: each with its IGNORE.
      expect(result.doctor.counterOps).toEqual({ listens: k + 2, ignores: k + 2, leaked: 0 });
      expect(result.counterAfterDoctor).toBe(-k);
      // Repair: exactly k LISTENs leaked, events flow (canary), and after cntop leaves the counter is 0.
      expect(result.repair).toMatchObject({
        status: 'healthy',
        deficit: k,
        repaired: true,
        deficitAfter: 0,
        canary: { ok: true },
      });
      expect(result.repair.counterOps.leaked).toBe(k);
      expect(result.repair.counterOps.listens).toBe(result.repair.counterOps.ignores + k);
      expect(result.counterAfterRepair).toBe(0);
      expect(result.gateAfterRepairPlusOneListener).toBe(true);
      // The live monitor tells the same story, and R (repair()) fixes it.
      expect(result.monitorBefore).toEqual({ status: 'blind', deficit: k, semantics });
      expect(result.monitorRepairMessage).toMatch(new RegExp(`${k} below zero.*Added ${k} listener`));
      expect(result.monitorAfter).toEqual({ status: 'healthy', canaryOk: true });
      expect(result.counterAfterMonitor).toBe(0);
    },
    300_000,
  );
});
