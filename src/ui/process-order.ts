// Which processes the list shows and in what order: tree (siblings sorted by the sort column, with
// guides) or flat, after the filter, the user filter and the kernel-thread toggle. Pure and cached
// by the caller; this is the only per-frame work proportional to the number of processes.
import type { Pid, ProcessInfo } from '../core/types.js';
import { columnById } from './columns.js';
import type { Glyphs } from './glyphs.js';
import { activeSort, type UiState } from './ui-state.js';

export interface ProcessSource {
  readonly processes: ReadonlyMap<Pid, ProcessInfo>;
}

export interface ProcessOrder {
  /** Listed pids, top to bottom. */
  readonly pids: readonly Pid[];
  /** Tree guide drawn before each command ('' in the flat view), parallel to pids. */
  readonly guides: readonly string[];
  /** Pids that matched the filter text (ancestors kept for context are not in it). */
  readonly matched: ReadonlySet<Pid> | null;
}

const haystacks = new WeakMap<ProcessInfo, string>();

/** Lower-cased text the filter and search look in: pid, comm and command line. */
export function searchText(p: ProcessInfo): string {
  let text = haystacks.get(p);
  if (text === undefined) {
    text = `${p.pid} ${p.comm} ${p.cmdline?.join(' ') ?? ''}`.toLowerCase();
    haystacks.set(p, text);
  }
  return text;
}

export function matchesText(p: ProcessInfo, needle: string): boolean {
  return needle === '' || searchText(p).includes(needle.toLowerCase());
}

export function orderProcesses(source: ProcessSource, state: UiState, nowMs: number, glyphs: Glyphs): ProcessOrder {
  const included = includedPids(source, state);
  const sorted = sortProcesses(source, included.set, state, nowMs);
  if (!state.treeView) return { pids: sorted.map((p) => p.pid), guides: sorted.map(() => ''), matched: included.matched };
  return { ...walkTree(sorted, included.set, state.collapsed, glyphs), matched: included.matched };
}

const PID_BITS = 2 ** 23; // pid_max is at most 2^22
const KEY_LIMIT = 2 ** 30; // KEY_LIMIT * PID_BITS stays below 2^53: exact in a double

/**
 * Sorts by the sort column, ties by pid. Numeric columns pack (key, pid) into one double and sort a
 * Float64Array natively: at 10,000 processes a comparator runs ~130,000 times per frame and costs
 * several milliseconds. Text columns, or keys out of range, use a comparator on precomputed keys.
 */
function sortProcesses(source: ProcessSource, included: ReadonlySet<Pid>, state: UiState, nowMs: number): ProcessInfo[] {
  const sort = activeSort(state);
  const column = columnById(sort.key);
  const list: ProcessInfo[] = [];
  for (const pid of included) {
    const p = source.processes.get(pid);
    if (p !== undefined) list.push(p);
  }
  const packed = column.sortInt === null ? null : packKeys(list, column.sortInt, sort.descending, nowMs);
  if (packed !== null) {
    packed.sort();
    return Array.from(packed, (v) => source.processes.get(v % PID_BITS) as ProcessInfo);
  }
  const keys = list.map((p) => column.key(p, nowMs));
  const sign = sort.descending ? -1 : 1;
  const index = Array.from(list, (_, i) => i);
  index.sort((a, b) => {
    const ka = keys[a] as number | string;
    const kb = keys[b] as number | string;
    const order = ka < kb ? -1 : ka > kb ? 1 : 0;
    return order !== 0 ? sign * order : (list[a] as ProcessInfo).pid - (list[b] as ProcessInfo).pid;
  });
  return index.map((i) => list[i] as ProcessInfo);
}

function packKeys(list: readonly ProcessInfo[], sortInt: (p: ProcessInfo, nowMs: number) => number, descending: boolean, nowMs: number): Float64Array | null {
  const packed = new Float64Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const p = list[i] as ProcessInfo;
    const key = sortInt(p, nowMs);
    if (!(key >= 0 && key < KEY_LIMIT) || p.pid < 0 || p.pid >= PID_BITS) return null;
    // Descending by key, still ascending by pid among equal keys.
    packed[i] = (descending ? KEY_LIMIT - 1 - key : key) * PID_BITS + p.pid;
  }
  return packed;
}

/** Processes passing the hard filters (user, kernel threads) and the text filter, plus, with a text filter, their ancestors. */
function includedPids(source: ProcessSource, state: UiState): { set: Set<Pid>; matched: Set<Pid> | null } {
  const needle = state.filterText.trim().toLowerCase();
  const set = new Set<Pid>();
  const matched = needle === '' ? null : new Set<Pid>();
  for (const p of source.processes.values()) {
    if (state.hideKernelThreads && p.isKernelThread) continue;
    if (state.userFilter !== null && p.user !== state.userFilter) continue;
    if (matched !== null && !searchText(p).includes(needle)) continue;
    set.add(p.pid);
    matched?.add(p.pid);
  }
  if (matched !== null && state.treeView) addAncestors(source, set);
  return { set, matched };
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

interface Pending {
  readonly pid: Pid;
  /** Guide for this row. */
  readonly guide: string;
  /** Guide prefix inherited by this row's children. */
  readonly childPrefix: string;
}

// Iterative depth-first walk: a chain of thousands of nested processes must not exhaust the stack.
// `sorted` is already in sort order, so every children list built from it is too.
function walkTree(sorted: readonly ProcessInfo[], included: ReadonlySet<Pid>, collapsed: ReadonlySet<Pid>, glyphs: Glyphs): { pids: Pid[]; guides: string[] } {
  // Children are indexed from ppid rather than taken from the engine's index, so that roots and
  // children are decided by the same fact and no process can be listed twice or lost.
  const childrenByParent = new Map<Pid, Pid[]>();
  const roots: Pid[] = [];
  for (const p of sorted) {
    // A root is an included process whose parent is not listed (init, kthreadd, orphans, filtered parents).
    if (p.ppid === 0 || p.ppid === p.pid || !included.has(p.ppid)) {
      roots.push(p.pid);
      continue;
    }
    const siblings = childrenByParent.get(p.ppid);
    if (siblings === undefined) childrenByParent.set(p.ppid, [p.pid]);
    else siblings.push(p.pid);
  }
  const stack: Pending[] = roots.reverse().map((pid) => ({ pid, guide: '', childPrefix: '' }));
  const pids: Pid[] = [];
  const guides: string[] = [];
  while (stack.length > 0) {
    const node = stack.pop() as Pending;
    const children = childrenByParent.get(node.pid) ?? [];
    const isCollapsed = collapsed.has(node.pid) && children.length > 0;
    pids.push(node.pid);
    guides.push(node.guide === '' ? (isCollapsed ? '+ ' : '') : `${node.guide}${isCollapsed ? '+' : ' '}`);
    if (isCollapsed) continue;
    for (let i = children.length - 1; i >= 0; i--) {
      const last = i === children.length - 1;
      stack.push({
        pid: children[i] as Pid,
        guide: node.childPrefix + (last ? glyphs.lastBranch : glyphs.branch),
        childPrefix: node.childPrefix + (last ? glyphs.blank : glyphs.vertical) + ' ',
      });
    }
  }
  return { pids, guides };
}
