// Load for the benchmarks: a fork storm (bench/native/storm.c) and a swarm of idle processes
// (bench/native/idle-swarm.c). Both are tracked children, so cleanup reaches them on every path.
import { bin } from './build.mjs';
import { spawnTracked, stopProcess } from './children.mjs';

/** Runs one storm to the end; resolves with the generator's own JSON report. */
export async function runStorm({ mode, durationS, rate = 0, inFlight = 8 }) {
  const args = [
    '--mode',
    mode,
    '--duration',
    String(durationS),
    '--rate',
    String(rate),
    '--in-flight',
    String(inFlight),
  ];
  const { child, exited } = spawnTracked(`storm ${mode}`, bin('storm'), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let errText = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (errText += d));
  const { code } = await exited;
  if (code !== 0) throw new Error(`storm exited ${code}: ${errText.trim()}`);
  return JSON.parse(out.trim());
}

/** Events the kernel emits per storm child: fork + exit, plus exec in exec mode. */
export const eventsPerChild = (mode) => (mode === 'exec' ? 3 : 2);

/**
 * Starts `count` idle processes and resolves once they all exist, with { pid, count, stop() }.
 * stop() kills and reaps them; the swarm also ends if the bench dies (its stdin pipe closes).
 */
export async function startIdleSwarm(count) {
  const { child, exited } = spawnTracked('idle swarm', bin('idle-swarm'), [String(count)]);
  let out = '';
  const ready = new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /ready (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    exited.then(({ code }) => reject(new Error(`idle swarm exited early (${code}): ${out.trim()}`)));
  });
  const started = await ready;
  if (started !== count) {
    await stopProcess(child.pid);
    throw new Error(`idle swarm started only ${started} of ${count} processes`);
  }
  return {
    pid: child.pid,
    count: started,
    stop: async () => {
      child.stdin.end();
      await stopProcess(child.pid, 10_000);
    },
  };
}
