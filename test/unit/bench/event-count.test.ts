// The storm accounting behind "zero events lost": which NDJSON events belong to the storm (forks and
// exits by parent, execs by pid and time even when pids are reused) and forkstat's -S total.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countLines, countStormEvents, forkstatForks, forkstatTotal } from '../../../bench/lib/event-count.mjs';
import { unmatchedPids } from '../../../bench/lib/storm-tally.mjs';

const STORM = 5000;
const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();

function ndjson(events: object[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'cntop-bench-'));
  const path = join(dir, 'events.ndjson');
  writeFileSync(path, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  return path;
}

describe('countStormEvents', () => {
  it('counts forks and exits by parent and execs by pid within the same life', async () => {
    const path = ndjson([
      { type: 'fork', time: at(0), pid: 100, tgid: 100, ppid: STORM, parentTgid: STORM },
      { type: 'exec', time: at(1), pid: 100, tgid: 100, comm: 'true', cmdline: null },
      { type: 'exit', time: at(2), pid: 100, tgid: 100, ppid: STORM, exitCode: 0, signal: null, coreDumped: false },
      // An unrelated process: its fork, exec and exit must not count.
      { type: 'fork', time: at(3), pid: 200, tgid: 200, ppid: 1, parentTgid: 1 },
      { type: 'exec', time: at(4), pid: 200, tgid: 200, comm: 'sh', cmdline: ['sh'] },
      { type: 'exit', time: at(5), pid: 200, tgid: 200, ppid: 1, exitCode: 0, signal: null, coreDumped: false },
      // pid 100 reused 10 s later by someone else: its exec is not the storm's.
      { type: 'exec', time: at(10_000), pid: 100, tgid: 100, comm: 'cron', cmdline: ['cron'] },
    ]);
    const c = await countStormEvents(path, STORM);
    expect(c.storm).toEqual({ fork: 1, exec: 1, exit: 1 });
    expect(c.lines).toBe(7);
    expect(c.byType).toEqual({ fork: 2, exec: 3, exit: 2 });
  });

  it('attributes an exec that arrives before its fork (CPUs interleave)', async () => {
    const path = ndjson([
      { type: 'exec', time: at(0), pid: 7, tgid: 7, comm: null, cmdline: null },
      { type: 'fork', time: at(0), pid: 7, tgid: 7, ppid: STORM, parentTgid: STORM },
    ]);
    expect((await countStormEvents(path, STORM)).storm).toEqual({ fork: 1, exec: 1, exit: 0 });
  });

  it('matches an exit that carries parent 0 (reaped before the event was built) to the storm fork of its pid', async () => {
    const path = ndjson([
      { type: 'fork', time: at(0), pid: 300, tgid: 300, ppid: STORM, parentTgid: STORM },
      {
        type: 'exit',
        time: at(1),
        pid: 300,
        tgid: 300,
        ppid: 0,
        parentTgid: 0,
        exitCode: 0,
        signal: null,
        coreDumped: false,
      },
      // parent 0 with no storm fork of that pid nearby: not the storm's.
      {
        type: 'exit',
        time: at(5000),
        pid: 300,
        tgid: 300,
        ppid: 0,
        parentTgid: 0,
        exitCode: 0,
        signal: null,
        coreDumped: false,
      },
    ]);
    const c = await countStormEvents(path, STORM);
    expect(c.storm).toEqual({ fork: 1, exec: 0, exit: 1 });
    expect(c.exitsWithParentZero).toBe(1);
    expect(c.unmatched).toEqual({ forkWithoutExit: [], exitWithoutFork: [] });
  });

  it('names a storm child whose exit never came', async () => {
    const path = ndjson([{ type: 'fork', time: at(0), pid: 301, tgid: 301, ppid: STORM, parentTgid: STORM }]);
    expect((await countStormEvents(path, STORM)).unmatched.forkWithoutExit).toEqual([301]);
  });

  it('counts the storm\'s exits that came without their taskstats record ("cpuMs": null)', async () => {
    const exit = (pid: number, ms: number, parent: number, cpuMs: number | null) => ({
      type: 'exit',
      time: at(ms),
      pid,
      tgid: pid,
      ppid: parent,
      parentTgid: parent,
      exitCode: 0,
      signal: null,
      coreDumped: false,
      cpuMs,
    });
    const path = ndjson([
      { type: 'fork', time: at(0), pid: 400, tgid: 400, ppid: STORM, parentTgid: STORM },
      exit(400, 1, STORM, 0),
      { type: 'fork', time: at(2), pid: 401, tgid: 401, ppid: STORM, parentTgid: STORM },
      exit(401, 3, STORM, null),
      // Reaped before the event was built (parent 0): still the storm's, and counted.
      { type: 'fork', time: at(4), pid: 402, tgid: 402, ppid: STORM, parentTgid: STORM },
      exit(402, 5, 0, 1.5),
      // Someone else's exit without a record: not the storm's.
      exit(500, 6, 1, null),
    ]);
    expect((await countStormEvents(path, STORM)).records).toEqual({ withRecord: 2, withoutRecord: 1, unknown: 0 });
  });

  it('says "unknown" for exits of an output without accounting fields', async () => {
    const path = ndjson([
      { type: 'fork', time: at(0), pid: 403, tgid: 403, ppid: STORM, parentTgid: STORM },
      {
        type: 'exit',
        time: at(1),
        pid: 403,
        tgid: 403,
        ppid: STORM,
        parentTgid: STORM,
        exitCode: 0,
        signal: null,
        coreDumped: false,
      },
    ]);
    expect((await countStormEvents(path, STORM)).records).toEqual({ withRecord: 0, withoutRecord: 0, unknown: 1 });
  });

  it('counts unparsable lines instead of failing', async () => {
    const path = ndjson([{ type: 'fork', time: at(0), pid: 9, tgid: 9, ppid: STORM, parentTgid: STORM }]);
    writeFileSync(path, '{"type":"fo\n', { flag: 'a' });
    const c = await countStormEvents(path, STORM);
    expect(c.badLines).toBe(1);
    expect(c.storm.fork).toBe(1);
  });
});

describe('forkstatTotal', () => {
  it('sums the Total column of the -S table', () => {
    const text = [
      'Time     Event   PID Info   Duration Process',
      '17:32:26 exit    535      0   0.005s true ',
      '',
      '    Fork     Exec     Exit Coredump     Comm    Clone   Ptrace      Uid      Sid    Total Process',
      '    5637     2542      696        0        0        1        0        0        0     8876 ./out/storm --mode exec ',
      '       0     1993     3394        0        0        0        0        0        0     5387 true',
      '       0        0        1        0        0        0        0        0        0        1 sleep 1 ',
    ].join('\n');
    expect(forkstatTotal(text)).toBe(8876 + 5387 + 1);
  });

  it('says null when forkstat printed no statistics', () => {
    expect(forkstatTotal('Time     Event   PID Info   Duration Process\n\nNo statistics gathered.\n')).toBeNull();
  });
});

describe('unmatchedPids', () => {
  it('names pids forked more often than seen exiting, and the reverse', () => {
    const forks = new Map([
      [1, 2],
      [2, 1],
      [3, 1],
    ]);
    const exits = new Map([
      [1, 1],
      [2, 1],
      [4, 1],
    ]);
    expect(unmatchedPids(forks, exits)).toEqual({ forkWithoutExit: [1, 3], exitWithoutFork: [4] });
  });
});

describe('countLines', () => {
  it('counts complete lines only, and 0 for a file that is not there', () => {
    const path = ndjson([{ a: 1 }, { b: 2 }]);
    expect(countLines(path)).toBe(2);
    writeFileSync(path, '{"half":', { flag: 'a' });
    expect(countLines(path)).toBe(2);
    expect(countLines(`${path}.missing`)).toBe(0);
  });
});

describe('forkstatForks', () => {
  it('counts fork child lines whoever the parent, and recv nobufs lines', () => {
    const text = [
      'Time     Event   PID Info   Duration Process',
      '12:22:58 fork  15321 parent          /work/main/bench/out/storm --mode exec',
      '12:22:58 fork  15345 child           true ',
      '12:22:58 fork      0 parent          [swapper]',
      '12:22:58 fork  15346 child           <unknown>',
      '12:22:58 exec  15345                 true ',
      '12:22:58 exit  15339      0   0.005s true ',
      '12:23:08 recv ----- nobufs          (No buffer space available)',
      '12:23:08 clone   77 parent          node',
      '12:23:08 clone   78 thread          node',
      '',
      '    Fork     Exec     Exit Coredump     Comm    Clone   Ptrace      Uid      Sid    Total Process',
      '       2        1        1        0        0        0        0        0        0        4 true',
    ].join('\n');
    expect(forkstatForks(text)).toEqual({ forks: 2, nobufs: 1 });
    expect(forkstatForks('')).toEqual({ forks: 0, nobufs: 0 });
  });
});
