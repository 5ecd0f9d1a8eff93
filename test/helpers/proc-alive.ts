// Whether a pid names a running process: it exists and is neither a zombie nor dead (the state field
// of /proc/<pid>/stat follows the comm's closing parenthesis, which may itself contain any text).
import { readFileSync } from 'node:fs';

export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^ [ZX]/.test(stat.slice(stat.lastIndexOf(')') + 1));
  } catch {
    return false;
  }
}
