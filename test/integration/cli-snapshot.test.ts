// `cntop snapshot` against the real /proc: every process that stays alive throughout is in the
// JSON forest with the parent /proc gives it, and the text form draws the same processes.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { cntopCommand, missingBuild, REPO, withoutNpmNoise } from './cli-harness.js';
import { CONTROL_BUT_NEWLINE } from '../helpers/terminal-text.js';
import { childPid } from '../helpers/present.js';

interface Node {
  pid: number;
  ppid: number;
  user: string;
  state: string;
  comm: string;
  cmdline: string[] | null;
  threads: number;
  children: Node[];
}

/** pid → ppid of every process in /proc right now (pids that vanish mid-read are skipped). */
function procParents(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone between readdir and read: normal
    }
  }
  return parents;
}

function flatten(roots: Node[]): Map<number, Node & { depthParent: number | null }> {
  const all = new Map<number, Node & { depthParent: number | null }>();
  const stack: { node: Node; parent: number | null }[] = roots.map((node) => ({ node, parent: null }));
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    expect(all.has(item.node.pid), `pid ${item.node.pid} listed twice`).toBe(false);
    all.set(item.node.pid, { ...item.node, depthParent: item.parent });
    for (const child of item.node.children) stack.push({ node: child, parent: item.node.pid });
  }
  return all;
}

function snapshot(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const [command, ...prefix] = cntopCommand();
  const result = spawnSync(command as string, [...prefix, 'snapshot', ...args], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: withoutNpmNoise(result.stderr) };
}

const skipReason = missingBuild();
if (skipReason !== null) console.warn(`cli-snapshot tests skipped: ${skipReason}`);

describe.skipIf(skipReason !== null)('cntop snapshot on the real /proc', () => {
  // Its own process group, so that the shell and its sleep go together at the end.
  const sleeper = spawn('sh', ['-c', 'sleep 60 & wait'], { stdio: 'ignore', detached: true });
  afterAll(() => process.kill(-(sleeper.pid as number), 'SIGKILL'));

  it('--json agrees with /proc: every stable process, with its parent, and nothing twice', () => {
    const before = procParents();
    const result = snapshot(['--json']);
    const after = procParents();
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    const nodes = flatten(JSON.parse(result.stdout) as Node[]);
    let stable = 0;
    for (const [pid, ppid] of before) {
      if (after.get(pid) !== ppid) continue; // born, died or reparented during the run
      stable++;
      const node = nodes.get(pid);
      expect(node, `stable pid ${pid} missing from the snapshot`).toBeDefined();
      expect(node?.ppid, `ppid of ${pid}`).toBe(ppid);
      // Placed under its parent whenever the parent is listed; a root otherwise.
      expect(node?.depthParent).toBe(nodes.has(ppid) ? ppid : null);
    }
    expect(stable).toBeGreaterThan(5);
    // The snapshot invents nothing: each pid was in /proc before or after (or lived only during the run).
    const bornDuring = [...nodes.keys()].filter((pid) => !before.has(pid) && !after.has(pid));
    expect(bornDuring.length).toBeLessThan(nodes.size / 2);
    const mine = nodes.get(process.pid);
    expect(mine).toMatchObject({ pid: process.pid, user: 'root', cmdline: expect.any(Array) as unknown });
    const sleeperNode = nodes.get(sleeper.pid as number);
    expect(sleeperNode?.children.map((c) => c.comm)).toContain('sleep');
  });

  it('text: a header and one line per process, tree guides, nothing a terminal would obey', () => {
    const result = snapshot([]);
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ +PID USER +S +THR COMMAND$/);
    expect(lines.some((l) => /[├└]─ /.test(l))).toBe(true);
    expect(lines.find((l) => l.trimStart().startsWith(`${childPid(sleeper)} `))).toMatch(/sh -c sleep 60 & wait$/);
    expect(result.stdout).not.toMatch(CONTROL_BUT_NEWLINE);
    const ascii = snapshot(['--ascii']);
    expect(ascii.stdout).not.toMatch(/[├└│]/);
    expect(ascii.stdout).toMatch(/[|`]- /);
  });
});
