// Workloads of known shape for end-to-end tests on the real kernel: tiny C programs (spawn-load/*.c)
// compiled with cc on first use, and a driver that starts a program N times a second and says what it
// really did (runs, its children's CPU, its own), so a test can compare the viewer's figures with facts.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ensureDebianCommands } from './debian-packages.js';
import { waitFor } from './wait-for.js';

const SOURCES = path.join(import.meta.dirname, 'spawn-load');

export interface SpawnLoadPrograms {
  /** spawn-driver RATE SECONDS REPORT PROGRAM [ARG...] (see spawn-load/spawn-driver.c). */
  readonly driver: string;
  /** Burns argv[1] ms (default 5) of CPU counted from its fork, then exits 0. */
  readonly burn: string;
  /** Exits 3 at once. */
  readonly exitThree: string;
}

/** Compiles the programs into `dir`; returns their paths, or the reason it cannot (no cc, not installable). */
export function buildSpawnLoad(dir: string): SpawnLoadPrograms | string {
  const missing = ensureDebianCommands({ cc: 'gcc' });
  if (missing !== null) return missing;
  const built = {
    driver: path.join(dir, 'spawn-driver'),
    burn: path.join(dir, 'burn-cpu'),
    exitThree: path.join(dir, 'exit-three'),
  };
  for (const [name, out] of [
    ['spawn-driver', built.driver],
    ['burn-cpu', built.burn],
    ['exit-three', built.exitThree],
  ] as const) {
    execFileSync('cc', ['-O2', '-Wall', '-Wextra', '-Werror', '-o', out, path.join(SOURCES, `${name}.c`)], {
      stdio: 'pipe',
    });
  }
  return built;
}

/** A copy of `binary` named `name` in `dir` (its comm is the name's first 15 bytes). */
export function copyAs(binary: string, dir: string, name: string): string {
  const target = path.join(dir, name);
  copyFileSync(binary, target);
  return target;
}

export interface DriverReport {
  readonly runs: number;
  readonly elapsedMs: number;
  /** User + system time of the reaped children (getrusage RUSAGE_CHILDREN). */
  readonly childCpuMs: number;
  /** The driver's own CPU: what spawning cost. */
  readonly selfCpuMs: number;
  /** The largest lag behind the schedule. */
  readonly lateMs: number;
  readonly spawnErrors: number;
}

export interface DriverOptions {
  /** The driver binary, run under its own (copied) name. */
  readonly driver: string;
  readonly ratePerS: number;
  readonly seconds: number;
  /** The program started ratePerS times a second (argv[0]: its base name), and its arguments. */
  readonly program: string;
  readonly args?: readonly string[];
  /** Long-lived children started first as `<name> 600` and ended when the driver ends. */
  readonly live?: readonly string[];
  /** The same, started liveLaterMs into the run, after many short siblings. */
  readonly liveLater?: readonly string[];
  readonly liveLaterMs?: number;
  readonly report: string;
  readonly cwd: string;
}

export interface RunningDriver {
  readonly pid: number;
  /** SIGTERM (it ends its long-lived children and writes its report), then the report. */
  stop(): Promise<DriverReport>;
  /** The report, once it ends by itself (after `seconds`). */
  finished(timeoutMs: number): Promise<DriverReport>;
}

function driverEnv(o: DriverOptions): Record<string, string> {
  return {
    PATH: '/usr/bin:/bin',
    LIVE: (o.live ?? []).join(':'),
    LIVE_LATER: (o.liveLater ?? []).join(':'),
    LIVE_LATER_MS: String(o.liveLaterMs ?? 0),
  };
}

function driverArgs(o: DriverOptions): string[] {
  return [String(o.ratePerS), String(o.seconds), o.report, o.program, ...(o.args ?? [])];
}

async function readReport(file: string, timeoutMs: number): Promise<DriverReport> {
  await waitFor(
    () => existsSync(file) && readFileSync(file, 'utf8').endsWith('\n'),
    timeoutMs,
    `the driver's report ${file}`,
  );
  return JSON.parse(readFileSync(file, 'utf8')) as DriverReport;
}

function stopper(pid: number, report: string): RunningDriver {
  const stop = async (): Promise<DriverReport> => {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Already ended: its report is there.
    }
    return readReport(report, 10_000);
  };
  return { pid, stop, finished: (timeoutMs) => readReport(report, timeoutMs) };
}

/** Starts the driver as a child of this process (its own process group, so one kill ends the lot). */
export function startDriver(o: DriverOptions, children: ChildProcess[]): RunningDriver {
  const child = spawn(o.driver, driverArgs(o), { cwd: o.cwd, env: driverEnv(o), stdio: 'ignore', detached: true });
  children.push(child);
  return stopper(child.pid as number, o.report);
}

/**
 * Starts the driver orphaned, as `prog &` in a shell that exits: the kernel re-parents it to PID 1
 * (or the nearest subreaper), so it sits near the top of the tree as a script started from a terminal
 * does, not under this test runner's deep chain of ancestors.
 */
export function startOrphanDriver(o: DriverOptions): RunningDriver {
  const quoted = [o.driver, ...driverArgs(o)].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  // The command travels in the environment: the shell's own command line (a lingering exited row in a
  // viewer) then names none of the driver's programs.
  const out = execFileSync('/bin/sh', ['-c', 'eval "exec $SPAWN_LOAD_COMMAND" </dev/null >/dev/null 2>&1 & echo $!'], {
    cwd: o.cwd,
    env: { ...driverEnv(o), SPAWN_LOAD_COMMAND: quoted },
    encoding: 'utf8',
  });
  return stopper(Number(out.trim()), o.report);
}
