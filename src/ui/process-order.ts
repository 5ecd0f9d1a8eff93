// Which processes the list shows and in what order: tree (siblings sorted by the sort column) or
// flat, after the filter, the user filter and the kernel-thread toggle. Cached by the caller, and
// without filters sorted incrementally between refreshes (sorted-processes.ts): this is the only
// per-frame work proportional to the number of processes, so it allocates typed arrays rather than an
// object or a string per process. Tree guides are built only for the rows on screen (guideAt).
import type { Pid, ProcessInfo } from '../core/types.js';
import { columnById } from './columns.js';
import type { Glyphs } from './glyphs.js';
import { PidIndex } from './pid-index.js';
import { SortedProcesses, type SortedList } from './sorted-processes.js';
import { activeSort, type UiState } from './ui-state.js';

export interface ProcessSource {
  readonly processes: ReadonlyMap<Pid, ProcessInfo>;
}

export interface ProcessOrder {
  /** Listed pids, top to bottom. */
  readonly pids: readonly Pid[];
  /** Tree view only: the row of each row's parent (-1 for a root), whether it is its parent's last child, whether it is collapsed. */
  readonly tree: { readonly parentRow: Int32Array; readonly isLast: Uint8Array; readonly collapsed: Uint8Array } | null;
  /** Pids that matched the filter text (ancestors kept for context are not in it). */
  readonly matched: ReadonlySet<Pid> | null;
  /**
   * Tree view: exited children folded into one summary row under their parent, by the summary row's
   * id in `pids`: minus the parent's pid (never a process: nothing may signal it, see isProcessRow).
   */
  readonly folds?: ReadonlyMap<Pid, FoldSummary>;
}

/** Exited children of one parent beyond the first FOLD_KEEP, summed into one row. */
export interface FoldSummary {
  readonly parent: Pid;
  readonly count: number;
  readonly failed: number;
  readonly oldestExitMs: number;
  readonly newestExitMs: number;
}

/** Exited (lingering) children a parent shows one by one; the rest fold into one summary row. */
export const FOLD_KEEP = 3;

/** Whether a listed row is a process (a summary row of folded exits is not: no signal, tag or nice). */
export function isProcessRow(pid: Pid): boolean {
  return pid > 0;
}

// The engine updates its process records in place (an exec changes comm and cmdline of the same
// object), so a cached text is only reused while the fields it was built from are unchanged.
const haystacks = new WeakMap<ProcessInfo, { comm: string; cmdline: readonly string[] | null; text: string }>();

/** Lower-cased text the filter and search look in: pid, comm and command line. */
export function searchText(p: ProcessInfo): string {
  const cached = haystacks.get(p);
  if (cached !== undefined && cached.comm === p.comm && cached.cmdline === p.cmdline) return cached.text;
  const text = `${p.pid} ${p.comm} ${p.cmdline?.join(' ') ?? ''}`.toLowerCase();
  haystacks.set(p, { comm: p.comm, cmdline: p.cmdline, text });
  return text;
}

export function matchesText(p: ProcessInfo, needle: string): boolean {
  return needle === '' || searchText(p).includes(needle.toLowerCase());
}

/**
 * The list in screen order. With `sorter` (kept by the caller between frames) and no filter, the sort
 * is updated from the last one: `announced` are the tgids events named since then, null to re-sort all.
 */
export function orderProcesses(
  source: ProcessSource,
  state: UiState,
  nowMs: number,
  sorter?: SortedProcesses,
  announced: ReadonlySet<Pid> | readonly Pid[] | null = null,
): ProcessOrder {
  // Hiding kernel threads (the default) keeps the incremental sort: they are dropped from its result.
  const unfiltered = state.filterText.trim() === '' && state.userFilter === null && state.pidFilter === null;
  const kept = sorter !== undefined && unfiltered ? sortAll(source, state, nowMs, sorter, announced) : null;
  if (kept !== null)
    return arrange(state.hideKernelThreads ? withoutKernelThreads(kept, source) : kept, state, null, source);
  // A sorter that missed this order's announcements must not be updated from it later.
  sorter?.reset();
  const included = includedProcesses(source, state);
  return arrange(sortProcesses(included.list, state, nowMs), state, included.matched, source);
}

/** The sorted list without kernel threads, in new arrays (the sorter's own are kept for the next frame). */
function withoutKernelThreads(sorted: SortedList, source: ProcessSource): SortedList {
  const pids = new Int32Array(sorted.count);
  const ppids = new Int32Array(sorted.count);
  let count = 0;
  for (let i = 0; i < sorted.count; i++) {
    const pid = sorted.pids[i] as number;
    if (source.processes.get(pid)?.isKernelThread === true) continue;
    pids[count] = pid;
    ppids[count] = sorted.ppids[i] as number;
    count++;
  }
  return { count, pids, ppids };
}

function arrange(
  sorted: SortedList,
  state: UiState,
  matched: ReadonlySet<Pid> | null,
  source: ProcessSource,
): ProcessOrder {
  if (!state.treeView) return { pids: Array.from(sorted.pids.subarray(0, sorted.count)), tree: null, matched };
  return { ...walkTree(sorted, state.collapsed, source.processes), matched };
}

function sortAll(
  source: ProcessSource,
  state: UiState,
  nowMs: number,
  sorter: SortedProcesses,
  announced: ReadonlySet<Pid> | readonly Pid[] | null,
): SortedList | null {
  const sort = activeSort(state);
  const sortInt = columnById(sort.key).sortInt;
  if (sortInt === null) return null;
  const updated =
    announced === null ? null : sorter.update(source.processes, announced, sortInt, sort.descending, nowMs);
  return updated ?? sorter.rebuild(Array.from(source.processes.values()), sortInt, sort.descending, nowMs);
}

/** The tree guide drawn before row `row`'s command: "│  └─ " and the like, '' for roots and the flat view. */
export function guideAt(order: ProcessOrder, row: number, glyphs: Glyphs): string {
  const tree = order.tree;
  if (tree === null) return '';
  const marker = tree.collapsed[row] === 1 ? '+' : ' ';
  let parent = tree.parentRow[row] ?? -1;
  if (parent === -1) return marker === '+' ? '+ ' : '';
  let guide = `${tree.isLast[row] === 1 ? glyphs.lastBranch : glyphs.branch}${marker}`;
  // Each ancestor below the root continues its line unless it was the last of its siblings.
  for (; (tree.parentRow[parent] ?? -1) !== -1; parent = tree.parentRow[parent] ?? -1) {
    guide = `${tree.isLast[parent] === 1 ? glyphs.blank : glyphs.vertical} ${guide}`;
  }
  return guide;
}

/** Processes passing the hard filters (user, kernel threads) and the text filter, plus, with a text filter in the tree, their ancestors. */
function includedProcesses(source: ProcessSource, state: UiState): { list: ProcessInfo[]; matched: Set<Pid> | null } {
  const needle = state.filterText.trim().toLowerCase();
  const all = source.processes;
  if (needle === '' && state.userFilter === null && state.pidFilter === null && !state.hideKernelThreads)
    return { list: Array.from(all.values()), matched: null };
  const set = new Set<Pid>();
  for (const p of all.values()) {
    if (state.hideKernelThreads && p.isKernelThread) continue;
    if (state.userFilter !== null && p.user !== state.userFilter) continue;
    // htop's -p: those processes only.
    if (state.pidFilter !== null && !state.pidFilter.has(p.pid)) continue;
    if (needle !== '' && !searchText(p).includes(needle)) continue;
    set.add(p.pid);
  }
  const matched = needle === '' ? null : new Set(set);
  if (matched !== null && state.treeView) addAncestors(source, set);
  const list: ProcessInfo[] = [];
  for (const pid of set) list.push(all.get(pid) as ProcessInfo);
  return { list, matched };
}

function addAncestors(source: ProcessSource, set: Set<Pid>): void {
  for (const pid of [...set]) {
    let parent = source.processes.get(pid)?.ppid;
    while (parent !== undefined && parent !== 0 && !set.has(parent)) {
      const p = source.processes.get(parent);
      if (p === undefined) break;
      set.add(parent);
      parent = p.ppid;
    }
  }
}

// Sorts the filtered lists (a filter changes what is listed, so they are sorted anew each time).
const filteredSorter = new SortedProcesses();

/**
 * Sorts by the sort column, ties by pid. Numeric columns pack (key, pid) into one double and sort a
 * Float64Array natively: at 10,000 processes a comparator runs ~130,000 times per frame and costs
 * several milliseconds. Text columns, or keys out of range, use a comparator on precomputed keys.
 */
function sortProcesses(list: ProcessInfo[], state: UiState, nowMs: number): SortedList {
  const sort = activeSort(state);
  const column = columnById(sort.key);
  const packed = column.sortInt === null ? null : filteredSorter.rebuild(list, column.sortInt, sort.descending, nowMs);
  if (packed !== null) return packed;
  const keys = list.map((p) => column.key(p, nowMs));
  const sign = sort.descending ? -1 : 1;
  const index = Array.from(list, (_, i) => i);
  index.sort((a, b) => {
    const ka = keys[a] as number | string;
    const kb = keys[b] as number | string;
    const order = ka < kb ? -1 : ka > kb ? 1 : 0;
    return order !== 0 ? sign * order : (list[a] as ProcessInfo).pid - (list[b] as ProcessInfo).pid;
  });
  return {
    count: list.length,
    pids: Int32Array.from(index, (i) => (list[i] as ProcessInfo).pid),
    ppids: Int32Array.from(index, (i) => (list[i] as ProcessInfo).ppid),
  };
}

// Scratch arrays of the tree walk, reused by every walk (see PidIndex on why not one set per frame).
const scratch = {
  index: new PidIndex(0),
  firstChild: new Int32Array(0),
  nextSibling: new Int32Array(0),
  stack: new Int32Array(0),
  foldFollows: new Uint8Array(0),
};

function scratchFor(n: number): typeof scratch {
  if (scratch.firstChild.length < n) {
    const size = Math.ceil(n * 1.25) + 64;
    scratch.firstChild = new Int32Array(size);
    scratch.nextSibling = new Int32Array(size);
    // Each entry is a pair; a parent may add one summary entry.
    scratch.stack = new Int32Array(4 * size);
    scratch.foldFollows = new Uint8Array(size);
  }
  scratch.index.reset(n);
  return scratch;
}

/**
 * Depth-first walk over first-child/next-sibling links built from ppid (not from the engine's
 * children index, so roots and children are decided by the same fact). `sorted` is in sort order,
 * so every sibling list is too. Iterative: a chain of thousands of nested processes is fine.
 */
function walkTree(
  sorted: SortedList,
  collapsed: ReadonlySet<Pid>,
  processes: ReadonlyMap<Pid, ProcessInfo>,
): Pick<ProcessOrder, 'pids' | 'tree' | 'folds'> {
  const { count: n, pids: pidAt, ppids: ppidAt } = sorted;
  const { index: indexOf, firstChild, nextSibling, stack, foldFollows } = scratchFor(n);
  foldFollows.fill(0, 0, n);
  const folds = new Map<Pid, FoldSummary>();
  for (let i = 0; i < n; i++) indexOf.set(pidAt[i] as number, i);
  firstChild.fill(-1, 0, n);
  // Stack entries: sorted index and the row of its parent (-1 for roots).
  let top = 0;
  // Backwards, so that prepending to each sibling list leaves it in sort order, and so that the first
  // root ends up on top of the stack.
  for (let i = n - 1; i >= 0; i--) {
    const pid = pidAt[i] as number;
    const ppid = ppidAt[i] as number;
    const parent = ppid <= 0 || ppid === pid ? -1 : indexOf.get(ppid);
    if (parent === -1) {
      nextSibling[i] = -1;
      stack[top++] = i;
      stack[top++] = -1;
    } else {
      nextSibling[i] = firstChild[parent] as number;
      firstChild[parent] = i;
    }
  }
  const pids: Pid[] = [];
  // At most one summary row per parent: at most 2n rows.
  const parentRow = new Int32Array(2 * n);
  const isLast = new Uint8Array(2 * n);
  const collapsedRow = new Uint8Array(2 * n);
  while (top > 0) {
    const fromRow = stack[--top] as number;
    const i = stack[--top] as number;
    const row = pids.length;
    if (i < 0) {
      // The summary of a parent's folded exits: always its last child.
      pids.push(-(pidAt[-i - 1] as number));
      parentRow[row] = fromRow;
      isLast[row] = 1;
      continue;
    }
    const pid = pidAt[i] as number;
    pids.push(pid);
    parentRow[row] = fromRow;
    isLast[row] = fromRow !== -1 && nextSibling[i] === -1 && foldFollows[i] === 0 ? 1 : 0;
    if (firstChild[i] === -1) continue;
    if (collapsed.size > 0 && collapsed.has(pid)) {
      collapsedRow[row] = 1;
      continue;
    }
    const start = top;
    let exitedShown = 0;
    let fold: { count: number; failed: number; oldestExitMs: number; newestExitMs: number } | null = null;
    let lastKept = -1;
    for (let c = firstChild[i] as number; c !== -1; c = nextSibling[c] as number) {
      // A lingering exited leaf: beyond the first few under this parent, counted instead of listed,
      // so that a build's hundreds of dead compilers never push the living processes off the screen.
      if (firstChild[c] === -1) {
        const child = processes.get(pidAt[c] as number);
        if (child !== undefined && child.exitMs !== null) {
          if (exitedShown >= FOLD_KEEP) {
            const failed =
              child.exitStatus !== null && (child.exitStatus.signal !== null || (child.exitStatus.code ?? 0) !== 0)
                ? 1
                : 0;
            if (fold === null) fold = { count: 1, failed, oldestExitMs: child.exitMs, newestExitMs: child.exitMs };
            else {
              fold.count++;
              fold.failed += failed;
              fold.oldestExitMs = Math.min(fold.oldestExitMs, child.exitMs);
              fold.newestExitMs = Math.max(fold.newestExitMs, child.exitMs);
            }
            continue;
          }
          exitedShown++;
        }
      }
      stack[top++] = c;
      stack[top++] = row;
      lastKept = c;
    }
    if (fold !== null) {
      folds.set(-pid, { parent: pid, ...fold });
      if (lastKept >= 0) foldFollows[lastKept] = 1;
      stack[top++] = -i - 1;
      stack[top++] = row;
    }
    reversePairs(stack, start, top);
  }
  const rows = pids.length;
  return {
    pids,
    tree: {
      parentRow: parentRow.subarray(0, rows),
      isLast: isLast.subarray(0, rows),
      collapsed: collapsedRow.subarray(0, rows),
    },
    ...(folds.size > 0 ? { folds } : {}),
  };
}

/** Reverses the (index, row) pairs in stack[start, end), so the first child is popped first. */
function reversePairs(stack: Int32Array, start: number, end: number): void {
  for (let a = start, b = end - 2; a < b; a += 2, b -= 2) {
    const i = stack[a] as number;
    const r = stack[a + 1] as number;
    stack[a] = stack[b] as number;
    stack[a + 1] = stack[b + 1] as number;
    stack[b] = i;
    stack[b + 1] = r;
  }
}
