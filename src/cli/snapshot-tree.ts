// Builds the forest `cntop snapshot` prints from the model's processes: roots are processes whose
// parent is not present (pid 1, kthreadd, orphans of a vanished parent). Pure; formats live elsewhere.
import type { Pid, ProcessInfo } from '../core/types.js';

export interface SnapshotNode {
  readonly pid: Pid;
  readonly ppid: Pid;
  readonly user: string;
  readonly state: string;
  readonly comm: string;
  readonly cmdline: readonly string[] | null;
  readonly threads: number;
  /** Only in a recorded snapshot: its exit event was lost, so it may have ended before the instant shown. */
  readonly endUncertain?: true;
  readonly children: SnapshotNode[];
}

/**
 * Live processes (tombstones left out) as a forest, children sorted by pid. Built without recursion,
 * and a parent cycle (impossible in the kernel, possible in a stale model) cannot lose a process:
 * whatever no root reaches becomes a root itself.
 */
export function buildSnapshotTree(
  processes: Iterable<ProcessInfo>,
  endUncertain: ReadonlySet<Pid> = new Set(),
): SnapshotNode[] {
  const nodes = new Map<Pid, SnapshotNode>();
  for (const p of processes) {
    if (p.exitMs !== null) continue;
    nodes.set(p.pid, toNode(p, endUncertain.has(p.pid)));
  }
  const roots: SnapshotNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.ppid === node.pid ? undefined : nodes.get(node.ppid);
    if (parent === undefined) roots.push(node);
    else parent.children.push(node);
  }
  const reached = markReachable(roots);
  for (const node of nodes.values()) {
    if (!reached.has(node.pid)) {
      const parent = nodes.get(node.ppid);
      if (parent !== undefined) parent.children.splice(parent.children.indexOf(node), 1);
      roots.push(node);
      for (const pid of markReachable([node])) reached.add(pid);
    }
  }
  sortForest(roots);
  return roots;
}

function toNode(p: ProcessInfo, endUncertain: boolean): SnapshotNode {
  return {
    pid: p.pid,
    ppid: p.ppid,
    user: p.user,
    state: p.state,
    comm: p.comm,
    cmdline: p.cmdline,
    threads: p.threads,
    ...(endUncertain ? { endUncertain: true as const } : {}),
    children: [],
  };
}

function markReachable(roots: readonly SnapshotNode[]): Set<Pid> {
  const seen = new Set<Pid>();
  const stack = [...roots];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (seen.has(node.pid)) continue;
    seen.add(node.pid);
    stack.push(...node.children);
  }
  return seen;
}

function sortForest(roots: SnapshotNode[]): void {
  const byPid = (a: SnapshotNode, b: SnapshotNode): number => a.pid - b.pid;
  roots.sort(byPid);
  const stack = [...roots];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    node.children.sort(byPid);
    stack.push(...node.children);
  }
}
