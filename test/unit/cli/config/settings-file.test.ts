// The cntoprc format: parsing is pure (text -> settings + problems), every problem names the file and
// line and leaves that setting at its default, and serialize -> parse is the identity.
import { describe, expect, it } from 'vitest';
import { parseSettings, serializeSettings, SETTING_KEYS } from '../../../../src/cli/config/settings-file.js';
import { DEFAULT_SAVED_SETTINGS, formatProblem, type SavedSettings } from '../../../../src/cli/viewer-settings.js';
import { present } from '../../../helpers/present.js';

const FILE = '/home/u/.config/cntop/cntoprc';
const parse = (text: string) => parseSettings(text, FILE);

describe('parseSettings', () => {
  it('gives the defaults and no problems for an empty file, comments and blank lines', () => {
    for (const text of ['', '\n\n', '# only a comment\n   \n\t# indented comment\n']) {
      const r = parse(text);
      expect(r.settings).toEqual(DEFAULT_SAVED_SETTINGS);
      expect(r.problems).toEqual([]);
      expect(r.keys.size).toBe(0);
    }
  });

  it('reads every key', () => {
    const r = parse(
      [
        'sort_column=PERCENT_MEM',
        'sort_direction=asc',
        'tree=no',
        'columns=pid,user,cpu,mem,command',
        'meters=cpu,memory,load',
        'delay=10',
        'show_kernel_threads=off',
        'highlight_changes=false',
        'highlight_duration=8',
        'color=no',
        'ascii=yes',
      ].join('\n'),
    );
    expect(r.problems).toEqual([]);
    expect(r.settings).toEqual<SavedSettings>({
      sortColumn: 'mem',
      sortDescending: false,
      tree: false,
      columns: ['pid', 'user', 'cpu', 'mem', 'command'],
      meters: ['cpu', 'memory', 'load'],
      refreshMs: 1000,
      showKernelThreads: false,
      highlightChanges: false,
      highlightMs: 8000,
      color: false,
      ascii: true,
    });
    expect(r.keys.size).toBe(11);
  });

  it('tolerates spaces around keys and values, CRLF line ends and any case in booleans and ids', () => {
    const r = parse('  tree =  YES \r\ncolumns = PID , Command\r\nmeters=\r\n');
    expect(r.problems).toEqual([]);
    expect(r.settings.tree).toBe(true);
    expect(r.settings.columns).toEqual(['pid', 'command']);
    expect(r.settings.meters).toEqual([]);
  });

  it('lets a later line win over an earlier one', () => {
    expect(parse('delay=5\ndelay=20').settings.refreshMs).toBe(2000);
  });

  it.each([
    [
      'bogus=1',
      1,
      "unknown setting 'bogus' (known: sort_column, sort_direction, tree, columns, meters, delay, show_kernel_threads, highlight_changes, highlight_duration, color, ascii)",
    ],
    ['just words', 1, "'just words' is not a key=value line"],
    [
      'sort_column=PPID',
      1,
      "sort_column: unknown column 'PPID' (one of: pid, user, priority, nice, virt, res, state, cpu, mem, time, age, shr, ioread, iowrite, peak, starttime, elapsed, cgroup, command); using the default (cpu)",
    ],
    ['sort_direction=down', 1, "sort_direction: 'down' is not a direction (asc or desc); using the default (desc)"],
    ['tree=maybe', 1, "tree: 'maybe' is not yes or no; using the default (yes)"],
    [
      'columns=',
      1,
      'columns: no columns listed (at least one is needed); using the default (pid,user,priority,nice,virt,res,state,cpu,mem,time,age,command)',
    ],
    ['columns=pid,ppid', 1, "columns: unknown column 'ppid'"],
    ['columns=pid,pid', 1, "columns: column 'pid' is listed twice"],
    [
      'meters=cpu,disk',
      1,
      "meters: unknown meter 'disk' (one of: cpu, cpuavg, exits, memory, swap, tasks, load, uptime)",
    ],
    ['delay=0', 1, 'delay: 0 is outside 1-600 tenths of a second; using the default (15)'],
    ['delay=1.5', 1, "delay: '1.5' is not a whole number of tenths of a second"],
    [
      '\n\n# c\nhighlight_duration=-1',
      4,
      "highlight_duration: '-1' is not a whole number of seconds; using the default (3)",
    ],
    ['color=', 1, "color: '' is not yes or no"],
  ])('reports %j at line %i', (text, line, message) => {
    const r = parse(text);
    expect(r.problems).toHaveLength(1);
    const p = present(r.problems[0], 'a problem');
    expect(p.file).toBe(FILE);
    expect(p.line).toBe(line);
    expect(p.message).toContain(message);
    expect(formatProblem(p)).toBe(`${FILE}:${line}: ${p.message}`);
  });

  it('keeps the good lines of a file with bad ones, and gives a bad setting its default (not an earlier value)', () => {
    const r = parse('tree=no\ndelay=50\ndelay=zero\ncolor=no\nfoo\n');
    expect(r.settings).toEqual({ ...DEFAULT_SAVED_SETTINGS, tree: false, color: false });
    expect(r.problems.map((p) => p.line)).toEqual([3, 5]);
    expect(r.keys).toEqual(new Set(['tree', 'color']));
  });

  it('clips a long unknown line in the message', () => {
    const r = parse('x'.repeat(200));
    expect(present(r.problems[0], 'a problem').message.length).toBeLessThan(80);
  });
});

describe('serializeSettings', () => {
  it('writes every key once, and reads back to the same settings', () => {
    const text = serializeSettings(DEFAULT_SAVED_SETTINGS);
    for (const key of SETTING_KEYS) expect(text.match(new RegExp(`^${key}=`, 'gm'))).toHaveLength(1);
    expect(parse(text)).toMatchObject({ settings: DEFAULT_SAVED_SETTINGS, problems: [] });
  });

  it('round-trips non-default settings', () => {
    const s: SavedSettings = {
      sortColumn: 'time',
      sortDescending: false,
      tree: false,
      columns: ['command', 'pid'],
      meters: [],
      refreshMs: 600 * 100,
      showKernelThreads: false,
      highlightChanges: false,
      highlightMs: 3600 * 1000,
      color: false,
      ascii: true,
    };
    const r = parse(serializeSettings(s));
    expect(r.problems).toEqual([]);
    expect(r.settings).toEqual(s);
  });
});
