// Plain-words cause and fix for whatever is not healthy, first match wins: the order is from the
// most fundamental (cannot subscribe at all) to the least (a few events lost a while ago).
import { lostEvents, type HealthFacts, type HealthWindows } from './health-facts.js';
import type { HealthStatus } from './health-types.js';
import type { FlowVerdict } from './derive-health.js';
import { EPERM } from './probe-port.js';

export interface Diagnosis {
  readonly status: HealthStatus;
  readonly cause: string | null;
  readonly fix: string | null;
}

type Trouble = Pick<Diagnosis, 'cause' | 'fix'>;
type Rule = (facts: HealthFacts, windows: HealthWindows, flow: FlowVerdict | 'polling') => Trouble | null;

const NAMESPACE_FIX =
  'run cntop in the initial PID and user namespaces (on the host, or in a container started with --pid=host and no user namespace); meanwhile it can only poll /proc';

/** The connector's kernel socket lives only in the initial network namespace. */
const NETWORK_NAMESPACE_FIX =
  "run cntop in the host's network namespace (not under `unshare -n` or `ip netns exec`; a container needs --network=host); meanwhile it can only poll /proc";

const RULES: readonly Rule[] = [
  (facts, _w, flow) => (flow === 'polling' ? pollingTrouble(facts) : null),
  (facts) =>
    facts.access.initPidNs === false || facts.access.initUserNs === false
      ? {
          cause: `cntop is not in the initial PID and user namespaces (${facts.access.evidence}): the kernel silently drops its LISTEN, and events arrive only while another program holds the listener gate open`,
          fix: NAMESPACE_FIX,
        }
      : null,
  (facts) =>
    facts.ack !== null && facts.ack.err === EPERM
      ? {
          cause: 'the kernel refused the LISTEN with EPERM: on kernels before 6.6 listening needs root (CAP_NET_ADMIN)',
          fix: 'run cntop as root (sudo cntop), or give it CAP_NET_ADMIN',
        }
      : null,
  starvationTrouble,
  (facts, _w, flow) =>
    flow === 'deaf' && facts.ack !== null
      ? {
          cause: `the kernel acknowledged the LISTEN, but no events arrive${facts.canary?.ok === false ? ` (canary: ${facts.canary.detail})` : ''}`,
          fix: 'check Drops in /proc/net/netlink (protocol 11) and run `cntop doctor` again; cntop resynchronises from /proc meanwhile',
        }
      : null,
  (facts, _w, flow) =>
    flow === 'deaf'
      ? {
          cause:
            'the LISTEN got no ack and no events arrive: the kernel listener counter is below 1, or the kernel lacks CONFIG_PROC_EVENTS',
          fix: 'run `cntop doctor` to measure the deficit, then `cntop doctor --repair`',
        }
      : null,
  lossTrouble,
  driftTrouble,
  (facts, _w, flow) =>
    facts.ack === null && flow === 'flowing' && facts.repair?.repaired !== true
      ? {
          cause:
            "the LISTEN got no ack, yet events arrive: another program holds the listener gate open, so cntop's own subscription is not confirmed",
          fix: 'run `cntop doctor` to measure the deficit; `cntop doctor --repair` makes it independent of the other program',
        }
      : null,
  (facts, _w, flow) =>
    flow === 'unconfirmed'
      ? {
          cause: 'no ack and no events yet: the subscription is not confirmed',
          fix: 'wait for the canary, or run `cntop doctor`',
        }
      : null,
];

export function describeTrouble(facts: HealthFacts, windows: HealthWindows, flow: FlowVerdict | 'polling'): Trouble {
  for (const rule of RULES) {
    const trouble = rule(facts, windows, flow);
    if (trouble !== null) return trouble;
  }
  return { cause: null, fix: null };
}

function pollingTrouble(facts: HealthFacts): Trouble {
  const reason = facts.pollingReason ?? 'the connector is not in use';
  return {
    cause: `polling /proc instead of listening: ${reason}; processes that live shorter than a refresh are missed`,
    fix: pollingFix(facts, reason),
  };
}

/** What to do about polling, from its reason (shared with the taskstats row, which cannot start without the connector). */
export function pollingFix(facts: HealthFacts, reason: string): string {
  if (facts.access.initPidNs === false || facts.access.initUserNs === false) return NAMESPACE_FIX;
  if (/--no-netlink/.test(reason)) return 'run cntop without --no-netlink to listen to the process connector';
  if (/network namespace/i.test(reason)) return NETWORK_NAMESPACE_FIX;
  if (/addon/i.test(reason))
    return 'build the native addon (needs a C++ compiler, make and python3): npm run build:addon in a clone, npm rebuild -g cntop where installed';
  if (/EPERM|EACCES|permission/i.test(reason)) {
    // Every kernel before 6.6 refuses an unprivileged subscription, and some later ones do too (6.18 here).
    return 'run cntop as root (sudo cntop) or give it CAP_NET_ADMIN: this kernel lets only a privileged user subscribe to the process connector';
  }
  if (/EPROTONOSUPPORT|unsupported|CONFIG_/i.test(reason))
    return 'use a kernel built with CONFIG_CONNECTOR and CONFIG_PROC_EVENTS';
  return 'run `cntop doctor` for details';
}

function starvationTrouble(facts: HealthFacts, _windows: HealthWindows, flow: FlowVerdict | 'polling'): Trouble | null {
  const deficit = facts.deficit;
  const beyond = facts.deficitBeyond;
  if ((deficit === null || deficit === 0) && beyond === null) return null;
  const amount = deficit !== null ? `${deficit}` : `more than ${beyond ?? '?'}`;
  const culprit =
    facts.kernel.semantics === 'per-socket'
      ? 'another program sent an invalid op followed by PROC_CN_MCAST_IGNORE on one socket (6.6 and later)'
      : 'another program sent PROC_CN_MCAST_IGNORE without a LISTEN (kernels before 6.6)';
  // Events flow now (a repair, or someone else raised the counter): the evidence lines keep the story.
  if (flow === 'flowing') return null;
  return {
    cause: `starved: the kernel's listener counter stood ${amount} below zero, so it delivers no events and no acks to anyone; ${culprit}`,
    fix:
      deficit !== null
        ? `press R in cntop or run \`cntop doctor --repair\`: it adds exactly ${deficit} listener(s) from throwaway sockets, which makes every listener on the machine work again`
        : 'stop the program that sends stray IGNOREs, then run `cntop doctor --repair`',
  };
}

function lossTrouble(facts: HealthFacts, windows: HealthWindows): Trouble | null {
  const lost = lostEvents(facts.loss);
  const last = facts.loss.lastLossMs;
  if (lost === 0 || (last !== null && facts.nowMs - last > windows.troubleMs)) return null;
  return {
    cause: `${lost} event(s) lost (${facts.loss.overruns} socket overrun(s), ${facts.loss.seqGapMessages} sequence gap(s)); cntop resynchronised from /proc`,
    fix: 'run as root so the receive buffer can be forced larger, or raise net.core.rmem_max',
  };
}

function driftTrouble(facts: HealthFacts, windows: HealthWindows): Trouble | null {
  const { missedForks, missedExits, lastDriftMs } = facts.drift;
  if (missedForks + missedExits === 0 || (lastDriftMs !== null && facts.nowMs - lastDriftMs > windows.troubleMs))
    return null;
  return {
    cause: `the model drifted from /proc: ${missedForks} process(es) appeared and ${missedExits} vanished without an event`,
    fix: 'cntop corrects the model from /proc; if this keeps growing, run `cntop doctor`',
  };
}
