// Makes sure the peers the bench compares against (forkstat, htop) are installed: apt-get them when
// missing (we run as root on Debian). When apt fails, the peer's rows say why instead of a figure.
import { execFileSync } from 'node:child_process';

const PEERS = ['forkstat', 'htop'];

export function which(cmd) {
  try {
    return (
      execFileSync('sh', ['-c', `command -v ${cmd}`])
        .toString()
        .trim() || null
    );
  } catch {
    return null;
  }
}

/** Returns { forkstat: path|null, htop: path|null, notes: string[] }. */
export function ensurePeers() {
  const notes = [];
  const missing = PEERS.filter((p) => !which(p));
  if (missing.length > 0) {
    if (process.getuid?.() !== 0) {
      notes.push(`not root: cannot apt-get install ${missing.join(' ')}; their comparisons are skipped`);
    } else {
      try {
        const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
        execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env, timeout: 120_000 });
        execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'ignore', env, timeout: 180_000 });
        notes.push(`installed with apt-get: ${missing.join(' ')}`);
      } catch (e) {
        notes.push(
          `apt-get install ${missing.join(' ')} failed (${e.message.split('\n')[0]}); their comparisons are skipped`,
        );
      }
    }
  }
  return { forkstat: which('forkstat'), htop: which('htop'), notes };
}
