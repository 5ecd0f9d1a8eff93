// Child process for benchmark 1: the real engine on the real connector (dist/), with no output at all,
// so that its CPU is the engine's alone. It notes (pid, parent, time) of forks and exits and (pid, time)
// of execs, and answers commands on stdin: "count" prints how many events it has received so far (to
// see when it has drained a storm); "report <stormPid>" prints the storm's events it received (rules in
// bench/lib/storm-tally.mjs), the connector's loss counters and its CPU time, then it closes (one IGNORE).
// With --taskstats it opens taskstats too, as `cntop events` does, and also reports how many of the
// storm's exits the engine joined with a record and the addon's taskstats counters (records, ENOBUFS).
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { startEngine } from '../../dist/core/engine.js';
import { openKernelEventSource } from '../../dist/native/kernel-event-source.js';
import { createStormTally } from '../lib/storm-tally.mjs';

const taskstats = process.argv.includes('--taskstats');
const tally = createStormTally();
// Forks and the accounted exits (each says whether its record came), for the records' count alone.
const accounted = createStormTally();
let events = 0;

const source = openKernelEventSource({ taskstats });
const engine = await startEngine({ source, refreshMs: 1000 });
if (engine.status.mode !== 'netlink') {
  process.stderr.write(`engine is polling: ${engine.status.pollingReason}\n`);
  engine.close();
  process.exit(1);
}
engine.onEvents((batch) => {
  events += batch.length;
  for (const e of batch) {
    if (e.kind === 'fork') {
      tally.fork(e.pid, e.parentTgid, e.timeMs);
      if (taskstats) accounted.fork(e.pid, e.parentTgid, e.timeMs);
    } else if (e.kind === 'exit' && e.pid === e.tgid) tally.exit(e.pid, e.parentTgid, e.timeMs);
    else if (e.kind === 'exec') tally.exec(e.pid, e.timeMs);
  }
});
if (taskstats) {
  engine.onAccountedExits((exits) => {
    for (const { event, accounting } of exits) {
      if (event !== null) accounted.exit(event.pid, event.parentTgid, event.timeMs, accounting !== null);
    }
  });
}
process.stdout.write('ready\n');

/** For a storm child whose exit was not seen: every exit noted for its pid, and what the model holds. */
function cluesFor(pids) {
  return pids.map((pid) => {
    const p = engine.processes.get(pid);
    const model = p === undefined ? null : { ppid: p.ppid, state: p.state, comm: p.comm, exitMs: p.exitMs };
    return { pid, exits: tally.exitsOf(pid), model, inProc: existsSync(`/proc/${pid}`) };
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
  const result = tally.result(Number(m[1]));
  process.stdout.write(
    `${JSON.stringify({
      events,
      ...result,
      clues: cluesFor(result.unmatched.forkWithoutExit),
      overruns: s.connector?.overruns ?? null,
      seqGapMessages: s.connector?.seqGapMessages ?? null,
      resyncs: s.resyncs,
      taskstats: taskstats ? { ...s.accounting, storm: accounted.result(Number(m[1])).records } : null,
      cpuS: (cpu.user + cpu.system) / 1e6,
    })}\n`,
  );
  break;
}
shutdown(0);
