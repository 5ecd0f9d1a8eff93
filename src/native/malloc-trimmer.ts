// Hands glibc malloc's free memory back to the kernel while the viewer runs. glibc keeps what is freed
// for reuse, in the main arena and in one arena per thread that allocated (V8's helpers, libuv's
// pool, the addon's reader): after the seed scan of 10,000 processes, and after each refresh's burst
// of /proc reads, the viewer's RSS stays at its high-water mark. malloc_trim(0) returns the free pages
// of every arena; it costs well under a millisecond (docs/BENCHMARKS.md), so a timer runs it.
import { loadAddon } from './load-addon.js';

export interface MallocTrimmer {
  stop(): void;
}

/** Trims now and every `everyMs`; without the addon (polling mode on a machine without it), nothing. */
export function startMallocTrimmer(everyMs: number): MallocTrimmer {
  const addon = loadAddon();
  if (!addon.ok) return { stop: () => undefined };
  const trim = (): void => {
    addon.value.trimMalloc();
  };
  trim();
  const timer = setInterval(trim, everyMs);
  // Never what keeps the viewer alive.
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
