// Which test file each vitest worker was running, and when: the setup file appends "<ms>\t<file>" to
// <dir>/<worker pid> before each file, and the audit maps a sender to the latest file of the worker
// among its ancestors at the time of its first ack.
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type Registry = ReadonlyMap<number, readonly { readonly atMs: number; readonly file: string }[]>;

export function registerFile(dir: string, pid: number, file: string, atMs: number): void {
  appendFileSync(path.join(dir, String(pid)), `${atMs}\t${file}\n`);
}

export function readRegistry(dir: string): Registry {
  const registry = new Map<number, { atMs: number; file: string }[]>();
  for (const name of readdirSync(dir)) {
    const entries = readFileSync(path.join(dir, name), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [at, file] = line.split('\t');
        return { atMs: Number(at), file: file ?? '?' };
      });
    registry.set(Number(name), entries);
  }
  return registry;
}

/** The test file of the nearest registered worker in the sender's ancestry, or null (outside any worker). */
export function fileOfRecord(
  registry: Registry,
  record: { readonly chain: readonly { readonly pid: number }[]; readonly firstMs: number },
): string | null {
  for (const link of record.chain) {
    const entries = registry.get(link.pid);
    if (entries === undefined) continue;
    const before = entries.filter((entry) => entry.atMs <= record.firstMs);
    const entry = before.at(-1) ?? entries[0];
    return entry === undefined ? null : path.relative(process.cwd(), entry.file);
  }
  return null;
}
