// Which processes the list shows and in what order: tree (siblings sorted by the sort column, with
// guides) or flat, after the filter, the user filter and the kernel-thread toggle. Pure and cached
// by the caller; this is the only per-frame work proportional to the number of processes.
import type { Pid, ProcessInfo } from '../core/types.js';
import { compareBy } from './columns.js';
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
  const sort = activeSort(state);
  const compare = compareBy(sort.key, sort.descending, nowMs);
  if (!state.treeView) {
    const list = [...included.set].map((pid) => source.processes.get(pid)).filter((p): p is ProcessInfo => p !== undefined);
    list.sort(compare);
    return { pids: list.map((p) => p.pid), guides: list.map(() => ''), matched: included.matched };
  }
  return { ...walkTree(source, included.set, state.collapsed, compare, glyphs), matched: included.matched };
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
function walkTree(
  source: ProcessSource,
  included: ReadonlySet<Pid>,
  collapsed: ReadonlySet<Pid>,
  compare: (a: ProcessInfo, b: ProcessInfo) => number,
  glyphs: Glyphs,
): { pids: Pid[]; guides: string[] } {
  const infoOf = (pids: Iterable<Pid>): ProcessInfo[] => {
    const out: ProcessInfo[] = [];
    for (const pid of pids) {
      const p = source.processes.get(pid);
      if (p !== undefined && included.has(pid)) out.push(p);
    }
    return out.sort(compare);
  };
  // Children are indexed from ppid rather than taken from the engine's index, so that roots and
  // children are decided by the same fact and no process can be listed twice or lost.
  const childrenByParent = new Map<Pid, Pid[]>();
  const rootPids: Pid[] = [];
  for (const pid of included) {
    const ppid = source.processes.get(pid)?.ppid;
    // A root is an included process whose parent is not listed (init, kthreadd, orphans, filtered parents).
    if (ppid === undefined || ppid === 0 || ppid === pid || !included.has(ppid)) {
      rootPids.push(pid);
      continue;
    }
    const siblings = childrenByParent.get(ppid);
    if (siblings === undefined) childrenByParent.set(ppid, [pid]);
    else siblings.push(pid);
  }
  const roots = infoOf(rootPids);
  const stack: Pending[] = roots.reverse().map((p) => ({ pid: p.pid, guide: '', childPrefix: '' }));
  const pids: Pid[] = [];
  const guides: string[] = [];
  while (stack.length > 0) {
    const node = stack.pop() as Pending;
    const children = infoOf(childrenByParent.get(node.pid) ?? []);
    const isCollapsed = collapsed.has(node.pid) && children.length > 0;
    pids.push(node.pid);
    guides.push(node.guide === '' ? (isCollapsed ? '+ ' : '') : `${node.guide}${isCollapsed ? '+' : ' '}`);
    if (isCollapsed) continue;
    for (let i = children.length - 1; i >= 0; i--) {
      const last = i === children.length - 1;
      stack.push({
        pid: (children[i] as ProcessInfo).pid,
        guide: node.childPrefix + (last ? glyphs.lastBranch : glyphs.branch),
        childPrefix: node.childPrefix + (last ? glyphs.blank : glyphs.vertical) + ' ',
      });
    }
  }
  return { pids, guides };
}
