// `cntop exporter` as main.ts wires it: binds the HTTP address first (a taken port fails before any
// LISTEN is sent), counts the engine's events from its very first batch, and serves /metrics once the
// engine and the health monitor are in hand. Knows nothing of the kernel: main.ts passes the engine
// and the health report in.
import type { AccountedExit } from '../core/accounting/exit-accountant.js';
import type { EngineView } from '../core/engine-api.js';
import type { HealthReport } from '../core/health/health-types.js';
import { err, ok, type ProcEvent, type Result } from '../core/types.js';
import { createExporterMetrics } from './exporter-metrics.js';
import { formatListenAddress, type ListenAddress } from './listen-address.js';
import { describeListenError, listenForScrapes } from './metrics-server.js';
import { ProcessCounters } from './process-counters.js';

export interface ExporterOptions {
  readonly listen: ListenAddress;
  readonly maxCommands: number;
  /** Monotonic ms: how command activity ages. */
  readonly nowMs: () => number;
}

export interface Exporter {
  readonly address: ListenAddress;
  /** For the engine's onEvents and onAccountedExits, from before it starts. */
  readonly onEvents: (events: readonly ProcEvent[]) => void;
  readonly onAccountedExits: (exits: readonly AccountedExit[]) => void;
  /** Starts answering /metrics with the engine's status and this health report. */
  attach(engine: EngineView, health: () => HealthReport): void;
  close(): void;
}

export async function openExporter(options: ExporterOptions): Promise<Result<Exporter, string>> {
  const server = await listenForScrapes(options.listen);
  if (!server.ok) return err(describeListenError(options.listen, server.error));
  const counters = new ProcessCounters(options.maxCommands);
  return ok({
    address: server.value.address,
    onEvents: (events) => counters.countEvents(events, options.nowMs()),
    onAccountedExits: (exits) => counters.countExits(exits, options.nowMs()),
    attach: (engine, health) => server.value.serve(createExporterMetrics({ counters, engine, health })),
    close: () => server.value.close(),
  });
}

/** The line main prints once the exporter serves, and a warning when it cannot count anything. */
export function exporterStartMessage(address: ListenAddress, engine: EngineView): string {
  const serving = `cntop exporter: serving http://${formatListenAddress(address)}/metrics\n`;
  if (engine.status.mode === 'netlink') return serving;
  return (
    serving +
    `cntop exporter: warning: no process events (${engine.status.pollingReason ?? 'the process connector is not available'}); ` +
    "the process counters stay still and cntop_connector_healthy is 0. Run 'cntop doctor' for a diagnosis.\n"
  );
}
