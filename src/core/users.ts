// uid → user name, from /etc/passwd (re-read when an unknown uid turns up, at most every few
// seconds). Uids without an entry show as the number, as ps does.
import { readFileSync } from 'node:fs';

/** Parses passwd(5) text into uid → name. Malformed lines are skipped. */
export function parsePasswd(text: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const line of text.split('\n')) {
    const parts = line.split(':');
    const uid = Number(parts[2]);
    if (parts.length >= 3 && parts[0] !== '' && parts[2] !== '' && Number.isInteger(uid) && !names.has(uid)) {
      names.set(uid, parts[0] as string);
    }
  }
  return names;
}

export interface UserNames {
  /** The user name for uid, or the uid as text; '?' for -1 (not yet known). */
  nameOf(uid: number): string;
}

/** Reads passwdPath lazily; an unknown uid triggers a re-read at most every reloadMs. */
export function createUserNames(passwdPath = '/etc/passwd', reloadMs = 5000): UserNames {
  let names = new Map<number, string>();
  let loadedAt = -Infinity;
  const load = (): void => {
    loadedAt = Date.now();
    try {
      names = parsePasswd(readFileSync(passwdPath, 'utf8'));
    } catch {
      // No passwd (minimal containers) is a normal outcome: numbers are shown instead.
    }
  };
  return {
    nameOf(uid) {
      if (uid < 0) return '?';
      let name = names.get(uid);
      if (name === undefined && Date.now() - loadedAt >= reloadMs) {
        load();
        name = names.get(uid);
      }
      return name ?? String(uid);
    },
  };
}
