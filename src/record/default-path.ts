// Where a recording lives when no --db is given: the service's state directory under systemd
// (StateDirectory=cntop gives STATE_DIRECTORY=/var/lib/cntop), else $XDG_STATE_HOME/cntop, else
// ~/.local/state/cntop. Readers also look at the system service's file when the user's is absent.
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

export const RECORDING_FILE = 'cntop.db';
export const SYSTEM_RECORDING = `/var/lib/cntop/${RECORDING_FILE}`;

type Env = Readonly<Record<string, string | undefined>>;

/** The path `cntop record` writes to by default. */
export function defaultRecordingPath(env: Env, home: string): string {
  const stateDirectory = env['STATE_DIRECTORY']?.split(':')[0];
  if (stateDirectory !== undefined && isAbsolute(stateDirectory)) return join(stateDirectory, RECORDING_FILE);
  const xdg = env['XDG_STATE_HOME'];
  // The XDG spec: a relative path is invalid and must be ignored.
  if (xdg !== undefined && isAbsolute(xdg)) return join(xdg, 'cntop', RECORDING_FILE);
  return join(home, '.local', 'state', 'cntop', RECORDING_FILE);
}

/** The path the reading commands open by default: the writer's default, or the system service's if only it exists. */
export function defaultReadingPath(env: Env, home: string, exists: (path: string) => boolean = existsSync): string {
  const own = defaultRecordingPath(env, home);
  return !exists(own) && exists(SYSTEM_RECORDING) ? SYSTEM_RECORDING : own;
}
