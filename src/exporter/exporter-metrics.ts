// The metrics `cntop exporter` serves, in one prom-client registry of its own (never the global one).
// Every value is read at scrape time from what the exporter counted (process-counters.ts), the engine's
// status and the health report: nothing is sampled between scrapes, and nothing here changes state.
import { Counter, Gauge, Registry } from 'prom-client';
import type { EngineView } from '../core/engine-api.js';
import { lostEvents } from '../core/health/health-facts.js';
import type { HealthReport, HealthStatus, TaskstatsStatus } from '../core/health/health-types.js';
import { PROC_EVENT_KINDS } from '../core/types.js';
import { EXIT_OUTCOMES } from './exit-outcome.js';
import type { ProcessCounters } from './process-counters.js';

export interface MetricSources {
  readonly counters: ProcessCounters;
  readonly engine: EngineView;
  /** The connector's health as `cntop doctor` and the viewer's panel derive it. */
  readonly health: () => HealthReport;
}

const HEALTH_STATUSES: readonly HealthStatus[] = ['healthy', 'degraded', 'blind'];
const TASKSTATS_STATUSES: readonly TaskstatsStatus[] = ['ok', 'lossy', 'silent', 'unconfirmed', 'off'];

export interface ExporterMetrics {
  readonly contentType: string;
  /** The text exposition of every metric, read from the sources now. */
  scrape(): Promise<string>;
}

/** Builds the registry; each metric's collect() reads its sources when Prometheus scrapes. */
export function createExporterMetrics(sources: MetricSources): ExporterMetrics {
  const registry = new Registry();
  const { counters, engine } = sources;
  // One health report per scrape, shared by the metrics that show parts of it.
  let report: HealthReport | null = null;
  const health = (): HealthReport => (report ??= sources.health());

  counter(
    registry,
    'cntop_process_starts_total',
    'Processes that called exec, by command name (comm; the top N commands by activity, the rest as "other"). Counted from the kernel\'s exec events.',
    ['command'],
    (set) => {
      for (const [command, counts] of counters.series()) set({ command }, counts.starts);
    },
  );
  counter(
    registry,
    'cntop_process_exits_total',
    "Processes that ended, by command name and outcome (ok: exit 0, failed: non-zero exit, signaled: killed by a signal). Counted from the kernel's exit events.",
    ['command', 'outcome'],
    (set) => {
      for (const [command, counts] of counters.series())
        for (const outcome of EXIT_OUTCOMES) set({ command, outcome }, counts.exits[outcome]);
    },
  );
  counter(
    registry,
    'cntop_exited_cpu_seconds_total',
    "User plus system CPU time of processes that ended, by command name, from the kernel's taskstats record of each exit.",
    ['command'],
    (set) => {
      for (const [command, counts] of counters.series()) set({ command }, counts.cpuSeconds);
    },
  );
  counter(
    registry,
    'cntop_command_evictions_total',
    'Times a command lost its own series to a more active one (its later events count as "other").',
    [],
    (set) => set({}, counters.slots.evictions),
  );
  gauge(
    registry,
    'cntop_processes',
    'Processes (thread groups) alive, kernel threads included, as the event-fed model holds them.',
    [],
    (set) => {
      let alive = 0;
      for (const info of engine.processes.values()) if (info.exitMs === null) alive++;
      set({}, alive);
    },
  );
  counter(
    registry,
    'cntop_events_total',
    'Process connector events received since the exporter started, by kind (thread events included).',
    ['kind'],
    (set) => {
      for (const kind of PROC_EVENT_KINDS) set({ kind }, counters.eventsByKind[kind]);
    },
  );
  counter(
    registry,
    'cntop_events_lost_total',
    'Connector events known lost: each receive-buffer overrun counts at least 1, plus messages missing from the per-CPU sequences.',
    [],
    (set) => {
      const connector = engine.status.connector;
      set(
        {},
        connector === null
          ? 0
          : lostEvents({ overruns: connector.overruns, seqGapMessages: connector.seqGapMessages, lastLossMs: null }),
      );
    },
  );
  counter(
    registry,
    'cntop_resyncs_total',
    'Full /proc rescans made to resynchronise the model after events were lost.',
    [],
    (set) => set({}, engine.status.resyncs),
  );
  gauge(
    registry,
    'cntop_connector_healthy',
    '1 while the process connector is healthy (events proven to flow), else 0.',
    [],
    (set) => set({}, health().status === 'healthy' ? 1 : 0),
  );
  gauge(
    registry,
    'cntop_connector_status',
    "The connector's health verdict: 1 for the current status, 0 for the others.",
    ['status'],
    (set) => {
      const now = health().status;
      for (const status of HEALTH_STATUSES) set({ status }, status === now ? 1 : 0);
    },
  );
  gauge(
    registry,
    'cntop_connector_listener_deficit',
    "How far below 1 the kernel's connector listener counter stood (0: the gate is open); NaN until measured.",
    [],
    (set) => set({}, health().deficit ?? Number.NaN),
  );
  gauge(
    registry,
    'cntop_connector_ack_latency_seconds',
    "Time the kernel took to acknowledge cntop's LISTEN; NaN when no acknowledgement came.",
    [],
    (set) => {
      const latencyMs = health().ack.latencyMs;
      set({}, latencyMs === null ? Number.NaN : latencyMs / 1000);
    },
  );
  gauge(
    registry,
    'cntop_taskstats_status',
    'The per-exit accounting (taskstats) verdict: 1 for the current status, 0 for the others.',
    ['status'],
    (set) => {
      const now = health().taskstats.status;
      for (const status of TASKSTATS_STATUSES) set({ status }, status === now ? 1 : 0);
    },
  );
  counter(registry, 'cntop_taskstats_records_total', 'Taskstats exit records received.', [], (set) =>
    set({}, engine.status.accounting.records),
  );
  counter(
    registry,
    'cntop_taskstats_overruns_total',
    'Taskstats socket overruns: each lost one or more exit records.',
    [],
    (set) => set({}, engine.status.accounting.overruns),
  );
  return {
    contentType: registry.contentType,
    scrape: async () => {
      report = null; // derived afresh for each scrape
      return registry.metrics();
    },
  };
}

type Labels = Record<string, string>;
type Setter = (labels: Labels, value: number) => void;

/** A counter whose values are the running totals cntop keeps: replaced, never re-counted, at each scrape. */
function counter(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly string[],
  fill: (set: Setter) => void,
): void {
  new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      fill((labels, value) => this.inc(labels, value));
    },
  });
}

function gauge(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly string[],
  fill: (set: Setter) => void,
): void {
  new Gauge({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      fill((labels, value) => this.set(labels, value));
    },
  });
}
