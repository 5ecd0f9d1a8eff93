import { describe, expect, it } from 'vitest';
import { isKernelThreadStat, parseStat } from '../../../../src/core/proc/parse-stat.js';
import { parseCmdline, parseStatus } from '../../../../src/core/proc/parse-status.js';
import { statLine, statusText } from '../../../helpers/builders.js';

describe('parseStat', () => {
  it.each(['kworker/u16:2', '(sd-pam)', 'a) b (', 'a test', ') (', 'new\nline', 'x'.repeat(64), ''])(
    'keeps comm %j intact and the fields after it aligned',
    (comm) => {
      const parsed = parseStat(
        statLine({
          pid: 42,
          comm,
          state: 'R',
          ppid: 7,
          utime: 11,
          stime: 13,
          threads: 4,
          startTicks: 777,
          rssPages: 9,
        }),
      );
      expect(parsed).toEqual({
        ok: true,
        value: expect.objectContaining({
          pid: 42,
          comm,
          state: 'R',
          ppid: 7,
          utimeTicks: 11,
          stimeTicks: 13,
          numThreads: 4,
          startTicks: 777,
          rssPages: 9,
        }) as unknown,
      });
    },
  );

  it('reads a real line from this kernel', () => {
    const line =
      '6105 (sleep) S 6094 6091 2514 0 -1 4194304 113 0 1 0 2 1 0 0 20 0 1 0 38603 2990080 393 18446744073709551615 94075147845632 94075147863561 140724515732304 0 0 0 0 0 0 1 0 0 17 1 0 0 0 0 0 94075147877648 94075147878912 94075257753600 140724515736291 140724515736300 140724515736300 140724515737577 0\n';
    const parsed = parseStat(line);
    expect(parsed.ok && parsed.value).toMatchObject({
      pid: 6105,
      comm: 'sleep',
      ppid: 6094,
      flags: 4194304,
      utimeTicks: 2,
      stimeTicks: 1,
      priority: 20,
      nice: 0,
      startTicks: 38603,
      vsizeBytes: 2990080,
      rssPages: 393,
    });
  });

  it('reads negative priority and nice (real-time and reniced tasks)', () => {
    const line =
      '19 (migration/1) S 2 0 0 0 -1 69238848 0 0 0 0 0 12 0 0 -100 -5 1 0 3 0 0 18446744073709551615 0 0 0 0 0 0 0 2147483647 0 0 0 0 17 1 99 1 0 0 0 0 0 0 0 0 0 0 0\n';
    expect(parseStat(line)).toMatchObject({
      ok: true,
      value: { pid: 19, ppid: 2, priority: -100, nice: -5, stimeTicks: 12, startTicks: 3, rssPages: 0 },
    });
  });

  it('rejects a line cut short before the rss field', () => {
    expect(parseStat(statLine({ pid: 5 }).split(' ').slice(0, 20).join(' ')).ok).toBe(false);
  });

  it.each(['', 'garbage', '12 (x) S 1', '12 no-parens S 1 2 3'])(
    'rejects malformed %j as a value, not an exception',
    (text) => {
      expect(parseStat(text).ok).toBe(false);
    },
  );

  it('flags kernel threads by PF_KTHREAD or by kthreadd parentage', () => {
    expect(isKernelThreadStat({ pid: 3, ppid: 2, flags: 0 })).toBe(true);
    expect(isKernelThreadStat({ pid: 50, ppid: 9, flags: 0x00200000 })).toBe(true);
    expect(isKernelThreadStat({ pid: 2, ppid: 0, flags: 0 })).toBe(true);
    expect(isKernelThreadStat({ pid: 1, ppid: 0, flags: 4194560 })).toBe(false);
  });
});

describe('parseStatus', () => {
  it('reads the real uid, parent, thread count and name', () => {
    expect(parseStatus(statusText('bash', 10, 9, 1000, 3))).toEqual({
      ok: true,
      value: { name: 'bash', tgid: 10, ppid: 9, uid: 1000, threads: 3 },
    });
  });
  it('refuses a status without a Uid line', () => {
    expect(parseStatus('Name:\tx\nPid:\t3\n').ok).toBe(false);
  });
});

describe('parseCmdline', () => {
  it('splits NUL-terminated arguments, keeping empty ones in the middle', () => {
    expect(parseCmdline('ls\0-l\0\0/tmp\0')).toEqual(['ls', '-l', '', '/tmp']);
  });
  it('keeps an argv rewritten without NULs (setproctitle) as one argument', () => {
    expect(parseCmdline('nginx: worker process')).toEqual(['nginx: worker process']);
  });
  it('gives null for an empty cmdline (kernel thread, zombie)', () => {
    expect(parseCmdline('')).toBeNull();
  });
});
