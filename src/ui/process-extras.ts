// Figures only some optional columns need (SHR, disk read/write rates, peak RSS, cgroup), which the
// engine does not sample: read from /proc for every listed process on the sampling interval, and only
// while such a column is shown, as htop does. An exited row takes its peak and I/O from the kernel's
// taskstats record instead. The columns read the values through `extrasOf` (one viewer per process).
import type { EngineView } from '../core/engine-api.js';
import type { Pid } from '../core/types.js';
import { cgroupPath } from './effects.js';

export interface ProcessExtra {
  /** Resident shared memory (statm's third field), bytes; null when not read. */
  readonly shrBytes: number | null;
  /** Storage bytes per second since the previous sample (/proc/<pid>/io read_bytes, write_bytes); null on the first. */
  readonly readRate: number | null;
  readonly writeRate: number | null;
  /** Peak resident memory: VmHWM while alive, the taskstats record's once exited; KiB. */
  readonly peakKiB: number | null;
  readonly cgroup: string | null;
}

/** What each optional column needs read. */
export type ExtraNeed = 'shr' | 'io' | 'peak' | 'cgroup';

/** The /proc files the extras come from; throws as the read does (gone, not permitted). */
export interface ExtrasReader {
  readProcFile(pid: Pid, name: 'statm' | 'io' | 'status' | 'cgroup'): string;
}

const EMPTY: ProcessExtra = { shrBytes: null, readRate: null, writeRate: null, peakKiB: null, cgroup: null };
const PAGE_BYTES = 4096;

let current: ReadonlyMap<Pid, ProcessExtra> = new Map();

/** The extras of `pid` from the last sample (all null when none was taken). */
export function extrasOf(pid: Pid): ProcessExtra {
  return current.get(pid) ?? EMPTY;
}

export class ProcessExtras {
  private io = new Map<Pid, { read: number; write: number; atMs: number }>();
  // A process's cgroup rarely changes: read once per process (by pid and start), not every interval.
  private cgroups = new Map<Pid, { startMs: number; cgroup: string | null }>();

  sample(engine: EngineView, needs: ReadonlySet<ExtraNeed>, reader: ExtrasReader, nowMs: number): void {
    const values = new Map<Pid, ProcessExtra>();
    const io = new Map<Pid, { read: number; write: number; atMs: number }>();
    const cgroups = new Map<Pid, { startMs: number; cgroup: string | null }>();
    for (const p of engine.processes.values()) {
      if (p.exitMs !== null) {
        const a = engine.lastExit(p.pid)?.accounting ?? null;
        const lifeS = Math.max(0.001, (p.exitMs - p.startMs) / 1000);
        values.set(p.pid, {
          ...EMPTY,
          peakKiB: a?.peakRssKiB ?? null,
          readRate: a === null ? null : a.readBytes / lifeS,
          writeRate: a === null ? null : a.writeBytes / lifeS,
        });
        continue;
      }
      let shrBytes: number | null = null;
      let readRate: number | null = null;
      let writeRate: number | null = null;
      let peakKiB: number | null = null;
      let cgroup: string | null = null;
      if (needs.has('shr'))
        shrBytes = readOr(() => Number(reader.readProcFile(p.pid, 'statm').split(' ')[2]) * PAGE_BYTES);
      if (needs.has('io')) {
        const text = readOr(() => reader.readProcFile(p.pid, 'io'));
        if (text !== null) {
          const read = fieldOf(text, 'read_bytes');
          const write = fieldOf(text, 'write_bytes');
          const before = this.io.get(p.pid);
          if (read !== null && write !== null) {
            io.set(p.pid, { read, write, atMs: nowMs });
            if (before !== undefined && nowMs > before.atMs) {
              readRate = Math.max(0, ((read - before.read) * 1000) / (nowMs - before.atMs));
              writeRate = Math.max(0, ((write - before.write) * 1000) / (nowMs - before.atMs));
            }
          }
        }
      }
      if (needs.has('peak')) {
        const text = readOr(() => reader.readProcFile(p.pid, 'status'));
        peakKiB = text === null ? null : fieldOf(text, 'VmHWM');
      }
      if (needs.has('cgroup')) {
        const known = this.cgroups.get(p.pid);
        cgroup =
          known !== undefined && known.startMs === p.startMs
            ? known.cgroup
            : readOr(() => cgroupPath(reader.readProcFile(p.pid, 'cgroup')));
        cgroups.set(p.pid, { startMs: p.startMs, cgroup });
      }
      values.set(p.pid, { shrBytes, readRate, writeRate, peakKiB, cgroup });
    }
    this.io = io;
    this.cgroups = cgroups;
    current = values;
  }

  clear(): void {
    this.io = new Map();
    this.cgroups = new Map();
    current = new Map();
  }
}

function readOr<T>(read: () => T): T | null {
  try {
    const value = read();
    return typeof value === 'number' && !Number.isFinite(value) ? null : value;
  } catch {
    // Gone since the list was made, or not ours to read (another user's io without root).
    return null;
  }
}

/** "name: 123 kB" or "name: 123" from a /proc key-value file, as a number; null when absent. */
export function fieldOf(text: string, name: string): number | null {
  const at = text.indexOf(`${name}:`);
  if (at < 0) return null;
  const value = Number.parseInt(text.slice(at + name.length + 1).trimStart(), 10);
  return Number.isFinite(value) ? value : null;
}
