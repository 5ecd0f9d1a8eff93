// One line naming the machine a run was taken on (CPU model and count, memory, kernel, Node, pid_max,
// date), printed above the table and saved with the results.
import { cpus, release, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';

function readTrim(path) {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '?';
  }
}

export function machineDescription(started) {
  const cpu = cpus();
  const model = cpu[0]?.model?.replace(/\s+/g, ' ') ?? '?';
  const memGiB = (totalmem() / 2 ** 30).toFixed(1);
  const distro = /PRETTY_NAME="([^"]+)"/.exec(readTrim('/etc/os-release'))?.[1] ?? '?';
  return [
    `Machine: ${cpu.length} x ${model}, ${memGiB} GiB RAM, ${distro}, kernel ${release()}, Node ${process.version},`,
    `pid_max ${readTrim('/proc/sys/kernel/pid_max')}, load ${readTrim('/proc/loadavg').split(' ').slice(0, 3).join(' ')} at start; run started ${started.toISOString()}`,
  ].join('\n');
}
