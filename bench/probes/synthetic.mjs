// Synthetic connector traffic for the model benchmarks: fork → exec → exit lifecycles of short-lived
// children, in batches as the addon delivers them, with kernel-like timestamps on a simulated clock.
// Child pids lie above this machine's pid_max, so /proc reads for them fail fast as "gone" — exactly what
// happens to real storm children, and they can never collide with a real process.

const FIRST_CHILD_PID = 4_000_000;
const PID_SPAN = 30_000; // pids are reused after this many children, as a small pid_max would

/** A clock the probe drives: time moves only when advance() is called; due timers then fire. */
export function simulatedClock(startMs) {
  let now = startMs;
  let nextId = 1;
  const timers = new Map();
  return {
    nowMs: () => now,
    setTimer(fn, delayMs) {
      const id = nextId++;
      timers.set(id, { at: now + delayMs, fn });
      return { id };
    },
    clearTimer(handle) {
      timers.delete(handle.id);
    },
    advance(ms) {
      now += ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= now).sort((a, b) => a[1].at - b[1].at);
        if (due.length === 0) return;
        for (const [id, t] of due) {
          timers.delete(id);
          t.fn();
        }
      }
    },
  };
}

/** Event batches of `batchEvents` events each, `eventsPerSecond` apart in simulated time. */
export function* lifecycleBatches({ parentPid, totalEvents, batchEvents, eventsPerSecond, startMs }) {
  const stepMs = 1000 / eventsPerSecond;
  let t = startMs;
  let made = 0;
  let child = 0;
  let batch = [];
  while (made < totalEvents) {
    const pid = FIRST_CHILD_PID + (child++ % PID_SPAN);
    const head = (kind) => ({ kind, pid, tgid: pid, cpu: child & 1, timeMs: (t += stepMs) });
    batch.push({ ...head('fork'), parentPid, parentTgid: parentPid });
    batch.push({ ...head('exec'), comm: 'true', cmdline: ['/bin/true'] });
    batch.push({ ...head('exit'), exitCode: 0, exitSignal: 17, parentPid, parentTgid: parentPid });
    made += 3;
    if (batch.length >= batchEvents) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** An EventSource (src/core/event-source.ts) whose batches the probe pushes by hand. */
export function pushSource() {
  let onBatch = null;
  let delivered = 0;
  const zeroKinds = { fork: 0, exec: 0, exit: 0, comm: 0, uid: 0, gid: 0, sid: 0, ptrace: 0, coredump: 0 };
  return {
    source: {
      async start(cb) {
        onBatch = cb;
        return {
          ok: true,
          value: { ack: { err: 0, latencyMs: 0 }, rcvbufBytes: 0, rcvbufForced: false, droppedKinds: [] },
        };
      },
      stats: () => ({
        eventsByKind: zeroKinds,
        batches: delivered,
        overruns: 0,
        seqGapMessages: 0,
        malformed: 0,
        foreign: 0,
        acksSeen: 0,
        rcvbufBytes: 0,
        lastEventMs: null,
        listenSent: true,
        ignoreSent: false,
      }),
      close() {},
    },
    push(events) {
      delivered++;
      onBatch({ events, overruns: 0, seqGapMessages: 0 });
    },
  };
}
