// Child process for benchmark 1: the real engine on the real connector (dist/), with no output at all,
// so its CPU is the engine's alone. It keeps (pid, parent, time) of fork/exit events and (pid, time) of
// execs, and answers commands on stdin: "report <stormPid>" prints one JSON line with the storm's
// events it received, the connector's loss counters and its CPU time, then it closes (one IGNORE);
// "count" prints how many events it has received so far (to see when it has drained a storm).
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { startEngine } from '../../dist/core/engine.js';
import { openKernelEventSource } from '../../dist/native/kernel-event-source.js';
import { unmatchedPids } from '../lib/event-count.mjs';

const forks = [];
const exits = [];
const execs = [];
let events = 0;

const source = openKernelEventSource();
const engine = await startEngine({ source, refreshMs: 1000 });
if (engine.status.mode !== 'netlink') {
  process.stderr.write(`engine is polling: ${engine.status.pollingReason}\n`);
  engine.close();
  process.exit(1);
}
engine.onEvents((batch) => {
  events += batch.length;
  for (const e of batch) {
    if (e.kind === 'fork') forks.push(e.pid, e.parentTgid, e.timeMs);
    else if (e.kind === 'exit' && e.pid === e.tgid) exits.push(e.pid, e.parentTgid, e.timeMs);
    else if (e.kind === 'exec') execs.push(e.pid, e.timeMs);
  }
});
process.stdout.write('ready\n');

/** The storm's forks, execs and exits among what the engine delivered (same rules as event-count.mjs). */
function stormReport(stormPid) {
  const lives = new Map();
  const note = (list) => {
    const pids = new Map();
    for (let i = 0; i < list.length; i += 3) {
      if (list[i + 1] !== stormPid) continue;
      pids.set(list[i], (pids.get(list[i]) ?? 0) + 1);
      const times = lives.get(list[i]) ?? [];
      times.push(list[i + 2]);
      lives.set(list[i], times);
    }
    return pids;
  };
  const forkPids = note(forks);
  const exitPids = note(exits);
  let exec = 0;
  for (let i = 0; i < execs.length; i += 2) {
    if (lives.get(execs[i])?.some((t) => Math.abs(t - execs[i + 1]) <= 200)) exec++;
  }
  const sum = (m) => [...m.values()].reduce((a, b) => a + b, 0);
  const unmatched = unmatchedPids(forkPids, exitPids);
  return { storm: { fork: sum(forkPids), exec, exit: sum(exitPids) }, unmatched, clues: cluesFor(unmatched.forkWithoutExit) };
}

/** For a storm child whose exit was not seen: every exit recorded for its pid, and what the model holds. */
function cluesFor(pids) {
  return pids.map((pid) => {
    const exitsOfPid = [];
    for (let i = 0; i < exits.length; i += 3) if (exits[i] === pid) exitsOfPid.push({ parent: exits[i + 1], timeMs: exits[i + 2] });
    const p = engine.processes.get(pid);
    const model = p === undefined ? null : { ppid: p.ppid, state: p.state, comm: p.comm, exitMs: p.exitMs };
    return { pid, exits: exitsOfPid, model, inProc: existsSync(`/proc/${pid}`) };
  });
}

function shutdown(code) {
  engine.close();
  process.exit(code);
}
process.on('SIGTERM', () => shutdown(0));
process.on('SIGINT', () => shutdown(0));

for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === 'count') {
    process.stdout.write(`${JSON.stringify({ events })}\n`);
    continue;
  }
  const m = /^report (\d+)$/.exec(line.trim());
  if (!m) continue;
  const s = engine.status;
  const cpu = process.cpuUsage();
  process.stdout.write(
    `${JSON.stringify({
      events,
      ...stormReport(Number(m[1])),
      overruns: s.connector?.overruns ?? null,
      seqGapMessages: s.connector?.seqGapMessages ?? null,
      resyncs: s.resyncs,
      cpuS: (cpu.user + cpu.system) / 1e6,
    })}\n`,
  );
  break;
}
shutdown(0);
