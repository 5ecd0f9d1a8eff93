// What a screen (one of htop 3's tabs) is: its tab title, its own keys (the help lists them under its
// name) and how it draws its body. The registry (registry.ts) lists them in tab order.
import type { Canvas, Rect } from '../canvas.js';
import type { FrameInput } from '../compose.js';
import type { ChartSpec } from '../history-view.js';
import type { Binding } from '../keymap.js';
import type { ScreenId } from '../ui-state.js';
import type { ExitedProcess } from '../../core/types.js';

export interface ScreenDraw {
  /** Line charts the terminal draws over the canvas (History with braille). */
  readonly charts: readonly ChartSpec[];
  /** Rows the screen could list now and rows it shows at once: the scroll keys' limits. */
  readonly rows: number;
  readonly page: number;
  /** A list with a selection but no pids (Exited): its rows as drawn, the selected row and the first row shown. */
  readonly selectable?: { readonly items: readonly SelectableRow[]; readonly index: number; readonly top: number };
}

/** A row the selection can rest on: an exit of the ring, or a by-command row's command. */
export type SelectableRow = ExitedProcess | string;

export interface Screen {
  readonly id: ScreenId;
  readonly title: string;
  /** Keys of this screen, before the global ones; the help lists them under the title. */
  readonly bindings: readonly Binding[];
  draw(canvas: Canvas, area: Rect, input: FrameInput): ScreenDraw;
}
