import { describe, expect, it } from 'vitest';
import { Lifecycle, type OutputPort, type ProcessPort } from '../../../src/cli/lifecycle.js';

// A stand-in for `process` and its streams: records listeners, exits and writes, so each exit path
// can be driven by hand. The real process is exercised by the integration tests.
class FakeProcess implements ProcessPort {
  readonly listeners = new Map<string, ((arg?: unknown) => void)[]>();
  readonly exits: number[] = [];
  on(event: string, listener: (arg?: unknown) => void): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }
  emit(event: string, arg?: unknown): void {
    for (const listener of this.listeners.get(event) ?? []) listener(arg);
  }
  exit(code: number): void {
    this.exits.push(code);
  }
}

class FakeOutput implements OutputPort {
  readonly chunks: string[] = [];
  readonly pendingCallbacks: (() => void)[] = [];
  errorListener: ((error: NodeJS.ErrnoException) => void) | null = null;
  write(chunk: string, callback?: (error?: Error | null) => void): boolean {
    this.chunks.push(chunk);
    if (callback) this.pendingCallbacks.push(() => callback(null));
    return true;
  }
  on(_event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown {
    this.errorListener = listener;
    return this;
  }
  drain(): void {
    for (const callback of this.pendingCallbacks.splice(0)) callback();
  }
}

function setup() {
  const proc = new FakeProcess();
  const stdout = new FakeOutput();
  const stderr = new FakeOutput();
  const timers: (() => void)[] = [];
  const lifecycle = new Lifecycle({
    process: proc,
    stdout,
    stderr,
    flushTimeoutMs: 100,
    setTimer: (cb) => timers.push(cb),
  });
  lifecycle.install();
  const order: string[] = [];
  lifecycle.addCleanup(() => order.push('engine.close'));
  lifecycle.addCleanup(() => order.push('terminal.restore'));
  return { proc, stdout, stderr, timers, lifecycle, order };
}

describe('Lifecycle', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'])(
    'on %s runs the cleanups newest first, flushes, then exits 0',
    (signal) => {
      const { proc, stdout, order } = setup();
      proc.emit(signal);
      expect(order).toEqual(['terminal.restore', 'engine.close']);
      expect(proc.exits).toEqual([]); // still waiting for stdout to drain
      stdout.drain();
      expect(proc.exits).toEqual([0]);
    },
  );

  it('runs the cleanups once when a second signal arrives during the flush, and then exits at once', () => {
    const { proc, order } = setup();
    proc.emit('SIGINT');
    proc.emit('SIGTERM');
    proc.emit('exit');
    expect(order).toEqual(['terminal.restore', 'engine.close']);
    expect(proc.exits).toEqual([0]);
  });

  it('exits 0 without waiting for a flush when stdout is a closed pipe (EPIPE)', () => {
    const { proc, stdout, order } = setup();
    stdout.errorListener?.(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    expect(order).toEqual(['terminal.restore', 'engine.close']);
    expect(proc.exits).toEqual([0]);
  });

  it('prints an uncaught error once, after the terminal is restored, and exits 1', () => {
    const { proc, stdout, stderr, order, lifecycle } = setup();
    lifecycle.addCleanup(() => order.push(`stderr had ${stderr.chunks.length} chunks`));
    proc.emit('uncaughtException', new Error('boom'));
    proc.emit('unhandledRejection', new Error('second'));
    expect(order[0]).toBe('stderr had 0 chunks');
    expect(stderr.chunks[0]).toMatch(/^cntop: Error: boom\n/);
    stdout.drain();
    expect(proc.exits).toEqual([1]);
  });

  it('exits even when stdout never drains', () => {
    const { proc, timers, lifecycle } = setup();
    lifecycle.requestExit(0);
    expect(proc.exits).toEqual([]);
    for (const timer of timers) timer();
    expect(proc.exits).toEqual([0]);
  });

  it('keeps running the other cleanups when one throws, reports it, and exits 1', () => {
    const { proc, stdout, stderr, order, lifecycle } = setup();
    lifecycle.addCleanup(() => {
      throw new Error('restore failed');
    });
    lifecycle.requestExit(0);
    stdout.drain();
    expect(order).toEqual(['terminal.restore', 'engine.close']);
    expect(stderr.chunks.join('')).toContain('restore failed');
    expect(proc.exits).toEqual([1]);
  });

  it('runs the cleanups on a bare process exit too (last resort)', () => {
    const { proc, order } = setup();
    proc.emit('exit');
    proc.emit('exit');
    expect(order).toEqual(['terminal.restore', 'engine.close']);
  });

  it('cleans up at once what is registered after the stack has run', () => {
    const { proc, order, lifecycle } = setup();
    proc.emit('SIGTERM');
    lifecycle.addCleanup(() => order.push('late engine.close'));
    expect(order).toEqual(['terminal.restore', 'engine.close', 'late engine.close']);
  });
});
