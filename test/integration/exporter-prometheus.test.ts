// `cntop exporter` against the real thing: its exposition passes Debian's `promtool check metrics`,
// and a real Prometheus server (started here on loopback, scraping every second) sees the target up,
// counts every one of 500 processes that each lived about 2 ms by command and outcome, and sees the
// connector healthy throughout. Prometheus and promtool come from Debian's prometheus package,
// installed on first use.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDebianCommands } from '../helpers/debian-packages.js';
import { missingBuild, sleep } from './cli-harness.js';
import {
  commandLinks,
  freePort,
  parseExposition,
  runShell,
  startExporter,
  stopExporter,
  type ExporterRun,
} from './exporter-harness.js';
import { present } from '../helpers/present.js';

const skipReason = missingBuild() ?? ensureDebianCommands({ promtool: 'prometheus', prometheus: 'prometheus' });
if (skipReason !== null) console.warn(`exporter/Prometheus tests skipped: ${skipReason}`);

/** A name per outcome, unique to this run (comm keeps 15 bytes), so no other process on the machine shares it. */
const tag = Math.random().toString(36).slice(2, 8);
const NAMES = { ok: `cx-ok-${tag}`, failed: `cx-fail-${tag}`, signaled: `cx-sig-${tag}` } as const;
/** 500 processes: how many end each way. */
const RUNS = { ok: 250, failed: 150, signaled: 100 } as const;
/** About 1-2 ms of dash builtins after start-up: no child, no exec, nothing but the process itself. */
const BUSY = 'i=0; while [ $i -lt 100 ]; do i=$((i+1)); done';
const BODY = { ok: BUSY, failed: `${BUSY}; exit 3`, signaled: `${BUSY}; kill -9 $$` } as const;

function script(counts: Readonly<Record<keyof typeof NAMES, number>>): string {
  return (Object.keys(NAMES) as (keyof typeof NAMES)[])
    .map(
      (kind) =>
        `n=0; while [ $n -lt ${counts[kind]} ]; do ./${NAMES[kind]} -c '${BODY[kind]}' 2>/dev/null; n=$((n+1)); done`,
    )
    .join('\n');
}

interface PrometheusServer {
  readonly url: string;
  readonly child: ChildProcess;
  query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  stop(): Promise<void>;
}

async function startPrometheus(dir: string, target: string): Promise<PrometheusServer> {
  const port = await freePort();
  const config = path.join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 1s',
      'scrape_configs:',
      '  - job_name: cntop',
      '    static_configs:',
      `      - targets: ['${target}']`,
      '',
    ].join('\n'),
  );
  const child = spawn(
    'prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (log = (log + chunk).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (
    !(await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`prometheus did not become ready: ${log}`);
    await sleep(200);
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    child,
    async query(expr) {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
      const body = (await response.json()) as {
        status: string;
        data: { result: { metric: Record<string, string>; value: [number, string] }[] };
      };
      if (body.status !== 'success') throw new Error(`query ${expr} failed: ${JSON.stringify(body)}`);
      return body.data.result;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The single value of a Prometheus query, or null when it returned no series. */
async function scalar(prometheus: PrometheusServer, expr: string): Promise<number | null> {
  const result = await prometheus.query(expr);
  if (result.length > 1) throw new Error(`${expr} returned ${result.length} series`);
  return result.length === 0 ? null : Number(result[0]?.value[1]);
}

describe.skipIf(skipReason !== null)('cntop exporter scraped by Prometheus', () => {
  // Unset until beforeAll sets them, and still unset in afterAll if it failed first.
  let exporter: ExporterRun | undefined;
  let prometheus: PrometheusServer | undefined;
  let dir: string | undefined;
  let links: ReturnType<typeof commandLinks> | undefined;
  /** What beforeAll set up, for the tests (which run only when it succeeded). */
  const setUp = () => ({
    exporter: present(exporter, 'the exporter'),
    prometheus: present(prometheus, 'the Prometheus server'),
    links: present(links, 'the command links'),
  });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cntop-prometheus-'));
    links = commandLinks(Object.values(NAMES));
    exporter = await startExporter();
    prometheus = await startPrometheus(dir, exporter.url.replace('http://', ''));
  });

  afterAll(async () => {
    await prometheus?.stop();
    if (exporter !== undefined) expect(await stopExporter(exporter)).toEqual({ code: 0, signal: null });
    links?.remove();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('serves an exposition that promtool check metrics accepts, with every metric the issue asks for', async () => {
    const { exporter, links } = setUp();
    runShell(script({ ok: 3, failed: 3, signaled: 3 }), links.dir); // so that the command series exist
    await sleep(500);
    const text = await exporter.metrics();
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect({ status: check.status, out: check.stdout + check.stderr }).toEqual({ status: 0, out: '' });
    const names = new Set(parseExposition(text).map((s) => s.name));
    for (const name of [
      'cntop_process_starts_total',
      'cntop_process_exits_total',
      'cntop_exited_cpu_seconds_total',
      'cntop_processes',
      'cntop_events_total',
      'cntop_events_lost_total',
      'cntop_resyncs_total',
      'cntop_connector_healthy',
      'cntop_connector_status',
      'cntop_connector_listener_deficit',
      'cntop_connector_ack_latency_seconds',
      'cntop_taskstats_status',
      'cntop_taskstats_records_total',
    ]) {
      expect(names, name).toContain(name);
    }
    // Nothing from a command line: the dash -c scripts above never appear, only the names.
    expect(text).not.toContain('while [');
  });

  it('counts every one of 500 processes of ~2 ms by command and outcome, while the connector says healthy', async () => {
    const { prometheus, links } = setUp();
    // Warm-up: each name holds its own series (it may have had to win a slot from a quieter command).
    runShell(script({ ok: 10, failed: 10, signaled: 10 }), links.dir);
    const series = (kind: keyof typeof NAMES): string =>
      `cntop_process_exits_total{job="cntop",command="${NAMES[kind]}",outcome="${kind}"}`;
    const before: Record<string, number> = {};
    // The baseline is what Prometheus itself scraped once the warm-up had settled (two equal scrapes).
    let previous = '';
    const deadline = Date.now() + 20_000;
    for (;;) {
      const values = await Promise.all(
        (Object.keys(NAMES) as (keyof typeof NAMES)[]).map((kind) => scalar(prometheus, series(kind))),
      );
      const key = JSON.stringify(values);
      if (values.every((v) => v !== null) && key === previous) {
        (Object.keys(NAMES) as (keyof typeof NAMES)[]).forEach((kind, i) => (before[kind] = values[i] as number));
        break;
      }
      if (Date.now() > deadline) throw new Error(`warm-up never settled in Prometheus: ${key}`);
      previous = key;
      await sleep(1500);
    }
    const startedAt = Date.now();
    runShell(script(RUNS), links.dir);
    const ranMs = Date.now() - startedAt;
    for (const kind of Object.keys(NAMES) as (keyof typeof NAMES)[]) {
      const want = (before[kind] ?? 0) + RUNS[kind];
      const until = Date.now() + 20_000;
      let got = await scalar(prometheus, series(kind));
      while (got !== want && Date.now() < until) {
        await sleep(500);
        got = await scalar(prometheus, series(kind));
      }
      expect(got, `${NAMES[kind]} ${kind} exits in Prometheus`).toBe(want);
      // No other outcome under this name: a failed process is not counted as ok, nor the reverse.
      for (const other of ['ok', 'failed', 'signaled'].filter((o) => o !== kind)) {
        expect(await scalar(prometheus, `cntop_process_exits_total{command="${NAMES[kind]}",outcome="${other}"}`)).toBe(
          0,
        );
      }
    }
    // Starts (execs) likewise, and CPU time accounted for the name.
    for (const kind of Object.keys(NAMES) as (keyof typeof NAMES)[]) {
      expect(await scalar(prometheus, `cntop_process_starts_total{command="${NAMES[kind]}"}`)).toBe(
        (before[kind] ?? 0) + RUNS[kind],
      );
      expect(await scalar(prometheus, `cntop_exited_cpu_seconds_total{command="${NAMES[kind]}"}`)).not.toBeNull();
    }
    // Prometheus saw the target up, and healthy on every scrape since before the run.
    const targets = (await (await fetch(`${prometheus.url}/api/v1/targets`)).json()) as {
      data: { activeTargets: { health: string; scrapeUrl: string }[] };
    };
    expect(targets.data.activeTargets.map((t) => t.health)).toEqual(['up']);
    const windowS = Math.ceil((Date.now() - startedAt) / 1000) + 3;
    expect(await scalar(prometheus, `min_over_time(cntop_connector_healthy[${windowS}s])`)).toBe(1);
    expect(await scalar(prometheus, `min_over_time(cntop_connector_status{status="healthy"}[${windowS}s])`)).toBe(1);
    expect(
      await scalar(
        prometheus,
        `max_over_time(cntop_events_lost_total[${windowS}s]) - min_over_time(cntop_events_lost_total[${windowS}s])`,
      ),
    ).toBe(0);
    console.log(`exporter/Prometheus: 500 processes ran in ${ranMs} ms; every one counted by command and outcome`);
  });
});
