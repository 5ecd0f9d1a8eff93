// The exact shape the compiled addon (build/Release/cntop_connector.node) exports.
// Keep in sync with addon/module.cc, addon/connector.cc and addon/control_socket.cc.
import type { ConnectorStats } from '../core/event-source.js';
import type { ProcEvent, ProcEventKind } from '../core/types.js';

/** Errors from system calls come back as values, never as exceptions. */
export type NativeStatus =
  | { readonly ok: true }
  | { readonly ok: false; readonly syscall: string; readonly errno: number; readonly code: string };

export interface NativeConnectorOptions {
  /** Receive buffer to ask for; SO_RCVBUFFORCE is tried first, then SO_RCVBUF. */
  readonly rcvbufBytes: number;
  /** Read /proc/<pid>/comm and cmdline on the reader thread right after each exec event. */
  readonly readExecInfo: boolean;
  /** Event kinds a classic-BPF socket filter drops in the kernel (empty: no filter). */
  readonly dropKinds: readonly ProcEventKind[];
  /** A batch is handed to JS when it holds this many events … */
  readonly maxBatchEvents: number;
  /** … or when its oldest event has waited this long. */
  readonly maxBatchMs: number;
  /** cn_msg.ack of our LISTEN; the kernel answers with ack + 1. IGNORE uses ackCookie + 2. */
  readonly ackCookie: number;
  /** How long start() waits for the LISTEN ack. */
  readonly ackWaitMs: number;
  /**
   * Also listen to the kernel's taskstats records (one per exiting task) on the same reader thread.
   * Optional: when it cannot be opened the connector runs exactly as without it and start() says why.
   * Absent or false: no taskstats socket at all.
   */
  readonly taskstats?: boolean | NativeTaskstatsOptions;
}

export interface NativeTaskstatsOptions {
  /** Receive buffer to ask for (SO_RCVBUFFORCE, else SO_RCVBUF); default 32 MiB. */
  readonly rcvbufBytes?: number;
  /** cpulist to register, e.g. "0-3"; default /sys/devices/system/cpu/possible (every possible CPU). */
  readonly cpumask?: string;
}

/**
 * One taskstats record: AGGR_PID when a task (thread) exits, AGGR_TGID when a thread group of more
 * than one thread dies (in that record only the summed CPU and delay fields are filled; comm, exit
 * status and hiwater are 0). A field is null when the kernel's record was too short to hold it (an
 * older kernel). Numbers are exact up to 2^53.
 */
export interface NativeTaskstatsRecordFields {
  /** struct taskstats version the kernel sent (16 on 6.18). */
  readonly version: number;
  /** ac_comm: the task's name at exit. */
  readonly comm: string | null;
  /** ac_exitcode: the raw wait status (exit 2 -> 512, SIGTERM -> 15). */
  readonly exitStatus: number | null;
  /** cpu_run_virtual_total: ns on a CPU, exact (the scheduler's sum_exec_runtime). */
  readonly cpuRunNs: number | null;
  /** ac_utime / ac_stime in µs: tick-granular, use cpuRunNs for short tasks. */
  readonly utimeUs: number | null;
  readonly stimeUs: number | null;
  /** Start, seconds since the epoch (ac_btime64 when present, else ac_btime). */
  readonly btime: number | null;
  /** ac_etime: µs from start to exit. */
  readonly etimeUs: number | null;
  readonly uid: number | null;
  readonly gid: number | null;
  readonly ppid: number | null;
  readonly minflt: number | null;
  readonly majflt: number | null;
  /** Peak resident and virtual memory, KiB. */
  readonly hiwaterRssKiB: number | null;
  readonly hiwaterVmKiB: number | null;
  readonly readChar: number | null;
  readonly writeChar: number | null;
  readonly readBytes: number | null;
  readonly writeBytes: number | null;
  readonly nvcsw: number | null;
  readonly nivcsw: number | null;
}

export type NativeTaskstatsRecord =
  /** tgid: ac_tgid (struct version 12+), null from older kernels. */
  | ({ readonly kind: 'pid'; readonly pid: number; readonly tgid: number | null } & NativeTaskstatsRecordFields)
  | ({ readonly kind: 'tgid'; readonly pid: null; readonly tgid: number } & NativeTaskstatsRecordFields);

/** Why taskstats is not running. stage: where it failed; ENOENT at 'family' means no CONFIG_TASKSTATS. */
export interface NativeTaskstatsFailure {
  readonly ok: false;
  readonly stage: 'cpumask' | 'socket' | 'family' | 'register';
  readonly syscall: string;
  readonly errno: number;
  readonly code: string;
}

export type NativeTaskstatsStart =
  | {
      readonly ok: true;
      readonly familyId: number;
      readonly cpumask: string;
      readonly rcvbufBytes: number;
      readonly rcvbufForced: boolean;
      /** From sending REGISTER to reading its ack (err 0). */
      readonly ackLatencyMs: number;
    }
  | NativeTaskstatsFailure;

export interface NativeTaskstatsStats {
  /** Asked for in the options. */
  readonly enabled: boolean;
  /** REGISTER acked with err 0 and no DEREGISTER sent yet. */
  readonly registered: boolean;
  readonly registerSent: boolean;
  readonly deregisterSent: boolean;
  /** The cpulist registered ('' when never registered). */
  readonly cpumask: string;
  readonly familyId: number;
  /** Records received, by kind. */
  readonly records: number;
  readonly recordsByKind: { readonly pid: number; readonly tgid: number };
  /** ENOBUFS on the taskstats socket: each means one or more records were lost. */
  readonly overruns: number;
  readonly malformed: number;
  readonly foreign: number;
  readonly rcvbufBytes: number;
  /** Why taskstats is not running (null when it runs or was not asked for). */
  readonly failure: NativeTaskstatsFailure | null;
}

export interface NativeBatch {
  readonly events: ProcEvent[];
  readonly overruns: number;
  readonly seqGapMessages: number;
  readonly foreignAcks: { readonly ack: number; readonly err: number }[];
  /** Taskstats records read since the previous batch (always empty without taskstats). */
  readonly records: NativeTaskstatsRecord[];
  /** ENOBUFS on the taskstats socket since the previous batch: records were lost. */
  readonly recordOverruns: number;
}

export type NativeStartResult =
  | {
      readonly ok: true;
      readonly ack: { readonly err: number; readonly latencyMs: number } | null;
      readonly rcvbufBytes: number;
      readonly rcvbufForced: boolean;
      readonly filterAttached: boolean;
      /** null when not asked for; else whether it runs, or why not (the connector runs either way). */
      readonly taskstats: NativeTaskstatsStart | null;
    }
  | { readonly ok: false; readonly syscall: string; readonly errno: number; readonly code: string };

/** The connector's counters as core knows them, plus what only the native side can tell. */
export interface NativeStats extends ConnectorStats {
  /** Events dropped because JS fell so far behind that the reader would hold more than it may (also counted in overruns). */
  readonly queueFullDrops: number;
  readonly taskstats: NativeTaskstatsStats;
}

export interface NativeConnector {
  /** Opens, binds, sends LISTEN, waits for the ack, then starts the reader thread. */
  start(onBatch: (batch: NativeBatch) => void): NativeStartResult;
  stats(): NativeStats;
  /** Test hook: the reader thread stops reading for ms milliseconds (to provoke ENOBUFS). */
  pauseReader(ms: number): void;
  /** Idempotent. IGNORE exactly once iff LISTEN was sent; joins the reader; closes the fd. */
  close(): { readonly ignoreSent: boolean };
}

export interface NativeControlSocketOptions {
  /** Keep only acks (PROC_EVENT_NONE) with a kernel-side BPF filter, so a storm cannot push them out. */
  readonly acksOnly?: boolean;
  /** Receive buffer to ask for (SO_RCVBUFFORCE, else SO_RCVBUF); the kernel default otherwise. */
  readonly rcvbufBytes?: number;
}

/**
 * A bare subscribed socket for health probes: send any op, wait for the matching ack. No reader thread.
 * close() NEVER sends IGNORE: whoever sends LISTEN on a ControlSocket owes the IGNORE and must send it.
 */
export interface NativeControlSocket {
  /** Opens and binds to CN_IDX_PROC. */
  open(options?: NativeControlSocketOptions): NativeStatus;
  /** Sends a proc_cn_mcast_op (1 LISTEN, 2 IGNORE, anything else is invalid) with cn_msg.ack = ackCookie. */
  sendOp(op: number, ackCookie: number): NativeStatus;
  /** Waits for an ack with cn_msg.ack === ackCookie + 1, skipping everything else. */
  waitAck(ackCookie: number, timeoutMs: number): { readonly err: number; readonly latencyMs: number } | null;
  /** Counts the events (not acks) received since open(), cumulative, draining the socket without blocking. */
  drainEvents(): number;
  /** Every ack (anyone's) received since the previous drainAcks() that waitAck did not consume. */
  drainAcks(): { readonly ack: number; readonly err: number; readonly cpu: number; readonly seq: number }[];
  /** Releases the socket. Sends nothing. */
  close(): void;
}

export interface NativeDecoded {
  readonly events: ProcEvent[];
  readonly acks: { readonly ack: number; readonly err: number; readonly cpu: number; readonly seq: number }[];
  /** Per event, its cn_msg.seq, in the same order as events. */
  readonly seqs: number[];
  readonly malformed: number;
  readonly foreign: number;
}

export interface NativeTaskstatsDecoded {
  readonly records: NativeTaskstatsRecord[];
  /** NLMSG_ERROR messages: answers to requests sent with NLM_F_ACK; err 0 is success. */
  readonly acks: { readonly seq: number; readonly err: number }[];
  readonly malformed: number;
  readonly foreign: number;
}

/** Process-wide counts of taskstats messages this addon sent and acks it read (a test witness). */
export interface NativeTaskstatsWireCounts {
  readonly registersSent: number;
  readonly deregistersSent: number;
  readonly registerAcks: number;
  readonly deregisterAcks: number;
}

export interface NativeAddon {
  readonly Connector: new (options: NativeConnectorOptions) => NativeConnector;
  readonly ControlSocket: new () => NativeControlSocket;
  /** The pure decoder, exposed so tests can feed it crafted datagrams. exec events get comm/cmdline null. */
  decodeDatagram(datagram: Uint8Array): NativeDecoded;
  /** The pure taskstats decoder, for crafted datagrams; familyId is the TASKSTATS generic-netlink id. */
  decodeTaskstats(datagram: Uint8Array, familyId: number): NativeTaskstatsDecoded;
  /** What every Connector of this process sent to and heard from taskstats, since load. */
  taskstatsWireCounts(): NativeTaskstatsWireCounts;
  /** clock_gettime(CLOCK_MONOTONIC) in ms, the clock of ProcEvent.timeMs. */
  monotonicMs(): number;
  /** clock_gettime(CLOCK_THREAD_CPUTIME_ID) in ms: the calling thread's CPU time (the benchmarks time frames with it). */
  threadCpuMs(): number;
  /** glibc's malloc_trim(0): free malloc pages back to the kernel; true when some were (always false off glibc). */
  trimMalloc(): boolean;
}
