// Start-up: the settings file (if any) merged under the command line's viewer flags. The only part of
// the settings code main.ts calls; it reads one file and never writes.
import type { ViewerFlags, ViewerSettings } from '../viewer-settings.js';
import { DEFAULT_SAVED_SETTINGS, resolveViewerSettings } from '../viewer-settings.js';
import { readSettingsFile } from './settings-io.js';
import { pathWasNamed, settingsPath } from './settings-path.js';

export function loadViewerSettings(
  flags: ViewerFlags,
  env: Readonly<Record<string, string | undefined>>,
): ViewerSettings {
  const path = settingsPath(env);
  const parsed =
    path === null
      ? { settings: DEFAULT_SAVED_SETTINGS, keys: new Set<never>(), problems: [] }
      : readSettingsFile(path, pathWasNamed(env));
  return resolveViewerSettings({
    saved: parsed.settings,
    savedKeys: parsed.keys,
    flags,
    env,
    configPath: path,
    problems: parsed.problems,
  });
}
