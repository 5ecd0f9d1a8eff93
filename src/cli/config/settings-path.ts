// Where the settings file is: $CNTOPRC when set, else $XDG_CONFIG_HOME/cntop/cntoprc, else
// ~/.config/cntop/cntoprc. Pure: the environment is passed in.
import { isAbsolute, join } from 'node:path';

export function settingsPath(env: Readonly<Record<string, string | undefined>>): string | null {
  const named = env['CNTOPRC'];
  if (named !== undefined && named !== '') return named;
  // The XDG spec: a relative XDG_CONFIG_HOME is invalid and is ignored.
  const xdg = env['XDG_CONFIG_HOME'];
  if (xdg !== undefined && xdg !== '' && isAbsolute(xdg)) return join(xdg, 'cntop', 'cntoprc');
  const home = env['HOME'];
  if (home !== undefined && home !== '') return join(home, '.config', 'cntop', 'cntoprc');
  return null;
}

/** True when the path came from $CNTOPRC: then a missing file is worth saying (the user named it). */
export function pathWasNamed(env: Readonly<Record<string, string | undefined>>): boolean {
  return env['CNTOPRC'] !== undefined && env['CNTOPRC'] !== '';
}
