// The one owner of how cntop exits: signals, a closed stdout pipe, uncaught errors and normal
// requests all end here. Runs the cleanup stack once (last registered first: UI terminal restore,
// then engine.close() and its one IGNORE), prints any error after the terminal is back, flushes, exits.

/** What the UI and commands get: register a cleanup, ask to leave. */
export interface LifecycleHooks {
  addCleanup(cleanup: () => void): void;
  requestExit(code: number): void;
}

/** The slice of `process` the lifecycle uses; tests pass a fake, main passes the real one. */
export interface ProcessPort {
  on(event: ExitSignal | 'exit', listener: () => void): void;
  on(event: 'uncaughtException' | 'unhandledRejection', listener: (error: unknown) => void): void;
  exit(code: number): void;
}

/** The slice of a writable stream the lifecycle uses (process.stdout / process.stderr). */
export interface OutputPort {
  write(chunk: string, callback?: (error?: Error | null) => void): boolean;
  on(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
}

export interface LifecycleOptions {
  readonly process: ProcessPort;
  readonly stdout: OutputPort;
  readonly stderr: OutputPort;
  /** Longest wait for stdout to drain before exiting anyway (a stuck reader must not hang us). */
  readonly flushTimeoutMs: number;
  readonly setTimer: (callback: () => void, ms: number) => void;
}

/**
 * Signals that end cntop through the cleanups. SIGQUIT (Ctrl-\ in a cooked terminal) would otherwise
 * dump core without the IGNORE, or, with a screen open, meet blessed's own handler, which exits on the
 * next tick without waiting for the flush.
 */
export const EXIT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const;
export type ExitSignal = (typeof EXIT_SIGNALS)[number];

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export class Lifecycle implements LifecycleHooks {
  private readonly cleanups: (() => void)[] = [];
  private cleanedUp = false;
  private exiting = false;
  private stdoutBroken = false;
  private exited = false;

  constructor(private readonly options: LifecycleOptions) {}

  /** Installs the handlers. Call once, before anything that needs cleaning up exists. */
  install(): void {
    const { process, stdout, stderr } = this.options;
    for (const signal of EXIT_SIGNALS) process.on(signal, () => this.onSignal());
    process.on('uncaughtException', (error) => this.fail(error));
    process.on('unhandledRejection', (error) => this.fail(error));
    // Last resort: whatever path reaches process.exit, the cleanups (and the IGNORE) still run.
    process.on('exit', () => this.runCleanups());
    stdout.on('error', (error) => {
      // `cntop events | head -1`: the reader left. Nothing more can be written; leave quietly, 0.
      if (error.code === 'EPIPE') {
        this.stdoutBroken = true;
        this.requestExit(EXIT_OK);
      } else {
        this.fail(error);
      }
    });
    // A broken stderr has nowhere to report to; swallowing it beats crashing mid-cleanup.
    stderr.on('error', () => undefined);
  }

  addCleanup(cleanup: () => void): void {
    if (this.cleanedUp) {
      // Registered after the stack ran (a late async start): clean it up now rather than never.
      this.runOne(cleanup);
      return;
    }
    this.cleanups.push(cleanup);
  }

  /** Leaves with `code` after cleanup and a flush. Later requests while leaving are ignored. */
  requestExit(code: number): void {
    this.leave(code, null);
  }

  /** Leaves with code 1, printing the error to stderr once the terminal is restored. */
  fail(error: unknown): void {
    if (this.exiting) {
      // An error during the flush wait: the cleanups already ran, so just report it.
      this.writeError(error);
      return;
    }
    this.leave(EXIT_FAILURE, error);
  }

  private onSignal(): void {
    // A second signal while flushing means "now": cleanup has run exactly once already.
    if (this.exiting) this.exitNow(EXIT_OK);
    else this.requestExit(EXIT_OK);
  }

  private leave(code: number, error: unknown): void {
    if (this.exiting) return;
    this.exiting = true;
    const cleanupFailed = this.runCleanups();
    if (error !== null) this.writeError(error);
    this.flushThenExit(cleanupFailed && code === EXIT_OK ? EXIT_FAILURE : code);
  }

  /** Runs the stack once, newest first. Returns whether any cleanup threw (after running all). */
  private runCleanups(): boolean {
    if (this.cleanedUp) return false;
    this.cleanedUp = true;
    let failed = false;
    for (let cleanup = this.cleanups.pop(); cleanup !== undefined; cleanup = this.cleanups.pop()) {
      if (!this.runOne(cleanup)) failed = true;
    }
    return failed;
  }

  private runOne(cleanup: () => void): boolean {
    try {
      cleanup();
      return true;
    } catch (error) {
      this.writeError(error);
      return false;
    }
  }

  private writeError(error: unknown): void {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.options.stderr.write(`cntop: ${text}\n`);
  }

  private flushThenExit(code: number): void {
    if (this.stdoutBroken) {
      this.exitNow(code);
      return;
    }
    // The callback of an empty write runs once everything queued before it has been handed to the OS.
    this.options.stdout.write('', () => this.exitNow(code));
    this.options.setTimer(() => this.exitNow(code), this.options.flushTimeoutMs);
  }

  private exitNow(code: number): void {
    if (this.exited) return;
    this.exited = true;
    this.options.process.exit(code);
  }
}

/** The lifecycle on the real process, its stdout and stderr. */
export function createProcessLifecycle(): Lifecycle {
  return new Lifecycle({
    process,
    stdout: process.stdout,
    stderr: process.stderr,
    flushTimeoutMs: 3000,
    // Not unref'd: the pending timer is what keeps the process alive until exit(code) runs.
    setTimer: (callback, ms) => {
      setTimeout(callback, ms);
    },
  });
}
