// F2 setup's save: the settings the viewer hands back, written to the settings file atomically. The
// only writer of the file; the viewer calls it when the user leaves setup, never at start, so a file
// with a bad line stays as the user wrote it until they save.
import type { SavedSettings } from '../viewer-settings.js';
import { serializeSettings } from './settings-file.js';
import { writeSettingsFile } from './settings-io.js';

/** Writes `settings` to `path`; returns the line the viewer shows (where it saved, or why it did not). */
export function saveViewerSettings(path: string | null, settings: SavedSettings): string {
  if (path === null) return 'settings not saved: no place for the file (set HOME, XDG_CONFIG_HOME or CNTOPRC)';
  const written = writeSettingsFile(path, serializeSettings(settings));
  return written.ok ? `settings saved to ${path}` : written.error;
}
