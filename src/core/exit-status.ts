// Decodes the wait status the kernel puts in an exit event (proc_event.event_data.exit.exit_code),
// which uses the same encoding as waitpid(2): low 7 bits the signal, bit 7 the core flag, bits 8-15 the code.
import type { ExitStatus } from './types.js';

export function decodeWaitStatus(status: number): ExitStatus {
  const signal = status & 0x7f;
  if (signal === 0) return { code: (status >> 8) & 0xff, signal: null, coreDumped: false };
  return { code: null, signal, coreDumped: (status & 0x80) !== 0 };
}

// x86-64 / generic Linux numbering (signal(7)); the architectures cntop builds for share it.
const SIGNAL_NAMES: readonly string[] = [
  '',
  'SIGHUP',
  'SIGINT',
  'SIGQUIT',
  'SIGILL',
  'SIGTRAP',
  'SIGABRT',
  'SIGBUS',
  'SIGFPE',
  'SIGKILL',
  'SIGUSR1',
  'SIGSEGV',
  'SIGUSR2',
  'SIGPIPE',
  'SIGALRM',
  'SIGTERM',
  'SIGSTKFLT',
  'SIGCHLD',
  'SIGCONT',
  'SIGSTOP',
  'SIGTSTP',
  'SIGTTIN',
  'SIGTTOU',
  'SIGURG',
  'SIGXCPU',
  'SIGXFSZ',
  'SIGVTALRM',
  'SIGPROF',
  'SIGWINCH',
  'SIGIO',
  'SIGPWR',
  'SIGSYS',
];

/** "SIGKILL" for 9; real-time signals as "SIGRTMIN+n"; unknown numbers as "SIG<n>". */
export function signalName(signal: number): string {
  const name = SIGNAL_NAMES[signal];
  if (name !== undefined && name !== '') return name;
  if (signal >= 34 && signal <= 64) return `SIGRTMIN+${signal - 34}`;
  return `SIG${signal}`;
}

/** Signal number for a name such as "KILL", "SIGKILL" or "9"; null when unknown. */
export function signalNumber(name: string): number | null {
  const upper = name.trim().toUpperCase();
  if (/^\d+$/.test(upper)) {
    const n = Number(upper);
    return n >= 1 && n <= 64 ? n : null;
  }
  const full = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  const index = SIGNAL_NAMES.indexOf(full);
  return index > 0 ? index : null;
}

/** Short human text: "exit 0", "exit 3", "SIGKILL", "SIGSEGV (core dumped)". */
export function describeExitStatus(status: ExitStatus): string {
  if (status.signal === null) return `exit ${status.code ?? '?'}`;
  return status.coreDumped ? `${signalName(status.signal)} (core dumped)` : signalName(status.signal);
}
