// Builds the HealthMonitor for a running cntop: the real ports (fresh control sockets from the addon,
// the canary over the engine's own event stream and accounted exits, /proc facts, the system clock). main.ts calls
// createHealthMonitor(engine) once the engine runs and closes it before the engine.
import { systemClock } from '../core/clock.js';
import type { EngineView } from '../core/engine-api.js';
import { DEFAULT_CHECKUP, runCheckup, type CheckupResult } from '../core/health/checkup.js';
import { DEFAULT_MONITOR_OPTIONS, HealthMonitor, type MonitorOptions } from '../core/health/health-monitor.js';
import { newLedger } from '../core/health/probe-port.js';
import { kernelRelease, readAccessFacts } from './access-probe.js';
import { runCanary, type RecordFeed } from './canary.js';
import { loadAddon } from './load-addon.js';
import { nativeProbeSockets } from './probe-sockets.js';

export interface HealthRuntimeOptions extends MonitorOptions {
  readonly canaryTimeoutMs: number;
}

export const DEFAULT_HEALTH_RUNTIME: HealthRuntimeOptions = { ...DEFAULT_MONITOR_OPTIONS, canaryTimeoutMs: 3000 };

/** Creates and starts the monitor. Never throws: without the addon it reports what the engine says. */
export function createHealthMonitor(
  engine: EngineView,
  options: HealthRuntimeOptions = DEFAULT_HEALTH_RUNTIME,
): HealthMonitor {
  const clock = systemClock();
  const access = readAccessFacts();
  // With taskstats on, the canary's exit must also come back with its record (joined by the engine).
  const records: RecordFeed = (listener) =>
    engine.onAccountedExits((exits) => {
      const ids = exits.flatMap((exit) =>
        exit.accounting === null ? [] : [exit.process?.pid ?? exit.event?.pid ?? -1],
      );
      if (ids.length > 0) listener(ids);
    });
  const canary = () =>
    runCanary((listener) => engine.onEvents(listener), {
      timeoutMs: options.canaryTimeoutMs,
      nowMs: () => clock.nowMs(),
      ...(engine.status.accounting.state === 'on' ? { records } : {}),
    });
  const checkup = async (repair: boolean): Promise<CheckupResult> => {
    const addon = loadAddon();
    if (!addon.ok) return unavailable(`the addon cannot load: ${addon.error.kind}`);
    // null: re-check from the gate, since the start-up ack says nothing about the counter now.
    return runCheckup(
      null,
      { factory: nativeProbeSockets(addon.value), pid: process.pid, nowMs: () => clock.nowMs(), runCanary: canary },
      { ...DEFAULT_CHECKUP, repair, namespaceBlocked: access.initPidNs === false || access.initUserNs === false },
    );
  };
  const monitor = new HealthMonitor(engine, { clock, release: kernelRelease(), access, checkup, canary }, options);
  monitor.start();
  return monitor;
}

function unavailable(problem: string): CheckupResult {
  return {
    gate: null,
    deficit: null,
    deficitBeyond: null,
    semantics: null,
    canary: null,
    repair: null,
    ledger: newLedger(),
    timings: { gateMs: null, measureMs: null, stepMs: [], canaryMs: null },
    problems: [problem],
  };
}
