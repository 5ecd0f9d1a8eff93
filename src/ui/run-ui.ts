// Entry point of the full-screen viewer (`cntop` with no subcommand): builds the App on the engine,
// hands the terminal restore to the caller's cleanup list, and asks to exit on q / F10.
import type { EngineControl } from '../core/engine-api.js';
import type { HealthReport } from '../core/health/health-types.js';
import { App } from './app.js';
import { SYSTEM_CLOCK } from './clock.js';
import { REAL_SYSTEM } from './effects.js';
import { ASCII_GLYPHS, UNICODE_GLYPHS, localeIsUtf8 } from './glyphs.js';
import { brailleAllowed } from './history-view.js';
import { openTerminal } from './terminal.js';
import { colorAllowed } from './theme.js';
import type { SavablePreferences, ViewerPreferences } from './viewer-preferences.js';
import type { UiClock } from './clock.js';
import type { TimeCursor } from './time-cursor.js';

export interface UiOptions {
  readonly color: boolean;
  readonly ascii: boolean;
  readonly refreshMs: number;
  /** The settings file under the flags; the defaults when absent. */
  readonly preferences?: ViewerPreferences;
  readonly savePreferences?: (prefs: SavablePreferences) => string;
  readonly health?: () => HealthReport | null;
  readonly repair?: () => Promise<string>;
  /** `cntop replay`: the time cursor, and the clock that reads it (ages and times are the cursor's). Read-only then. */
  readonly replay?: { readonly cursor: TimeCursor; readonly clock: UiClock };
}

export interface UiLifecycle {
  addCleanup(fn: () => void): void;
  requestExit(code: number): void;
}

/** Frames are drawn at most this often (~40 fps), whatever the event rate. */
export const FRAME_MS = 25;
/**
 * A frame drawn only because connector events arrived waits at least this long after the previous
 * one (keys and resizes do not): at most 4 such frames a second, instead of up to 40, on a machine
 * whose builds start processes all the time. Each new process still shows within a quarter second.
 */
export const DATA_FRAME_MS = 250;

export function runUi(engine: EngineControl, options: UiOptions, lifecycle: UiLifecycle): App {
  // Without a UTF-8 locale the terminal cannot be trusted with box drawing or block glyphs.
  const ascii = options.ascii || !localeIsUtf8(process.env);
  const color = colorAllowed(process.env, options.color);
  engine.setRefreshMs(options.refreshMs);
  const app = new App({
    engine,
    openTerminal: (handlers) =>
      openTerminal({ color, unicode: !ascii, mouse: options.preferences?.mouse ?? true }, handlers),
    system: REAL_SYSTEM,
    clock: options.replay?.clock ?? SYSTEM_CLOCK,
    glyphs: ascii ? ASCII_GLYPHS : UNICODE_GLYPHS,
    ascii,
    braille: brailleAllowed(process.env['TERM'], ascii),
    health: options.health,
    repair: options.repair,
    requestExit: (code) => lifecycle.requestExit(code),
    frameMs: FRAME_MS,
    refreshMs: options.refreshMs,
    // A recording's pids belong to whoever holds them now: replay signals and renices nothing.
    readonly: options.replay !== undefined || (options.preferences?.readonly ?? false),
    ...(options.replay === undefined ? {} : { cursor: options.replay.cursor }),
    ...(options.preferences === undefined ? {} : { preferences: options.preferences }),
    ...(options.savePreferences === undefined ? {} : { savePreferences: options.savePreferences }),
    dataFrameMs: DATA_FRAME_MS,
  });
  lifecycle.addCleanup(() => app.stop());
  app.start();
  return app;
}
