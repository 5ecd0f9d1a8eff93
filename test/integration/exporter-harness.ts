// Drives `cntop exporter` in the exporter tests: free loopback ports, the exporter started and
// waited for, its /metrics read and parsed, and short processes with chosen names (symlinks to dash,
// so that the kernel names each process after its link) run in bulk by one shell.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startCntop, waitFor, type CntopRun } from './cli-harness.js';

/** A TCP port free on loopback now (the kernel picks it; a race with another binder is unlikely). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface ExporterRun {
  readonly run: CntopRun;
  readonly url: string;
  metrics(): Promise<string>;
}

/** Starts `cntop exporter` on a free loopback port and waits until /metrics answers 200. */
export async function startExporter(extraArgs: readonly string[] = []): Promise<ExporterRun> {
  const port = await freePort();
  const run = startCntop(['exporter', '--listen', `127.0.0.1:${port}`, ...extraArgs]);
  const url = `http://127.0.0.1:${port}`;
  let ready = false;
  const deadline = Date.now() + 20_000;
  while (!ready && Date.now() < deadline) {
    if (run.child.exitCode !== null) throw new Error(`cntop exporter exited early: ${run.stderr()}`);
    ready = await fetch(`${url}/metrics`).then(
      (r) => r.ok,
      () => false,
    );
    if (!ready) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!ready) throw new Error(`cntop exporter did not serve /metrics within 20 s; stderr: ${run.stderr()}`);
  await waitFor(() => run.stderr().includes('serving'), 5000, 'the serving line');
  return { run, url, metrics: () => fetch(`${url}/metrics`).then((r) => r.text()) };
}

/** SIGTERM, and the exit status. */
export async function stopExporter(
  exporter: ExporterRun,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  exporter.run.child.kill('SIGTERM');
  return exporter.run.exited;
}

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Parses the text exposition format (label values with \\, \" and \n escapes). */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null) throw new Error(`not an exposition line: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    const labelText = match[2] ?? '';
    const labelPattern = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/g;
    for (const label of labelText.matchAll(labelPattern)) {
      labels[label[1] as string] = (label[2] as string).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The value of the one sample of name with exactly these labels among its own, or undefined. */
export function valueOf(
  samples: readonly Sample[],
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

/** A temporary directory of symlinks to dash, one per name: running one names the process after it. */
export function commandLinks(names: readonly string[]): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'cntop-exporter-'));
  const dash = spawnSync('sh', ['-c', 'command -v dash'], { encoding: 'utf8' }).stdout.trim() || '/bin/sh';
  for (const name of names) symlinkSync(dash, path.join(dir, name));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs a shell script (one dash forking every process the script names); throws if the shell failed to run. */
export function runShell(script: string, cwd: string): void {
  const result = spawnSync('dash', ['-c', script], { cwd, encoding: 'utf8', timeout: 120_000 });
  if (result.error !== undefined) throw result.error;
}
