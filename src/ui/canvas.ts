// An off-screen grid of cells (one character and one style name each) that the widgets draw into
// and the terminal paints in one pass. Pure; it also lets tests read a frame as plain text.

export type StyleName =
  | 'text'
  | 'dim'
  | 'label'
  | 'value'
  | 'columnHeader'
  | 'sortColumn'
  | 'selected'
  | 'tagged'
  | 'new'
  | 'exited'
  | 'kernel'
  | 'thread'
  | 'good'
  | 'warn'
  | 'bad'
  | 'meterLow'
  | 'meterMid'
  | 'meterHigh'
  | 'spark'
  | 'fkey'
  | 'fkeyLabel'
  | 'input'
  | 'border'
  | 'title'
  | 'menuSelected'
  | 'tab'
  | 'tabActive';

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Segment {
  readonly text: string;
  readonly style: StyleName;
}

export class Canvas {
  readonly chars: string[][];
  readonly styles: StyleName[][];

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.chars = Array.from({ length: height }, () => new Array<string>(width).fill(' '));
    this.styles = Array.from({ length: height }, () => new Array<StyleName>(width).fill('text'));
  }

  /**
   * Writes text from (x, y), clipped to `maxWidth` and to the canvas. Characters that could drive the
   * terminal (C0/C1 controls) are written as '?': callers sanitize, this is the last line of defence.
   */
  write(x: number, y: number, text: string, style: StyleName, maxWidth = this.width - x): number {
    const rowChars = this.chars[y];
    const rowStyles = this.styles[y];
    if (rowChars === undefined || rowStyles === undefined) return 0;
    const limit = Math.min(this.width, x + Math.max(0, maxWidth), x + text.length);
    for (let col = Math.max(0, x); col < limit; col++) {
      const ch = text[col - x] as string;
      const code = ch.charCodeAt(0);
      rowChars[col] = code < 0x20 || (code >= 0x7f && code < 0xa0) ? '?' : ch;
      rowStyles[col] = style;
    }
    return Math.max(0, limit - x);
  }

  /** Writes segments one after another; returns the column after the last one. */
  writeSegments(x: number, y: number, segments: readonly Segment[], maxWidth = this.width - x): number {
    let col = x;
    for (const s of segments) {
      const room = x + maxWidth - col;
      if (room <= 0) break;
      col += this.write(col, y, s.text, s.style, room);
    }
    return col;
  }

  fill(rect: Rect, style: StyleName, ch = ' '): void {
    for (let y = rect.y; y < rect.y + rect.height; y++)
      this.write(rect.x, y, ch.repeat(Math.max(0, rect.width)), style, rect.width);
  }

  /** One row as a string (tests, and the dev script's frame dumps). */
  rowText(y: number): string {
    return (this.chars[y] ?? []).join('');
  }

  text(): string {
    return this.chars.map((row) => row.join('').trimEnd()).join('\n');
  }
}

/** A frame around `rect` with a title, the inside cleared. */
export function drawBox(canvas: Canvas, rect: Rect, title: string, ascii: boolean): Rect {
  const [h, v, tl, tr, bl, br] = ascii ? ['-', '|', '+', '+', '+', '+'] : ['─', '│', '┌', '┐', '└', '┘'];
  canvas.fill(rect, 'text');
  const inner = Math.max(0, rect.width - 2);
  canvas.write(rect.x, rect.y, `${tl}${h.repeat(inner)}${tr}`, 'border');
  canvas.write(rect.x + 2, rect.y, ` ${title} `, 'title', inner - 2);
  for (let y = rect.y + 1; y < rect.y + rect.height - 1; y++) {
    canvas.write(rect.x, y, v, 'border');
    canvas.write(rect.x + rect.width - 1, y, v, 'border');
  }
  canvas.write(rect.x, rect.y + rect.height - 1, `${bl}${h.repeat(inner)}${br}`, 'border');
  return { x: rect.x + 1, y: rect.y + 1, width: inner, height: Math.max(0, rect.height - 2) };
}
