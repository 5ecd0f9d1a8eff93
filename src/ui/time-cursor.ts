// The viewer's seam to a replay (`cntop replay`): a cursor over recorded time. The live viewer has
// none. atop's replay keys move it: t / T the next / previous step, b a jump to a typed time, r back
// to the start, and z plays or pauses (atop's z; htop's space tags and t is htop's tree, F5 still is).
// Pure: the keys and what the bar says; the cursor itself lives with the recording.

export interface TimeCursor {
  /** The instant and how the cursor moves, for the bar: "replay 2026-12-06 03:12:05 · step 10s · paused". */
  label(): string;
  /** The coverage gap the cursor is in ("not recorded", "lossy: …", "blind: …"), or null when healthy. */
  gap(): string | null;
  step(direction: 1 | -1): void;
  /** Jumps to a typed time (03:12, -5m, 2026-12-06T03:12, @UNIXSECONDS); returns why not, or null. */
  jump(text: string): string | null;
  rewind(): void;
  togglePlay(): void;
}

export type CursorCommand =
  | { readonly kind: 'step'; readonly direction: 1 | -1 }
  | { readonly kind: 'jumpPrompt' }
  | { readonly kind: 'rewind' }
  | { readonly kind: 'togglePlay' };

/** The replay keys, ahead of every screen's own while a cursor exists. */
export const CURSOR_BINDINGS: readonly {
  readonly key: string;
  readonly command: CursorCommand;
  readonly help: string;
}[] = [
  { key: 't', command: { kind: 'step', direction: 1 }, help: 'replay: next step' },
  { key: 'T', command: { kind: 'step', direction: -1 }, help: 'replay: previous step' },
  { key: 'b', command: { kind: 'jumpPrompt' }, help: 'replay: jump to a time' },
  { key: 'r', command: { kind: 'rewind' }, help: 'replay: back to the start' },
  { key: 'z', command: { kind: 'togglePlay' }, help: 'replay: play / pause' },
];

export function cursorCommand(key: string): CursorCommand | null {
  return CURSOR_BINDINGS.find((b) => b.key === key)?.command ?? null;
}

/** The prompt of b while a time is typed. */
export function jumpPromptText(typed: string): string {
  return `jump to (03:12, -5m, 2026-12-06T03:12): ${typed}_`;
}

/** What the bar shows for a cursor: its label, and a mark when it sits in a gap. */
export function cursorBarText(cursor: TimeCursor): string {
  const gap = cursor.gap();
  return gap === null ? `${cursor.label()} · t/T b r z` : `${cursor.label()} · ! ${gap}`;
}

/** What a key did to the replay: the typed time (null when not typing), and a message to show. */
export interface CursorKeyOutcome {
  readonly typed: string | null;
  readonly message: string | null;
}

/**
 * A key in replay: while b's time is typed, every key edits it (Enter jumps, Esc cancels); otherwise,
 * in the normal mode, the cursor's keys act. Null when the key is not the cursor's (the screens take it).
 */
export function cursorKey(
  cursor: TimeCursor,
  typed: string | null,
  key: string,
  normalMode: boolean,
): CursorKeyOutcome | null {
  if (typed !== null) {
    if (key === 'enter') return { typed: null, message: cursor.jump(typed) };
    if (key === 'escape') return { typed: null, message: null };
    if (key === 'backspace') return { typed: typed.slice(0, -1), message: null };
    if (key === 'C-c') return null;
    const ch = key === 'space' ? ' ' : key;
    return { typed: ch.length === 1 && ch >= ' ' ? typed + ch : typed, message: null };
  }
  const command = normalMode ? cursorCommand(key) : null;
  if (command === null) return null;
  switch (command.kind) {
    case 'step':
      cursor.step(command.direction);
      break;
    case 'jumpPrompt':
      return { typed: '', message: null };
    case 'rewind':
      cursor.rewind();
      break;
    case 'togglePlay':
      cursor.togglePlay();
      break;
  }
  return { typed: null, message: null };
}

/** The bar's text: b's prompt while a time is typed, else the cursor's label. */
export function cursorBar(cursor: TimeCursor, typed: string | null): string {
  return typed === null ? cursorBarText(cursor) : jumpPromptText(typed);
}
