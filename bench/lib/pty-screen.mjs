// Runs a full-screen program in a real pseudo-terminal (node-pty) and keeps a headless xterm
// (@xterm/headless) in sync with its output, so a benchmark can ask "what is on screen now" and
// "when did the first complete frame arrive" (the arrival time of the chunk that completed it).
import pty from 'node-pty';
import xterm from '@xterm/headless';
import { trackPid, stopProcess } from './children.mjs';

const { Terminal } = xterm;

/** neverKill: a cntop (it owes the kernel its IGNORE): stopped by SIGTERM only, never SIGKILLed. */
export function openPtyScreen(name, command, args, { cols = 160, rows = 50, env = {}, cwd, neverKill = false } = {}) {
  const term = new Terminal({ cols, rows, allowProposedApi: true, scrollback: 0 });
  const launchedMs = performance.now();
  const proc = pty.spawn(command, args, {
    name: 'xterm-256color',
    cols,
    rows,
    cwd,
    env: { ...process.env, TERM: 'xterm-256color', ...env },
  });
  let onExit;
  const exited = new Promise((r) => (onExit = r));
  proc.onExit((e) => onExit(e));
  trackPid(name, proc.pid, exited, { neverKill });

  const watchers = new Set();
  let bytes = 0;
  proc.onData((data) => {
    const arrivedMs = performance.now();
    bytes += data.length;
    term.write(data, () => {
      for (const w of watchers) w(arrivedMs);
    });
  });

  const screenLines = () => {
    const buf = term.buffer.active;
    const lines = [];
    for (let y = 0; y < rows; y++) lines.push(buf.getLine(buf.viewportY + y)?.translateToString(true) ?? '');
    return lines;
  };

  /** Resolves with ms since launch when predicate(lines) first holds, or null after timeoutMs. */
  const waitFor = (predicate, timeoutMs) =>
    new Promise((resolve) => {
      const done = (value) => {
        watchers.delete(check);
        clearTimeout(timer);
        resolve(value);
      };
      const check = (arrivedMs) => {
        if (predicate(screenLines())) done(arrivedMs - launchedMs);
      };
      const timer = setTimeout(() => done(null), timeoutMs);
      watchers.add(check);
      exited.then(() => done(null));
    });

  return {
    pid: proc.pid,
    exited,
    screenLines,
    waitFor,
    write: (keys) => proc.write(keys),
    bytesReceived: () => bytes,
    stop: async () => {
      await stopProcess(proc.pid);
      term.dispose();
    },
  };
}
