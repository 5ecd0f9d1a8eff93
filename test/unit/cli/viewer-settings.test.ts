// Defaults < settings file < command line, resolved into the one ViewerSettings the viewer applies.
import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../../src/cli/config/settings-file.js';
import { parseOptions } from '../../../src/cli/options.js';
import {
  columnForSortName,
  DEFAULT_SAVED_SETTINGS,
  resolveViewerSettings,
  type ViewerSettings,
} from '../../../src/cli/viewer-settings.js';

function resolve(file: string, args: string[], env: Record<string, string> = {}): ViewerSettings {
  const parsed = parseSettings(file, '/rc');
  const options = parseOptions(args, env);
  if (!options.ok) throw new Error(options.error.message);
  return resolveViewerSettings({
    saved: parsed.settings,
    savedKeys: parsed.keys,
    flags: options.value.viewer,
    env,
    configPath: '/rc',
    problems: parsed.problems,
  });
}

describe('resolveViewerSettings', () => {
  it("is today's viewer with no file and no flags", () => {
    expect(resolve('', [])).toEqual({
      ...DEFAULT_SAVED_SETTINGS,
      mouse: true,
      user: null,
      pids: null,
      filter: null,
      readonly: false,
      maxIterations: null,
      sortTreeToo: false,
      configPath: '/rc',
      problems: [],
    });
  });

  it('lets the command line override the file', () => {
    const s = resolve('tree=no\ndelay=50\nascii=no\nhighlight_changes=no\nhighlight_duration=9\ncolor=yes', [
      '-t',
      '-d',
      '5',
      '-U',
      '-H2',
      '-C',
    ]);
    expect(s).toMatchObject({
      tree: true,
      refreshMs: 500,
      ascii: true,
      highlightChanges: true,
      highlightMs: 2000,
      color: false,
    });
  });

  it('keeps the file where the command line says nothing', () => {
    const s = resolve(
      'tree=no\ndelay=50\nascii=yes\nhighlight_duration=9\ncolumns=pid,command\nmeters=load\nshow_kernel_threads=no',
      ['-H'],
    );
    expect(s).toMatchObject({
      tree: false,
      refreshMs: 5000,
      ascii: true,
      highlightChanges: true,
      highlightMs: 9000,
      columns: ['pid', 'command'],
      meters: ['load'],
      showKernelThreads: false,
    });
  });

  it("sorts by -s's column in its natural direction, in the flat list unless -t asks for the tree", () => {
    expect(resolve('sort_column=pid\nsort_direction=asc', ['-s', 'PERCENT_CPU'])).toMatchObject({
      sortColumn: 'cpu',
      sortDescending: true,
      tree: false,
    });
    expect(resolve('sort_direction=desc', ['-s', 'PID'])).toMatchObject({
      sortColumn: 'pid',
      sortDescending: false,
      tree: false,
    });
    expect(resolve('', ['-s', 'TIME', '-t'])).toMatchObject({ sortColumn: 'time', sortDescending: true, tree: true });
    expect(resolve('sort_column=mem\nsort_direction=asc', [])).toMatchObject({
      sortColumn: 'mem',
      sortDescending: false,
      tree: true,
    });
  });

  it('turns colour off for a non-empty NO_COLOR unless the file says color=yes; -C always wins', () => {
    expect(resolve('', [], { NO_COLOR: '1' }).color).toBe(false);
    expect(resolve('', [], { NO_COLOR: '' }).color).toBe(true);
    expect(resolve('color=yes', [], { NO_COLOR: '1' }).color).toBe(true);
    expect(resolve('color=yes', ['-C']).color).toBe(false);
    expect(resolve('color=no', []).color).toBe(false);
  });

  it('passes the viewer-only flags through and keeps the file problems', () => {
    const s = resolve('oops', ['-u', 'root', '-p', '1,2', '-F', 'ssh', '-M', '--readonly', '-n', '4']);
    expect(s).toMatchObject({
      user: 'root',
      pids: [1, 2],
      filter: 'ssh',
      mouse: false,
      readonly: true,
      maxIterations: 4,
    });
    expect(s.problems).toEqual([{ file: '/rc', line: 1, message: "'oops' is not a key=value line" }]);
  });
});

describe('columnForSortName', () => {
  it('maps htop names and cntop ids, in any case, and rejects the rest', () => {
    expect(columnForSortName('PERCENT_CPU')).toBe('cpu');
    expect(columnForSortName('percent_mem')).toBe('mem');
    expect(columnForSortName('Command')).toBe('command');
    expect(columnForSortName('PPID')).toBeNull();
    expect(columnForSortName('')).toBeNull();
  });
});

describe("the viewer's own ids", () => {
  it("are the columns table's, in its order, and sort the way it says", async () => {
    const ui = await import('../../../src/ui/columns.js');
    const { COLUMN_IDS, defaultDescending } = await import('../../../src/cli/viewer-settings.js');
    expect(ui.COLUMNS.map((c) => c.id)).toEqual([...COLUMN_IDS]);
    for (const c of ui.COLUMNS) expect(defaultDescending(c.id)).toBe(c.defaultDescending);
  });

  it("match the viewer's initial state (tree, flat sort, kernel threads)", async () => {
    const { initialUiState } = await import('../../../src/ui/ui-state.js');
    const { DEFAULT_SAVED_SETTINGS: d } = await import('../../../src/cli/viewer-settings.js');
    const ui = initialUiState();
    expect(ui.treeView).toBe(d.tree);
    expect(ui.sortFlat).toEqual({ key: d.sortColumn, descending: d.sortDescending });
    expect(ui.hideKernelThreads).toBe(!d.showKernelThreads);
  });
});
