// Taskstats on the real kernel, beside the connector on one reader thread: the records of children
// that burn a known CPU time and touch a known allocation, a 3-thread process's per-thread and group
// records, lost records counted, and exactly one REGISTER and one DEREGISTER on every exit path
// (witnessed in-process by the addon's wire counters and the kernel's acks, and for child processes
// by strace, since taskstats acks are unicast and no monitor can see another process's).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ackCookieFor } from '../../src/native/ack-cookie.js';
import type { TaskRecord } from '../../src/core/accounting/task-record.js';
import { DEFAULT_KERNEL_SOURCE_OPTIONS, KernelEventSource } from '../../src/native/kernel-event-source.js';
import { addonPath, loadAddon } from '../../src/native/load-addon.js';
import type {
  NativeAddon,
  NativeBatch,
  NativeConnector,
  NativeConnectorOptions,
  NativeTaskstatsRecord,
} from '../../src/native/native-types.js';
import { ensureDebianCommands } from '../helpers/debian-packages.js';
import { present } from '../helpers/present.js';
import { waitFor } from '../helpers/wait-for.js';

// burn MS MIB: touch MIB MiB page by page, spin until the process has used MS ms of CPU, print
//   "<pid> <process cpu ns at the end>" and exit 3. Reading CPUTIME makes the scheduler account the
//   running slice, so the kernel's record can only be at or slightly above the last reading.
// threads: two threads spin 15 ms of their own CPU each, then all three end; prints "thread <tid> <ns>"
//   per thread and "main <pid>", and exits 5.
const PROGRAM = `
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
static long long cpu_ns(clockid_t clock) { struct timespec t; clock_gettime(clock, &t); return t.tv_sec * 1000000000LL + t.tv_nsec; }
static void *spin(void *arg) {
  (void)arg;
  while (cpu_ns(CLOCK_THREAD_CPUTIME_ID) < 15000000LL) {}
  printf("thread %ld %lld\\n", (long)syscall(SYS_gettid), cpu_ns(CLOCK_THREAD_CPUTIME_ID));
  return 0;
}
int main(int argc, char **argv) {
  if (argc > 3 && strcmp(argv[1], "burn") == 0) {
    size_t bytes = (size_t)atol(argv[3]) << 20;
    volatile char *p = malloc(bytes);
    for (size_t i = 0; i < bytes; i += 4096) p[i] = 1;
    long long target = atol(argv[2]) * 1000000LL, now;
    while ((now = cpu_ns(CLOCK_PROCESS_CPUTIME_ID)) < target) {}
    printf("%d %lld\\n", getpid(), now);
    fflush(stdout);
    _exit(3);
  }
  pthread_t t[2];
  for (int i = 0; i < 2; i++) pthread_create(&t[i], 0, spin, 0);
  for (int i = 0; i < 2; i++) pthread_join(t[i], 0);
  printf("main %d\\n", getpid());
  fflush(stdout);
  return 5;
}
`;

const dir = mkdtempSync(join(tmpdir(), 'cntop-taskstats-'));
const binary = join(dir, 'tsburner');
writeFileSync(join(dir, 'tsburner.c'), PROGRAM);
const compiled = spawnSync('cc', ['-O1', '-pthread', '-o', binary, join(dir, 'tsburner.c')]);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const loaded = loadAddon();
const addon: NativeAddon | null = loaded.ok ? loaded.value : null;
const options = (extra: Partial<NativeConnectorOptions> = {}): NativeConnectorOptions => ({
  ...DEFAULT_KERNEL_SOURCE_OPTIONS,
  ackCookie: ackCookieFor(process.pid),
  taskstats: true,
  ...extra,
});

// Probe once: without the connector or taskstats (no CONFIG_TASKSTATS, no privilege) there is nothing to test.
function probe(): string | null {
  if (addon === null) return 'addon not built';
  if (compiled.status !== 0) return 'no C compiler (cc) to build the helper';
  const connector = new addon.Connector(options());
  const started = connector.start(() => {});
  connector.close();
  if (!started.ok) return `connector unavailable: ${started.code}`;
  if (started.taskstats?.ok !== true) return `taskstats unavailable: ${JSON.stringify(started.taskstats)}`;
  return null;
}
const skipReason = probe();
if (skipReason !== null) console.warn(`taskstats-kernel tests skipped: ${skipReason}`);

/** A started Connector that keeps every batch. */
function listen(extra: Partial<NativeConnectorOptions> = {}) {
  if (addon === null) throw new Error('no addon');
  const batches: NativeBatch[] = [];
  const connector = new addon.Connector(options(extra));
  const started = connector.start((batch) => batches.push(batch));
  open.push(connector);
  const records = () => batches.flatMap((batch) => batch.records);
  return { connector, started, batches, records };
}
const open: NativeConnector[] = [];
afterEach(() => {
  for (const connector of open.splice(0)) connector.close();
});

const pidRecord = (records: NativeTaskstatsRecord[], pid: number) =>
  records.find((r) => r.kind === 'pid' && r.pid === pid);

/** The addon, in tests that only run when it loaded. */
const theAddon = (): NativeAddon => present(addon, 'the addon');

/** A record's field scaled for a log line; a field the kernel did not send shows as "none". */
const scaled = (value: number | null, divisor: number, digits: number): string =>
  value === null ? 'none' : (value / divisor).toFixed(digits);

describe.skipIf(skipReason !== null)('taskstats records from the real kernel', () => {
  it('registers every possible CPU and says so in start() and stats()', () => {
    const { connector, started } = listen();
    const possible = readFileSync('/sys/devices/system/cpu/possible', 'utf8').trim();
    expect(started).toMatchObject({ ok: true, taskstats: { ok: true, cpumask: possible, rcvbufForced: true } });
    if (!started.ok || started.taskstats?.ok !== true) return;
    expect(started.taskstats.familyId).toBeGreaterThan(0x10); // dynamic ids start after GENL_ID_CTRL
    expect(connector.stats().taskstats).toMatchObject({
      enabled: true,
      registered: true,
      registerSent: true,
      deregisterSent: false,
      cpumask: possible,
      failure: null,
    });
  });

  it('children burning 30 ms of CPU and touching 64 MiB: exact-enough CPU, peak RSS, status, name', async () => {
    const { records, batches, connector } = listen();
    const burns = [0, 1].map(() => {
      const run = spawnSync(binary, ['burn', '30', '64'], { encoding: 'utf8' });
      const [pid, cpuNs] = run.stdout.trim().split(' ').map(Number) as [number, number];
      return { pid, cpuNs, status: run.status };
    });
    await waitFor(
      () => burns.every((burn) => pidRecord(records(), burn.pid) !== undefined),
      5000,
      "both burners' records",
    );
    for (const burn of burns) {
      expect(burn.status).toBe(3);
      const record = present(pidRecord(records(), burn.pid), `the record of burner ${burn.pid}`);
      console.log(
        `taskstats: burner ${burn.pid}: own reading ${(burn.cpuNs / 1e6).toFixed(3)} ms, record ${scaled(record.cpuRunNs, 1e6, 3)} ms, ` +
          `utime+stime ${scaled(record.utimeUs === null || record.stimeUs === null ? null : record.utimeUs + record.stimeUs, 1e3, 0)} ms, ` +
          `hiwater_rss ${scaled(record.hiwaterRssKiB, 1, 0)} KiB, etime ${scaled(record.etimeUs, 1e3, 1)} ms`,
      );
      expect(record).toMatchObject({
        kind: 'pid',
        tgid: burn.pid,
        comm: 'tsburner',
        exitStatus: 3 << 8,
        ppid: process.pid,
        uid: present(process.getuid, 'process.getuid')(),
      });
      // The record holds everything up to the child's last reading (which made the scheduler account
      // it), plus only printf and exit after it.
      expect(record.cpuRunNs).toBeGreaterThanOrEqual(burn.cpuNs);
      expect(record.cpuRunNs).toBeLessThan(burn.cpuNs + 5_000_000);
      expect(burn.cpuNs).toBeGreaterThanOrEqual(30_000_000);
      expect(record.hiwaterRssKiB).toBeGreaterThanOrEqual(64 * 1024);
      expect(record.hiwaterVmKiB).toBeGreaterThanOrEqual(64 * 1024);
      expect(record.minflt).toBeGreaterThanOrEqual(16_384); // one fault per touched page
      expect(record.etimeUs).toBeGreaterThanOrEqual(30_000);
      expect(record.btime).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) - 60);
    }
    // The connector's exit events came through the same reader and batches.
    const exits = batches.flatMap((batch) => batch.events).filter((event) => event.kind === 'exit');
    for (const burn of burns)
      expect(exits.some((event) => event.pid === burn.pid && event.exitCode === 3 << 8)).toBe(true);
    expect(connector.stats().taskstats).toMatchObject({ overruns: 0, malformed: 0 });
  });

  it('a 3-thread process: an AGGR_PID record per thread and one AGGR_TGID record with their summed CPU', async () => {
    const { records } = listen();
    const run = spawnSync(binary, ['threads'], { encoding: 'utf8' });
    expect(run.status).toBe(5);
    const lines = run.stdout.trim().split('\n');
    const pid = Number(
      present(
        lines.find((line) => line.startsWith('main ')),
        'a "main <pid>" line',
      ).split(' ')[1],
    );
    const threads = lines
      .filter((line) => line.startsWith('thread '))
      .map((line) => line.split(' ').slice(1).map(Number) as [number, number]);
    expect(threads).toHaveLength(2);
    const group = () => records().find((r) => r.kind === 'tgid' && r.tgid === pid);
    await waitFor(
      () =>
        group() !== undefined &&
        [pid, ...threads.map(([tid]) => tid)].every((tid) => pidRecord(records(), tid) !== undefined),
      5000,
      'three thread records and the group record',
    );
    for (const [tid, cpuNs] of threads) {
      expect(pidRecord(records(), tid)).toMatchObject({ kind: 'pid', pid: tid, tgid: pid, comm: 'tsburner' });
      expect(present(pidRecord(records(), tid), `the record of thread ${tid}`).cpuRunNs).toBeGreaterThanOrEqual(cpuNs);
    }
    expect(pidRecord(records(), pid)).toMatchObject({
      kind: 'pid',
      pid,
      tgid: pid,
      comm: 'tsburner',
      exitStatus: 5 << 8,
    });
    const summed = threads.reduce((sum, [, cpuNs]) => sum + cpuNs, 0);
    const tgid = present(group(), 'the group record');
    console.log(
      `taskstats: 3-thread group ${pid}: threads read ${(summed / 1e6).toFixed(3)} ms, AGGR_TGID record ${scaled(tgid.cpuRunNs, 1e6, 3)} ms`,
    );
    expect(tgid).toMatchObject({ kind: 'tgid', pid: null, tgid: pid });
    expect(tgid.cpuRunNs).toBeGreaterThanOrEqual(summed);
    expect(tgid.cpuRunNs).toBeLessThan(summed + 20_000_000);
    expect(records().filter((r) => r.kind === 'tgid' && r.tgid === pid)).toHaveLength(1);
  });

  it('a paused reader overflows a small taskstats buffer: ENOBUFS counted as lost records, in stats and batches', async () => {
    const { connector, batches } = listen({ taskstats: { rcvbufBytes: 4096 } });
    connector.pauseReader(10_000);
    for (let i = 0; i < 40; i++) spawnSync('/bin/true');
    connector.pauseReader(0);
    await waitFor(() => connector.stats().taskstats.overruns > 0, 3000, 'a taskstats overrun');
    await waitFor(() => batches.some((batch) => batch.recordOverruns > 0), 3000, 'a batch reporting it');
    expect(connector.stats().overruns).toBe(0); // the connector's own 8 MiB-plus buffer kept up
  });
});

describe.skipIf(skipReason !== null)('exactly one REGISTER and one DEREGISTER (this process)', () => {
  it('start, close, close: one of each sent and each acked by the kernel with err 0', () => {
    const before = theAddon().taskstatsWireCounts();
    const { connector } = listen();
    expect(connector.close()).toEqual({ ignoreSent: true });
    expect(connector.close()).toEqual({ ignoreSent: true });
    const after = theAddon().taskstatsWireCounts();
    expect({
      registersSent: after.registersSent - before.registersSent,
      deregistersSent: after.deregistersSent - before.deregistersSent,
      registerAcks: after.registerAcks - before.registerAcks,
      deregisterAcks: after.deregisterAcks - before.deregisterAcks,
    }).toEqual({ registersSent: 1, deregistersSent: 1, registerAcks: 1, deregisterAcks: 1 });
    expect(connector.stats().taskstats).toMatchObject({ registered: false, registerSent: true, deregisterSent: true });
  });

  it('a mask the kernel refuses: the connector still runs, the reason is exposed, nothing to deregister', async () => {
    const before = theAddon().taskstatsWireCounts();
    const { connector, started, batches } = listen({ taskstats: { cpumask: '0-4095' } });
    // cpulist_parse() says ERANGE for CPUs beyond the mask's bits; a parsable mask that is not a
    // subset of the possible CPUs gets EINVAL from add_del_listener().
    expect(started).toMatchObject({
      ok: true,
      ack: { err: 0 },
      taskstats: { ok: false, stage: 'register', syscall: 'TASKSTATS_CMD_ATTR_REGISTER_CPUMASK' },
    });
    if (started.ok && started.taskstats?.ok === false) expect(['ERANGE', 'EINVAL']).toContain(started.taskstats.code);
    expect(connector.stats().taskstats).toMatchObject({
      enabled: true,
      registered: false,
      failure: { stage: 'register' },
    });
    const child = spawnSync('/bin/true');
    await waitFor(
      () => batches.some((batch) => batch.events.some((event) => event.kind === 'exit' && event.pid === child.pid)),
      3000,
      "the connector's exit event",
    );
    connector.close();
    const after = theAddon().taskstatsWireCounts();
    expect(after.registersSent - before.registersSent).toBe(1);
    expect(after.deregistersSent - before.deregistersSent).toBe(0);
    expect(batches.flatMap((batch) => batch.records)).toEqual([]);
  });

  it('without taskstats: no socket, start() says null, batches carry an empty records array', async () => {
    const before = theAddon().taskstatsWireCounts();
    const { connector, started, batches } = listen({ taskstats: false });
    expect(started).toMatchObject({ ok: true, taskstats: null });
    spawnSync('/bin/true');
    await waitFor(() => batches.length > 0, 3000, 'a batch');
    expect(batches[0]).toMatchObject({ records: [], recordOverruns: 0 });
    connector.close();
    expect(theAddon().taskstatsWireCounts()).toEqual(before);
    expect(connector.stats().taskstats).toMatchObject({ enabled: false, registerSent: false, failure: null });
  });

  it('KernelEventSource passes taskstats through: records in its batches, its start info, one deregister', async () => {
    const before = theAddon().taskstatsWireCounts();
    const source = new KernelEventSource(theAddon(), { taskstats: true });
    const records: TaskRecord[] = [];
    const result = await source.start((batch) => records.push(...(batch.records ?? [])));
    expect(result.ok).toBe(true);
    expect(source.taskstats()).toMatchObject({ ok: true });
    const child = spawnSync('/bin/true');
    await waitFor(
      () => records.some((r) => r.scope === 'task' && r.id === child.pid && r.comm === 'true'),
      3000,
      "the child's record, in core's terms",
    );
    expect(source.accounting()).toMatchObject({ state: 'on', cause: null, overruns: 0 });
    expect(source.accounting().records).toBeGreaterThan(0);
    source.close();
    source.close();
    expect(theAddon().taskstatsWireCounts().deregistersSent - before.deregistersSent).toBe(1);
  });
});

// Child processes ending every way the connector's IGNORE is tested for; strace -f records every
// sendto, which strace decodes as netlink: REGISTER carries attribute 3, DEREGISTER attribute 4.
const straceWhy = ensureDebianCommands({ strace: 'strace' });
if (straceWhy !== null) console.warn(`taskstats-kernel: the child exit-path tests are skipped: ${straceWhy}`);
const strace = ['/usr/bin/strace', '/bin/strace'].find((candidate) => existsSync(candidate));

function runTraced(
  ending: string,
  wrapInWorker = false,
): { status: number | null; signal: string | null; stdout: string; registers: string[]; deregisters: string[] } {
  const body = `
    const addon = require(${JSON.stringify(addonPath())});
    const options = ${JSON.stringify({ ...DEFAULT_KERNEL_SOURCE_OPTIONS, taskstats: true })};
    options.ackCookie = ((process.pid << 8) | 0x10) >>> 0;
    const connector = new addon.Connector(options);
    const started = connector.start(() => {});
    require('fs').writeSync(1, JSON.stringify(started.taskstats) + '\\n');
    ${ending}`;
  const script = wrapInWorker
    ? `const { Worker } = require('worker_threads');
       new Worker(${JSON.stringify(body)}, { eval: true }).on('exit', () => process.kill(process.pid, 'SIGKILL'));`
    : body;
  const trace = join(dir, `strace-${Date.now()}.txt`);
  const child = spawnSync(
    present(strace, 'strace'),
    [
      '-f',
      '-qq',
      '-e',
      'trace=sendto',
      '-e',
      'signal=none',
      '-xx',
      '-s',
      '64',
      '-o',
      trace,
      process.execPath,
      '-e',
      script,
    ],
    {
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  const lines = readFileSync(trace, 'utf8')
    .split('\n')
    .filter((line) => line.includes('NLM_F_ACK') && / = \d+$/.test(line));
  // genlmsghdr (cmd 1 = TASKSTATS_CMD_GET, version 1), then the attribute: nla_len (2 bytes), nla_type.
  const ofType = (type: string) =>
    lines.filter((line) =>
      new RegExp(`"\\\\x01\\\\x01\\\\x00\\\\x00\\\\x[0-9a-f]{2}\\\\x00\\\\x${type}\\\\x00`).test(line),
    );
  return {
    status: child.status,
    signal: child.signal,
    stdout: child.stdout,
    registers: ofType('03'),
    deregisters: ofType('04'),
  };
}

// The cpulist bytes of a traced request, to check the DEREGISTER names the very mask registered.
const maskOf = (line: string) => /\\x0[34]\\x00((?:\\x[0-9a-f]{2})*)"/.exec(line)?.[1];

describe.skipIf(skipReason !== null || straceWhy !== null || strace === undefined)(
  'exactly one DEREGISTER on every exit path of a child (strace)',
  () => {
    it.each([
      ['process.exit() without close()', 'process.exit(0)', 0],
      ['an uncaught exception', "throw new Error('boom')", 1],
      ['close() and then process.exit()', 'connector.close(); process.exit(0)', 0],
      ['close() twice and a natural end', 'connector.close(); connector.close();', 0],
    ])('%s', (_name, ending, exitStatus) => {
      const child = runTraced(ending);
      expect(child.stdout).toContain('"ok":true');
      expect(child.status).toBe(exitStatus);
      expect(child.registers).toHaveLength(1);
      expect(child.deregisters).toHaveLength(1);
      expect(maskOf(present(child.deregisters[0], 'the DEREGISTER'))).toBe(
        maskOf(present(child.registers[0], 'the REGISTER')),
      );
    });

    it('a worker that ends without close() (env cleanup hook), then SIGKILL so atexit cannot be the sender', () => {
      const child = runTraced(
        `for (let i = 0; i < 3; i++) require('child_process').spawnSync('/bin/true'); process.exit(0);`,
        true,
      );
      expect(child.stdout).toContain('"ok":true');
      expect(child.signal).toBe('SIGKILL');
      expect(child.registers).toHaveLength(1);
      expect(child.deregisters).toHaveLength(1);
    });
  },
);
