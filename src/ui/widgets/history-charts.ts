// The history view's line charts as blessed-contrib elements (contrib.line, braille via drawille) over
// the painted Canvas. The terminal creates this layer on the first frame that shows charts and updates
// it only from frames (so from the App's frame scheduler); charts that leave the view are destroyed.
import { createRequire } from 'node:module';
import type blessed from 'blessed';
import type { Rect } from '../canvas.js';
import type { ChartSpec } from '../history-view.js';

interface LineData {
  readonly title: string;
  readonly x: readonly string[];
  readonly y: readonly number[];
  readonly style: { readonly line: string };
}

/** The part of contrib.line that cntop uses; blessed-contrib ships no type declarations. */
interface LineWidget extends blessed.Widgets.BoxElement {
  options: { maxY?: number; numYLabels: number; xPadding: number; xLabelPadding: number };
  setData(data: readonly LineData[]): void;
}

type LineFactory = (options: object) => LineWidget;

let lineFactory: LineFactory | null = null;

function contribLine(): LineFactory {
  // contrib.line's own module: the package index loads every widget (maps, markdown...), ~230 ms here,
  // a pause nobody should pay at start-up or on the first g. Loaded on first use only.
  lineFactory ??= createRequire(import.meta.url)('blessed-contrib/lib/widget/charts/line.js') as LineFactory;
  return lineFactory;
}

export class ChartLayer {
  private readonly charts = new Map<string, { widget: LineWidget; rect: Rect }>();

  /** `color` false (NO_COLOR, --no-color): lines, text and borders in the terminal's default colour. */
  constructor(
    private readonly screen: blessed.Widgets.Screen,
    private readonly color: boolean,
  ) {}

  /** Shows exactly `specs`: creates the missing charts, feeds the others, destroys the rest. */
  update(specs: readonly ChartSpec[]): void {
    const wanted = new Set(specs.map((s) => s.id));
    for (const [id, chart] of this.charts) {
      if (!wanted.has(id)) this.remove(id, chart.widget);
    }
    for (const spec of specs) {
      let chart = this.charts.get(spec.id);
      // contrib.line sizes its drawing canvas once, when attached: a new size needs a new chart.
      if (chart !== undefined && !sameRect(chart.rect, spec.rect)) {
        this.remove(spec.id, chart.widget);
        chart = undefined;
      }
      if (chart === undefined) {
        chart = { widget: this.create(spec), rect: spec.rect };
        this.charts.set(spec.id, chart);
      }
      this.feed(chart.widget, spec);
    }
  }

  get size(): number {
    return this.charts.size;
  }

  destroy(): void {
    for (const [id, chart] of this.charts) this.remove(id, chart.widget);
  }

  private create(spec: ChartSpec): LineWidget {
    const plain = this.color ? undefined : 'normal';
    const widget = contribLine()({
      top: spec.rect.y,
      left: spec.rect.x,
      width: spec.rect.width,
      height: spec.rect.height,
      label: ` ${spec.title} `,
      border: { type: 'line' },
      style: {
        line: plain ?? spec.color,
        text: plain ?? 'green',
        baseline: plain ?? 'white',
        ...(this.color ? { border: { fg: 'blue' } } : {}),
      },
      // Labels from column 0, the y axis right after the widest one (contrib's own estimate of that
      // width goes wrong once labels differ in length).
      xLabelPadding: spec.yLabelPixels,
      xPadding: spec.yLabelPixels,
      showLegend: false,
      numYLabels: spec.numYLabels,
      maxY: spec.maxY,
    });
    // Appended, not given a parent: contrib.line creates its drawing context on 'attach'.
    this.screen.append(widget);
    return widget;
  }

  private feed(widget: LineWidget, spec: ChartSpec): void {
    widget.setLabel(` ${spec.title} `);
    widget.options.maxY = spec.maxY;
    widget.options.numYLabels = spec.numYLabels;
    widget.options.xPadding = spec.yLabelPixels;
    widget.options.xLabelPadding = spec.yLabelPixels;
    widget.setData([
      { title: spec.title, x: spec.xLabels, y: spec.values, style: { line: this.color ? spec.color : 'normal' } },
    ]);
  }

  private remove(id: string, widget: LineWidget): void {
    widget.destroy();
    this.charts.delete(id);
  }
}

function sameRect(a: Rect, b: Rect): boolean {
  return a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;
}
