// Benchmark 3 (and 7): with 10,000 extra processes (or none: the machine's own ~100), the time from
// launch to the first complete frame (cntop's UI and htop, same run, same processes) and to the end of
// a complete `cntop snapshot --json`. frameRatio is issue 12's target: cntop <= frameRatio x htop.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, OUT, ROOT } from '../lib/build.mjs';
import { cntopFrameComplete, htopFrameComplete, isolatedHome } from '../lib/frames.mjs';
import { openPtyScreen } from '../lib/pty-screen.mjs';
import { row } from '../lib/table.mjs';
import { trackPid } from '../lib/children.mjs';

const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  return s.length === 0 ? null : s[Math.floor((s.length - 1) / 2)];
};

/** Launches a full-screen program, returns ms to its first complete frame (null on timeout), stops it. */
export async function timeToFirstFrame(name, command, args, isComplete, env = {}) {
  const screen = openPtyScreen(name, command, args, { env, cwd: ROOT, neverKill: name.startsWith('cntop') });
  try {
    return await screen.waitFor(isComplete, 20_000);
  } finally {
    await screen.stop();
  }
}

/** Runs `cntop snapshot --json` to completion; returns { ms, nodes } or { error }. */
function timeSnapshot() {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [CLI, 'snapshot', '--json'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise((r) => child.on('exit', r));
    trackPid('cntop snapshot', child.pid, exited);
    const chunks = [];
    let stderr = '';
    child.stdout.on('data', (d) => chunks.push(d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => {
      const ms = performance.now() - t0;
      if (code !== 0) return resolve({ error: `exit ${code}: ${stderr.trim().slice(0, 200)}` });
      try {
        resolve({ ms, nodes: countNodes(JSON.parse(Buffer.concat(chunks).toString('utf8'))) });
      } catch (e) {
        resolve({ error: `unparsable JSON: ${e.message}` });
      }
    });
  });
}

/** Counts process nodes in the snapshot, whatever its root shape (array of trees or { processes }). */
function countNodes(value) {
  if (Array.isArray(value)) return value.reduce((n, v) => n + countNodes(v), 0);
  if (value && typeof value === 'object') {
    const own = typeof value.pid === 'number' ? 1 : 0;
    const kids = Object.values(value).filter((v) => Array.isArray(v) || (v && typeof v === 'object'));
    return own + kids.reduce((n, v) => n + countNodes(v), 0);
  }
  return 0;
}

export async function startup({
  htop,
  repeats,
  extraProcesses,
  frameRatio = null,
  bench = `3. start-up, ${extraProcesses.toLocaleString('en-US')} extra processes`,
}) {
  const htopHome = join(OUT, 'htop-home');
  mkdirSync(htopHome, { recursive: true });
  const hasCli = existsSync(CLI);
  const htopMs = [];
  const uiMs = [];
  const snaps = [];
  // Interleaved, so that background noise hits both programs alike.
  for (let i = 0; i < repeats; i++) {
    if (htop)
      htopMs.push(await timeToFirstFrame('htop', htop, ['-d', '10'], htopFrameComplete, isolatedHome(htopHome)));
    if (hasCli) uiMs.push(await timeToFirstFrame('cntop ui', process.execPath, [CLI], cntopFrameComplete));
    if (hasCli) snaps.push(await timeSnapshot());
  }
  const snapOk = snaps.filter((s) => !s.error);
  const nodes = snapOk.map((s) => s.nodes);
  const cntopFrame = median(uiMs);
  const htopFrame = htop ? median(htopMs) : null;
  const framePass =
    frameRatio === null || cntopFrame === null || htopFrame === null ? null : cntopFrame <= frameRatio * htopFrame;
  const uiNote = uiMs.some((m) => m === null)
    ? `no complete frame within 20 s in ${uiMs.filter((m) => m === null).length} of ${repeats} runs`
    : '';
  return [
    row({
      bench,
      metric: 'launch -> first complete frame',
      unit: 'ms',
      cntop: cntopFrame,
      peer: htopFrame,
      peerName: 'htop',
      target:
        frameRatio === null ? 'reported (htop for reference)' : frameRatio === 1 ? '<= htop' : `<= ${frameRatio}x htop`,
      pass: framePass,
      note: [`median of ${repeats}; cntop ${fmtList(uiMs)}; htop ${fmtList(htopMs)}`, uiNote]
        .filter(Boolean)
        .join('; '),
    }),
    row({
      bench,
      metric: 'launch -> complete snapshot --json',
      unit: 'ms',
      cntop: median(snapOk.map((s) => s.ms)),
      target: 'reported',
      pass: snapOk.length === 0 ? false : Math.min(...nodes) >= extraProcesses ? null : false,
      note:
        snaps.length === 0
          ? 'dist/main.js missing'
          : `median of ${snapOk.length}; ${fmtList(snapOk.map((s) => s.ms))}; nodes ${nodes.join(', ')}${snaps.find((s) => s.error)?.error ? `; failed: ${snaps.find((s) => s.error).error}` : ''}`,
    }),
  ];
}

const fmtList = (xs) => `[${xs.map((x) => (typeof x === 'number' ? Math.round(x) : 'none')).join(', ')}]`;
