// One full check of the connector after cntop's own LISTEN: gate, exact deficit, kernel semantics by
// behaviour, canary, and optionally the repair. Shared by `cntop doctor` and the UI's R key; the kernel
// is reached only through the injected ports, so tests drive it with a simulated kernel.
import type { CanaryOutcome, RepairFacts } from './health-facts.js';
import { measureDeficit, probeGate, type GateState, type HeldRaise } from './listener-counter.js';
import { healthCookie, newLedger, type CounterLedger, type ProbeSocketFactory } from './probe-port.js';
import { probeSemantics, type SemanticsProbe } from './semantics-probe.js';

export interface CheckupPorts {
  readonly factory: ProbeSocketFactory;
  readonly pid: number;
  readonly nowMs: () => number;
  /** Spawns a short child and waits for its fork/exec/exit events (see native/canary.ts). */
  readonly runCanary: () => Promise<CanaryOutcome>;
}

export interface CheckupOptions {
  readonly repair: boolean;
  /** Our LISTEN was dropped by the kernel (not in the initial namespaces): measuring is pointless. */
  readonly namespaceBlocked: boolean;
  readonly maxSteps: number;
  readonly stepTimeoutMs: number;
  readonly probeTimeoutMs: number;
}

export const DEFAULT_CHECKUP: Omit<CheckupOptions, 'repair' | 'namespaceBlocked'> = {
  maxSteps: 128,
  stepTimeoutMs: 20,
  probeTimeoutMs: 20,
};

export interface CheckupResult {
  readonly gate: (GateState & { readonly atMs: number }) | null;
  readonly deficit: number | null;
  readonly deficitBeyond: number | null;
  readonly semantics: SemanticsProbe | null;
  readonly canary: CanaryOutcome | null;
  readonly repair: RepairFacts | null;
  readonly ledger: CounterLedger;
  /** Milliseconds per phase, for the report's latency figures. */
  readonly timings: {
    gateMs: number | null;
    measureMs: number | null;
    stepMs: readonly number[];
    canaryMs: number | null;
  };
  readonly problems: readonly string[];
}

interface Work {
  ledger: CounterLedger;
  problems: string[];
  timings: { gateMs: number | null; measureMs: number | null; stepMs: readonly number[]; canaryMs: number | null };
}

export async function runCheckup(
  ownAck: { readonly err: number } | null,
  ports: CheckupPorts,
  options: CheckupOptions,
): Promise<CheckupResult> {
  const work: Work = {
    ledger: newLedger(),
    problems: [],
    timings: { gateMs: null, measureMs: null, stepMs: [], canaryMs: null },
  };
  const acked = ownAck !== null && ownAck.err === 0;
  // Outside the initial namespaces the kernel drops the probe's invalid op unanswered whatever the
  // counter is: its silence would read as "closed" and prove nothing, so no probe is made.
  const gate = acked || options.namespaceBlocked ? null : gateNow(ports, options, work);
  if (acked || gate?.open === true) {
    // The gate is open: nothing to measure (deficit 0 if our LISTEN counted), behaviour is observable.
    const semantics = semanticsNow(ports, options, work);
    const canary = await canaryNow(ports, work);
    const deficit = options.namespaceBlocked ? null : 0;
    const repair = options.repair ? { repaired: false, listenersAdded: 0, deficitAfter: deficit } : null;
    return { gate, deficit, deficitBeyond: null, semantics, canary, repair, ...work };
  }
  if (gate === null || options.namespaceBlocked) {
    return { gate, deficit: null, deficitBeyond: null, semantics: null, canary: null, repair: null, ...work };
  }
  return starvedCheckup(gate, ports, options, work);
}

async function starvedCheckup(
  gateBefore: GateState & { readonly atMs: number },
  ports: CheckupPorts,
  options: CheckupOptions,
  work: Work,
): Promise<CheckupResult> {
  const started = ports.nowMs();
  const measured = measureDeficit(
    ports.factory,
    {
      cookie: healthCookie(ports.pid, 'measure'),
      undoCookie: healthCookie(ports.pid, 'undo'),
      maxSteps: options.maxSteps,
      stepTimeoutMs: options.stepTimeoutMs,
      nowMs: ports.nowMs,
    },
    work.ledger,
  );
  work.timings.measureMs = ports.nowMs() - started;
  if (!measured.ok) {
    work.problems.push(`deficit measurement failed: ${measured.error.syscall}: ${measured.error.code}`);
    return {
      gate: gateBefore,
      deficit: null,
      deficitBeyond: null,
      semantics: null,
      canary: null,
      repair: null,
      ...work,
    };
  }
  const held = measured.value;
  work.timings.stepMs = held.stepMs;
  // While held, the counter is exactly 1: the one moment a starved kernel shows its semantics.
  const semantics = held.deficit === null ? null : semanticsNow(ports, options, work);
  if (held.deficit === null) {
    endHeld(held, false, work);
    return {
      gate: gateBefore,
      deficit: null,
      deficitBeyond: options.maxSteps,
      semantics,
      canary: null,
      repair: null,
      ...work,
    };
  }
  const deficit = held.deficit;
  endHeld(held, options.repair, work);
  const gateAfter = gateNow(ports, options, work);
  if (!options.repair) {
    if (gateAfter?.open === true)
      work.problems.push('the gate is open after the undo: another program changed the counter meanwhile');
    return {
      gate: gateAfter ?? gateBefore,
      deficit,
      deficitBeyond: null,
      semantics,
      canary: null,
      repair: null,
      ...work,
    };
  }
  const canary = gateAfter?.open === true ? await canaryNow(ports, work) : null;
  const deficitAfter = gateAfter?.open === true ? 0 : null;
  const repair: RepairFacts = { repaired: gateAfter?.open === true, listenersAdded: deficit, deficitAfter };
  return { gate: gateAfter ?? gateBefore, deficit, deficitBeyond: null, semantics, canary, repair, ...work };
}

function endHeld(held: HeldRaise, keep: boolean, work: Work): void {
  if (keep) {
    held.keep();
    return;
  }
  const undone = held.undo();
  if (!undone.ok) work.problems.push(`undo failed: ${undone.error.syscall}: ${undone.error.code}`);
}

function gateNow(ports: CheckupPorts, options: CheckupOptions, work: Work): (GateState & { atMs: number }) | null {
  const started = ports.nowMs();
  const gate = probeGate(ports.factory, healthCookie(ports.pid, 'gate'), options.probeTimeoutMs, work.ledger);
  work.timings.gateMs = ports.nowMs() - started;
  if (!gate.ok) {
    work.problems.push(`gate probe failed: ${gate.error.syscall}: ${gate.error.code}`);
    return null;
  }
  return { ...gate.value, atMs: ports.nowMs() };
}

function semanticsNow(ports: CheckupPorts, options: CheckupOptions, work: Work): SemanticsProbe | null {
  const cookies = {
    listen: healthCookie(ports.pid, 'semantics-listen'),
    ignore: healthCookie(ports.pid, 'semantics-ignore'),
    gate: healthCookie(ports.pid, 'semantics-gate'),
  };
  const probe = probeSemantics(ports.factory, cookies, options.probeTimeoutMs, work.ledger);
  if (probe.ok) return probe.value;
  work.problems.push(`semantics probe failed: ${probe.error.syscall}: ${probe.error.code}`);
  return null;
}

async function canaryNow(ports: CheckupPorts, work: Work): Promise<CanaryOutcome> {
  const started = ports.nowMs();
  const canary = await ports.runCanary();
  work.timings.canaryMs = ports.nowMs() - started;
  return canary;
}
