// The screens in tab order. Adding a screen: a folder here with its view-model, drawing and keys, an
// id in SCREEN_IDS (ui-state.ts), and an entry below.
import type { ScreenId } from '../ui-state.js';
import { CONNECTOR_SCREEN } from './connector/index.js';
import { EVENTS_SCREEN } from './events/index.js';
import { EXITED_SCREEN } from './exited/index.js';
import { HISTORY_SCREEN } from './history/index.js';
import { PROCESSES_SCREEN } from './processes/index.js';
import type { Screen } from './types.js';

export const SCREENS: readonly Screen[] = [
  PROCESSES_SCREEN,
  EXITED_SCREEN,
  EVENTS_SCREEN,
  HISTORY_SCREEN,
  CONNECTOR_SCREEN,
];

export function screenById(id: ScreenId): Screen {
  return SCREENS.find((s) => s.id === id) ?? PROCESSES_SCREEN;
}
