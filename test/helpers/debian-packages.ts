// Tools some integration tests drive (strace, autoconf) come from Debian's packages. A fresh machine
// may lack them: as root with apt-get, install them on first use (as the qemu harness does for qemu);
// otherwise say why, so the test can skip with that reason.
import { spawnSync } from 'node:child_process';

const has = (command: string): boolean =>
  spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

/**
 * Makes sure each command is on PATH, installing package (the command's Debian package) when it is not.
 * Returns null when all are there, else the reason one is missing.
 */
export function ensureDebianCommands(commands: Readonly<Record<string, string>>): string | null {
  const missing = Object.entries(commands).filter(([command]) => !has(command));
  if (missing.length === 0) return null;
  const packages = missing.map(([, pkg]) => pkg);
  if (process.getuid?.() !== 0 || !has('apt-get'))
    return `${missing.map(([c]) => c).join(', ')} missing, and not root with apt-get to install ${packages.join(' ')}`;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let install = spawnSync('apt-get', ['install', '-y', '-q', ...packages], { encoding: 'utf8', env, timeout: 300_000 });
  if (install.status !== 0) {
    // A machine that never ran apt-get update has no package lists yet.
    spawnSync('apt-get', ['update', '-q'], { encoding: 'utf8', env, timeout: 300_000 });
    install = spawnSync('apt-get', ['install', '-y', '-q', ...packages], { encoding: 'utf8', env, timeout: 300_000 });
  }
  const still = missing.filter(([command]) => !has(command));
  // stderr is null, whatever its type says, when apt-get could not be started at all.
  const stderr = (install.stderr as string | null) ?? '';
  return still.length === 0 ? null : `apt-get install ${packages.join(' ')} failed: ${stderr.trim().slice(-300)}`;
}
