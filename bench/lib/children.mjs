// Every process the bench starts goes through here, so that every exit path (normal end, a thrown
// error, Ctrl-C, SIGTERM) stops them all: first SIGTERM (cntop owes the kernel its IGNORE), then, after
// a grace long enough for a loaded machine (a SIGKILLed cntop leaks its LISTEN), SIGKILL; except for
// processes started with `neverKill` (cntop and the engine probe): those get SIGTERM again and more
// time, and if they still live they are left running and named, never SIGKILLed.
import { spawn } from 'node:child_process';

const live = new Map(); // pid -> { name, exited: Promise<void>, neverKill }

/** Spawns a tracked child. The returned `exited` promise resolves with { code, signal }. */
export function spawnTracked(name, command, args, { neverKill = false, ...options } = {}) {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], ...options });
  let onExit;
  const exited = new Promise((resolve) => (onExit = resolve));
  child.on('exit', (code, signal) => {
    live.delete(child.pid);
    onExit({ code, signal });
  });
  child.on('error', (error) => {
    live.delete(child.pid);
    onExit({ code: null, signal: null, error });
  });
  if (child.pid !== undefined) live.set(child.pid, { name, exited, neverKill });
  return { child, exited };
}

/** Registers a process started some other way (e.g. a pty) so cleanup reaches it too. */
export function trackPid(name, pid, exited, { neverKill = false } = {}) {
  live.set(pid, { name, exited, neverKill });
  exited.then(() => live.delete(pid));
}

const NEVER_KILL_EXTRA_MS = 60_000;

/** Resolves true when `exited` settles within ms, false otherwise (and leaves no timer behind). */
async function exitsWithin(exited, ms) {
  let timer;
  const late = new Promise((r) => (timer = setTimeout(() => r('timeout'), ms)));
  const outcome = await Promise.race([exited, late]);
  clearTimeout(timer);
  return outcome !== 'timeout';
}

/**
 * SIGTERM, wait up to graceMs, then SIGKILL. Resolves when the process is gone. A neverKill process
 * gets SIGTERM again and another minute instead; still there, it is left running (said on stderr).
 */
export async function stopProcess(pid, graceMs = 8000) {
  const entry = live.get(pid);
  if (!entry) return;
  signal(pid, 'SIGTERM');
  if (await exitsWithin(entry.exited, graceMs)) return;
  if (entry.neverKill) {
    process.stderr.write(
      `bench: ${entry.name} (pid ${pid}) did not exit within ${graceMs} ms of SIGTERM; SIGTERM again, waiting up to ${NEVER_KILL_EXTRA_MS / 1000} s more (never SIGKILL: it owes the kernel its IGNORE)\n`,
    );
    signal(pid, 'SIGTERM');
    if (!(await exitsWithin(entry.exited, NEVER_KILL_EXTRA_MS))) {
      process.stderr.write(`bench: ${entry.name} (pid ${pid}) is still running; left alone, not SIGKILLed\n`);
      live.delete(pid);
    }
    return;
  }
  // Said out loud: a cntop killed this way never sends its IGNORE, and the kernel's listener counter
  // stays one higher for good (an experiment that starved the viewer of CPU did that); cntop's own
  // processes are therefore started with neverKill.
  process.stderr.write(`bench: ${entry.name} (pid ${pid}) did not exit within ${graceMs} ms of SIGTERM; SIGKILL\n`);
  signal(pid, 'SIGKILL');
  await entry.exited;
}

export async function stopAll() {
  await Promise.all([...live.keys()].map((pid) => stopProcess(pid)));
}

function signal(pid, sig) {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone: the goal is reached.
  }
}

/** Last resort on a synchronous exit: no time to wait, so SIGKILL whatever is left (SIGTERM for cntop). */
function killRemainingNow() {
  for (const [pid, entry] of live) signal(pid, entry.neverKill ? 'SIGTERM' : 'SIGKILL');
}

let installed = false;
export function installCleanupHandlers() {
  if (installed) return;
  installed = true;
  process.on('exit', killRemainingNow);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, async () => {
      process.stderr.write(`\nbench: ${sig}: stopping ${live.size} child process(es)\n`);
      await stopAll();
      process.exit(130);
    });
  }
}

export function liveNames() {
  return [...live.values()].map((e) => e.name);
}
