// vitest globalSetup of the integration and e2e projects: one listener audit (test/helpers/listener-audit.mjs)
// witnesses every LISTEN/IGNORE ack during the run, and at the end names each process of this run that
// left a LISTEN without its IGNORE (a +1 the kernel keeps for ever), with the test file it came from.
// CNTOP_LISTENER_AUDIT=off skips it, =warn prints without failing; the default fails the run on a leak.
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openAudit } from '../helpers/listener-audit.mjs';
import { formatAudit } from '../helpers/listener-audit-report.mjs';
import { fileOfRecord, readRegistry } from './listener-audit-registry.js';

declare module 'vitest' {
  export interface ProvidedContext {
    listenerAuditDir: string;
  }
}

type Mode = 'off' | 'warn' | 'fail';
/** Shared by both projects' globalSetups in this vitest process: one socket, one report. */
interface Shared {
  users: number;
  readonly dir: string;
  readonly stop: (() => string | null) | null;
}
const KEY = Symbol.for('cntop.listenerAudit');
const store = globalThis as { [KEY]?: Shared };

function mode(): Mode {
  const value = process.env['CNTOP_LISTENER_AUDIT'] ?? 'fail';
  return value === 'off' || value === 'warn' ? value : 'fail';
}

function start(dir: string): Shared {
  if (mode() === 'off') return { users: 0, dir, stop: null };
  const opened = openAudit();
  if (!opened.ok) {
    console.warn(`listener audit skipped: ${opened.reason}`);
    return { users: 0, dir, stop: null };
  }
  const { audit } = opened;
  // Often enough that a short-lived sender (a doctor run lasts ~50 ms) is still in /proc for its ancestry.
  const timer = setInterval(() => audit.poll(), 10);
  timer.unref();
  return {
    users: 0,
    dir,
    stop: () => {
      clearInterval(timer);
      audit.close();
      const registry = readRegistry(dir);
      const { text, bad, openDrain } = formatAudit(audit, {
        rootPid: process.pid,
        fileOf: (record) => fileOfRecord(registry, record),
      });
      console.log(text);
      const problems = bad.map((b) => `  pid ${b.pid} ${b.verdict}${b.owed > 0 ? ` (+${b.owed})` : ''}: ${b.who}`);
      if (openDrain)
        problems.push('  a test lowered the counter (buggy client) and never raised it back with the buggy client');
      return problems.length === 0 ? null : problems.join('\n');
    },
  };
}

export default function setup(project: TestProject): () => Promise<void> {
  let shared = store[KEY];
  if (shared === undefined) {
    const dir = path.join(tmpdir(), `cntop-listener-audit-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    shared = start(dir);
    store[KEY] = shared;
  }
  shared.users += 1;
  project.provide('listenerAuditDir', shared.dir);
  return async () => {
    const mine = store[KEY];
    if (mine === undefined || (mine.users -= 1) > 0) return;
    Reflect.deleteProperty(store, KEY);
    // Children of the last test may still be sending their IGNORE.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const problems = mine.stop?.() ?? null;
    rmSync(mine.dir, { recursive: true, force: true });
    if (problems === null) return;
    const message = `listener audit: the kernel's listener counter was left changed (project rule: one IGNORE per LISTEN):\n${problems}`;
    if (mode() === 'warn') {
      console.warn(message);
      return;
    }
    // vitest reports an error thrown from a global teardown but still exits 0: set the code as well.
    process.exitCode = 1;
    throw new Error(message);
  };
}
