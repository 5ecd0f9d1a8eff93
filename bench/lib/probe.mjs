// Runs a bench probe (a node script under bench/probes) as a tracked child and parses the one JSON line
// it prints. A probe that fails or outlives its time limit becomes an error with its stderr.
import { join } from 'node:path';
import { ROOT } from './build.mjs';
import { spawnTracked, stopProcess } from './children.mjs';

export async function runProbe(script, args, { timeoutMs = 120_000, nodeFlags = [] } = {}) {
  const { child, exited } = spawnTracked(
    script,
    process.execPath,
    [...nodeFlags, join(ROOT, 'bench', 'probes', script), ...args],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let errText = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (errText += d));
  const timer = setTimeout(() => stopProcess(child.pid), timeoutMs);
  const { code, signal } = await exited;
  clearTimeout(timer);
  if (code !== 0)
    throw new Error(
      `${script} ${code === null ? `killed by ${signal} (time limit ${timeoutMs} ms?)` : `exited ${code}`}: ${errText.trim().slice(-400)}`,
    );
  return JSON.parse(out.trim().split('\n').pop());
}
