// The running viewer: subscribes to the engine, keeps the UI state, turns keys and mouse into
// commands, caches the process order, and draws at most one frame per frame interval.
import type { EngineControl } from '../core/engine-api.js';
import type { HealthReport } from '../core/health/health-types.js';
import type { Pid } from '../core/types.js';
import type { UiClock } from './clock.js';
import { runCommand, type CommandDeps, type CommandHost } from './commands.js';
import { composeFrame } from './compose.js';
import type { SystemActions } from './effects.js';
import type { Glyphs } from './glyphs.js';
import { EventRing, MeterHistory, RateHistory } from './history.js';
import { HISTORY_SECONDS } from './history-view.js';
import { normalizeKey, resolveKey } from './keymap.js';
import { computeLayout, type Layout } from './layout.js';
import type { Rect } from './canvas.js';
import { orderProcesses, type ProcessOrder } from './process-order.js';
import { FrameScheduler } from './render-scheduler.js';
import { SortedProcesses } from './sorted-processes.js';
import type { MouseInput, Terminal, TerminalHandlers } from './terminal.js';
import {
  activeSort,
  indexOfSelection,
  initialUiState,
  reduce,
  sortableColumns,
  type Action,
  type UiState,
} from './ui-state.js';
import { SCREENS } from './screens/registry.js';
import type { ScreenDraw } from './screens/types.js';
import { tabCells } from './widgets/tab-bar.js';
import { columnAt, scrollTopFor } from './view-model.js';
import { processAreas } from './screens/processes/index.js';
import { exitedColumnAt } from './screens/exited/index.js';
import { topFor } from './screens/exited/selection.js';
import { ThreadRows, withProcesses } from './thread-rows.js';
import { ExitCpuMeter } from './exit-cpu-meter.js';
import { ProcessExtras, type ExtraNeed } from './process-extras.js';
import { columnById } from './columns.js';
import { DEFAULT_PREFERENCES, type ViewerPreferences } from './viewer-preferences.js';
import type { EngineView } from '../core/engine-api.js';
import { headerHeight } from './widgets/header.js';
import { functionKeyAt } from './widgets/function-bar-hit.js';
import { menuItems } from './widgets/overlays.js';
import { cursorBar, cursorKey, type TimeCursor } from './time-cursor.js';

export interface AppDeps extends CommandDeps {
  readonly engine: EngineControl;
  readonly openTerminal: (handlers: TerminalHandlers) => Terminal;
  readonly system: SystemActions;
  readonly clock: UiClock;
  readonly glyphs: Glyphs;
  readonly ascii: boolean;
  /** Whether the terminal can show braille (the history view's line charts); without it, sparklines. */
  readonly braille?: boolean;
  readonly health: (() => HealthReport | null) | undefined;
  /** Minimum time between two frames (~30-60 fps). */
  readonly frameMs: number;
  /** Minimum time from a frame to one drawn only for connector events (default frameMs). */
  readonly dataFrameMs?: number;
  /** The sampling interval: the exits' CPU meter sums the exits of the last one (default 1000 ms). */
  readonly refreshMs?: number;
  /** What the viewer starts from (settings file and flags); the defaults when absent. */
  readonly preferences?: ViewerPreferences;
  /** `cntop replay`: the time cursor its keys move (t / T / b / r / z); absent in the live viewer. */
  readonly cursor?: TimeCursor;
}

/** One drawn frame's timing, ms (performance.now clock): its start, its total and the three phases. */
export interface FrameTiming {
  readonly startMs: number;
  readonly totalMs: number;
  readonly orderMs: number;
  readonly composeMs: number;
  readonly paintMs: number;
}

const MESSAGE_MS = 4000;
/** Digits typed further apart than this start a new PID. */
const PID_TYPING_MS = 1500;
/** Follow looks at the newest this many processes started between two frames. */
const FOLLOW_CANDIDATES = 64;

export class App implements CommandHost {
  state: UiState;
  /** The last 1,000 frames' timings (tests and the frame-time benchmark read them). */
  readonly frameTimings: FrameTiming[] = [];
  private terminal: Terminal | null = null;
  private readonly scheduler: FrameScheduler;
  private readonly events = new EventRing(2000);
  private readonly rates = new RateHistory(HISTORY_SECONDS);
  private readonly meters = new MeterHistory(HISTORY_SECONDS);
  private readonly disposers: Array<() => void> = [];
  private generation = 0;
  private cache: { generation: number; state: UiState; order: ProcessOrder } | null = null;
  // The sort kept between frames: events only move the processes they touched; a refresh (CPU%,
  // memory, times change everywhere) re-sorts all.
  private readonly sorter = new SortedProcesses();
  /** Figures of the optional columns (SHR, I/O rates, peak, cgroup), sampled on the interval while shown. */
  private readonly extras = new ProcessExtras();
  /** htop's H: thread rows, sampled on the interval while H is on. */
  private readonly threadRows = new ThreadRows();
  private readonly announced = new Set<Pid>();
  /** Follow: processes started since the last frame, newest last. */
  private started: Pid[] = [];
  private resortAll = true;
  /** The order the last frame drew (rows on screen map to it). */
  private shown: { state: UiState; order: ProcessOrder } | null = null;
  private scrollTop = 0;
  private layout: Layout | null = null;
  private firstFrameMs: number | null = null;
  private messageTimer: NodeJS.Timeout | null = null;
  /** What the screen on show listed in the last frame (the scroll keys' limits). */
  private body: ScreenDraw = { charts: [], rows: 0, page: 1 };
  /** CPU% (one core = 100) of the processes that exited during the last sampling interval. */
  private exitCpuPercent: number | null = null;
  private readonly exitCpu = new ExitCpuMeter();
  /** A '\r' arrived as Enter in this input chunk: a '\n' right after it is the same key (CR LF terminals). */
  private enterFromCr = false;
  /** Replay: the time typed after b, while it is typed. */
  private timeTyped: string | null = null;
  menuUsers: string[] = [];

  private refreshes = 0;

  constructor(readonly deps: AppDeps) {
    // The sampling interval the engine runs at is the one setup shows and saves.
    const prefs = deps.preferences ?? DEFAULT_PREFERENCES;
    this.state = initialUiState({
      ...prefs,
      refreshMs: deps.refreshMs ?? (deps.preferences === undefined ? 1000 : prefs.refreshMs),
    });
    this.scheduler = new FrameScheduler(deps.frameMs, () => this.drawFrame(), undefined, deps.dataFrameMs);
  }

  start(): void {
    const { engine } = this.deps;
    this.terminal = this.deps.openTerminal({
      onKey: (ch, key) => this.onKey(ch, key),
      onMouse: (m) => this.onMouse(m),
      onResize: () => this.requestRender(),
    });
    this.disposers.push(
      engine.onEvents((batch) => {
        const lookup = (pid: Pid) => engine.processes.get(pid);
        for (const e of batch) {
          this.events.push(e, lookup);
          this.announced.add(e.tgid);
        }
        this.generation++;
        if (this.state.followNew) this.noteStarted(batch);
        this.scheduler.requestData();
      }),
    );
    this.disposers.push(
      engine.onRefresh(() => {
        const spanMs = this.state.display.refreshMs;
        // Exits of the last two intervals are looked at: a record may come just after the refresh.
        const now = this.deps.clock.monotonicMs();
        this.exitCpuPercent =
          (this.exitCpu.take(engine.exited, engine.processes, now - 2 * spanMs - 200) / spanMs) * 100;
        this.resortAll = true;
        if (this.state.showThreads) this.sampleThreads();
        this.sampleExtras();
        this.generation++;
        this.requestRender();
        // htop's -n: quit after that many refreshes (the last one drawn first).
        const max = this.deps.preferences?.maxIterations ?? null;
        if (max !== null && ++this.refreshes >= max) setImmediate(() => this.deps.requestExit(0));
      }),
    );
    // Rates are per second in the engine; one sample per second makes each sparkline cell a second.
    // The history view's charts are fed from these samples by the frames this request schedules.
    const sampler = setInterval(() => {
      this.rates.push(engine.status.eventRates);
      this.meters.push(engine.system);
      // Not a frame of its own when one was drawn within the second (the refresh's): the next shows it.
      this.scheduler.requestIfOlderThan(1000);
    }, 1000);
    sampler.unref();
    this.disposers.push(() => clearInterval(sampler));
    // Saved optional columns have their figures on the first frame, not a refresh later.
    this.sampleExtras();
    this.drawFrame();
    if (this.state.message !== null) this.scheduleMessageClear();
  }

  stop(): void {
    this.scheduler.stop();
    for (const dispose of this.disposers.splice(0)) dispose();
    if (this.messageTimer !== null) clearTimeout(this.messageTimer);
    if (this.pidTimer !== null) clearTimeout(this.pidTimer);
    this.terminal?.destroy();
    this.terminal = null;
  }

  requestRender(): void {
    this.scheduler.request();
  }

  dispatch(action: Action): void {
    const before = this.state;
    this.state = reduce(this.state, action);
    // Setup's interval is the engine's sampling interval.
    if (this.state.display.refreshMs !== before.display.refreshMs)
      this.deps.engine.setRefreshMs(this.state.display.refreshMs);
    // Reacting to what changed, whichever action changed it (setColumns, or an edit in setup).
    if (this.state.columns !== before.columns) {
      this.sampleExtras();
      this.resortAll = true;
      this.generation++;
    }
    if (this.state.showThreads !== before.showThreads) {
      if (this.state.showThreads) this.sampleThreads();
      else this.threadRows.clear();
    }
    if (action.type === 'setMessage' && action.text !== null) this.scheduleMessageClear();
    if (action.type === 'pidTyped' && action.text !== '') this.schedulePidTypedClear();
    this.requestRender();
  }

  /** The listed pids in screen order, recomputed only when the engine or the view settings changed. */
  order(): ProcessOrder {
    const s = this.state;
    const c = this.cache;
    if (c !== null && c.generation === this.generation && sameView(c.state, s)) return c.order;
    // Paused (Z, htop): the same rows in the same order until resumed, whatever the engine says.
    if (c !== null && s.pausedAt.processes !== undefined && sameView(c.state, s)) return c.order;
    // Thread rows are not in the engine's announcements: with H on, the order is rebuilt whole.
    const order = orderProcesses(
      this.view(),
      s,
      this.deps.clock.monotonicMs(),
      this.sorter,
      this.resortAll || s.showThreads ? null : this.announced,
    );
    this.announced.clear();
    this.resortAll = false;
    this.cache = { generation: this.generation, state: s, order };
    return order;
  }

  /** How long a new process stays highlighted (htop's -H), 0 when highlighting is off. */
  private highlightMs(): number {
    const d = this.state.display;
    return d.highlightChanges ? d.highlightMs : 0;
  }

  /** What the list shows: the engine's processes, and with H their threads. */
  private view(): EngineView {
    const engine = this.deps.engine;
    if (!this.state.showThreads) return engine;
    return withProcesses(engine, this.threadRows.merged(engine.processes, this.generation));
  }

  /** Reads what the shown optional columns need, if any; forgets it when none is shown. */
  private sampleExtras(): void {
    const needs = new Set<ExtraNeed>();
    for (const id of this.state.columns) {
      const need = columnById(id).needs;
      if (need !== undefined) needs.add(need);
    }
    const system = this.deps.system;
    if (needs.size === 0 || !readsProcFiles(system)) {
      this.extras.clear();
      return;
    }
    this.extras.sample(this.deps.engine, needs, system, this.deps.clock.monotonicMs());
  }

  private sampleThreads(): void {
    const { system, clock, engine } = this.deps;
    if (system.readTaskStats === undefined) return;
    const nowMs = clock.monotonicMs();
    const read = system.readTaskStats.bind(system);
    let bootOffsetMs = 0;
    try {
      bootOffsetMs = system.bootOffsetMs?.(nowMs) ?? 0;
    } catch {
      // Without /proc/uptime a thread's start is off by the time the machine slept; nothing else is.
    }
    this.threadRows.sample(engine.processes, read, nowMs, bootOffsetMs);
    this.resortAll = true;
    this.generation++;
  }

  shownOrder(): ProcessOrder {
    // After a change of view (F5, a sort, a filter) the order on screen is not the one keys act on.
    const shown = this.shown;
    return shown !== null && sameView(shown.state, this.state) ? shown.order : this.order();
  }

  listRows(): number {
    return Math.max(1, (this.layout?.list.height ?? 2) - 1);
  }

  screenRows(): number {
    return this.terminal?.height ?? 0;
  }

  scrollLimits(): { rows: number; page: number } {
    return { rows: this.body.rows, page: this.body.page };
  }

  selectableRows(): ScreenDraw['selectable'] {
    return this.body.selectable;
  }

  nowMs(): number {
    return this.deps.clock.monotonicMs();
  }

  openUserMenu(): void {
    this.menuUsers = [...new Set([...this.deps.engine.processes.values()].map((p) => p.user))].sort();
  }

  private onKey(ch: string | undefined, key: { name?: string; full?: string; sequence?: string } | undefined): void {
    // A terminal that sends Enter as CR LF (newline mode, some serial consoles and ssh clients) gives
    // blessed '\r' (our Enter) and then '\n' (linefeed, also Enter) in one input chunk: one key press
    // that must not both pick the signal and confirm it, or close what it opened.
    if (key?.name === 'linefeed' && this.enterFromCr) {
      this.enterFromCr = false;
      return;
    }
    const name = normalizeKey(ch, key);
    if (name === null) return;
    if (name === 'enter' && key?.sequence === '\r') {
      this.enterFromCr = true;
      setImmediate(() => {
        this.enterFromCr = false;
      });
    }
    if (this.deps.cursor !== undefined) {
      const outcome = cursorKey(this.deps.cursor, this.timeTyped, name, this.state.mode.kind === 'normal');
      if (outcome !== null) {
        this.timeTyped = outcome.typed;
        if (outcome.message !== null) this.dispatch({ type: 'setMessage', text: outcome.message });
        this.requestRender();
        return;
      }
    }
    const command = resolveKey(this.state.mode, name, this.state.screen);
    if (command !== null) runCommand(this, command);
  }

  private onMouse(m: MouseInput): void {
    if (this.state.mode.kind !== 'normal' || this.layout === null) return;
    const list = this.layout.list;
    if (m.action === 'wheelup' || m.action === 'wheeldown') {
      if (this.state.screen === 'exited') {
        this.wheelExited(m.action === 'wheelup' ? -3 : 3);
        return;
      }
      this.dispatch({ type: 'moveBy', delta: m.action === 'wheelup' ? -3 : 3, order: this.shownOrder().pids });
      return;
    }
    if (m.y === this.layout.functionBarY) {
      const key = functionKeyAt(m.x);
      if (key !== null) this.onKey(undefined, { name: key, full: key });
      return;
    }
    if (m.y === this.layout.tabsY) {
      const tab = tabCells(SCREENS).find((c) => m.x >= c.x && m.x < c.x + c.width);
      if (tab !== undefined) this.dispatch({ type: 'setScreen', screen: tab.id });
      return;
    }
    if (this.state.screen === 'exited') {
      this.onExitedClick(m, list);
      return;
    }
    // Other screens cover the list: a click there must not select a process nobody sees.
    if (this.state.screen !== 'processes') return;
    const area = processAreas(list).list;
    if (m.x >= area.x + area.width) return;
    if (m.y === area.y) {
      // htop: a click on a column header sorts by that column (again: inverts).
      const column = columnAt(m.x - area.x, area.width, this.state.columns);
      if (column !== null)
        this.dispatch(
          column === activeSort(this.state).key ? { type: 'invertSort' } : { type: 'setSort', key: column },
        );
      return;
    }
    const row = m.y - area.y - 1;
    if (row >= 0 && row < area.height - 1) {
      this.dispatch({ type: 'moveTo', index: this.scrollTop + row, order: this.shownOrder().pids });
    }
  }

  private wheelExited(delta: number): void {
    const list = this.body.selectable;
    if (list === undefined || list.items.length === 0) return;
    const index = Math.min(list.items.length - 1, Math.max(0, list.index + delta));
    this.dispatch({
      type: 'selectExitedRow',
      key: list.items[index] ?? null,
      index,
      top: topFor(index, list.top, this.body.page, list.items.length),
    });
  }

  /** Exited: a click on a column header sorts by it (again: inverts), a click on a row selects it. */
  private onExitedClick(m: MouseInput, area: Rect): void {
    // The list sits in a box: its header is the box's first inner line.
    const headerY = area.y + 1;
    const x = m.x - area.x - 1;
    if (x < 0 || x >= area.width - 2) return;
    if (m.y === headerY) {
      const key = exitedColumnAt(x, this.state.exitedView.byCommand);
      if (key !== null)
        this.dispatch(key === this.state.exitedView.sort ? { type: 'exitedInvert' } : { type: 'exitedSort', key });
      return;
    }
    const list = this.body.selectable;
    const index = (list?.top ?? 0) + m.y - headerY - 1;
    if (list === undefined || m.y <= headerY || index >= list.items.length) return;
    this.dispatch({ type: 'selectExitedRow', key: list.items[index] ?? null, index, top: list.top });
  }

  /** Follow: remembers the processes a batch started (forks and execs, not threads), newest last. */
  private noteStarted(batch: readonly { kind: string; pid: Pid; tgid: Pid }[]): void {
    for (const e of batch) {
      if ((e.kind === 'fork' || e.kind === 'exec') && e.pid === e.tgid) this.started.push(e.pid);
    }
    if (this.started.length > FOLLOW_CANDIDATES) this.started.splice(0, this.started.length - FOLLOW_CANDIDATES);
  }

  /**
   * Follow: selects the newest process started since the last frame that the list shows. Decided on the
   * frame's order, not per batch: with a filter, a process the list does not show (started just after a
   * listed one, or a fork whose exec has not yet given it the matching name) must not take the selection,
   * which would then stay on whatever row it was.
   */
  private followNewestListed(pids: readonly Pid[]): void {
    const started = this.started;
    if (started.length === 0) return;
    this.started = [];
    if (!this.state.followNew) return;
    const rank = new Map<Pid, number>();
    started.forEach((pid, i) => rank.set(pid, i));
    let best = -1;
    let index = -1;
    for (let i = 0; i < pids.length; i++) {
      const r = rank.get(pids[i] as Pid);
      if (r !== undefined && r > best) {
        best = r;
        index = i;
      }
    }
    if (index >= 0) this.state = reduce(this.state, { type: 'select', pid: pids[index] as Pid, index });
  }

  private pidTimer: NodeJS.Timeout | null = null;

  /** htop forgets the digits typed after a pause: the next digit starts a new PID. */
  private schedulePidTypedClear(): void {
    if (this.pidTimer !== null) clearTimeout(this.pidTimer);
    this.pidTimer = setTimeout(() => {
      this.pidTimer = null;
      if (this.state.pidTyped !== '') this.dispatch({ type: 'pidTyped', text: '' });
    }, PID_TYPING_MS);
    this.pidTimer.unref();
  }

  private scheduleMessageClear(): void {
    if (this.messageTimer !== null) clearTimeout(this.messageTimer);
    this.messageTimer = setTimeout(() => {
      this.messageTimer = null;
      this.dispatch({ type: 'setMessage', text: null });
    }, MESSAGE_MS);
    this.messageTimer.unref();
  }

  private drawFrame(): void {
    const terminal = this.terminal;
    if (terminal === null) return;
    const started = performance.now();
    const { engine, clock } = this.deps;
    const nowMs = clock.monotonicMs();
    this.firstFrameMs ??= nowMs;
    const width = terminal.width;
    const height = terminal.height;
    const layout = computeLayout(width, height, headerHeight(engine.system, this.state.meters));
    this.layout = layout;
    const order = this.order();
    const ordered = performance.now();
    this.followNewestListed(order.pids);
    this.shown = { state: this.state, order };
    const selectedIndex = this.settleSelection(order.pids);
    this.scrollTop = scrollTopFor(selectedIndex, this.scrollTop, this.listRows(), order.pids.length);
    // Once per frame: a report reads the connector's counters from the addon and derives the verdict.
    const health = this.deps.health?.() ?? null;
    const frame = composeFrame({
      layout,
      width,
      height,
      state: this.state,
      engine: this.view(),
      order,
      selectedIndex,
      scrollTop: this.scrollTop,
      health,
      rates: this.rates,
      meters: this.meters,
      braille: this.deps.braille === true,
      events: this.events,
      epochNowMs: clock.epochMs(),
      rowContext: {
        nowMs,
        ascii: this.deps.ascii,
        newAfterMs: this.firstFrameMs,
        newHighlightMs: this.highlightMs(),
        glyphs: this.deps.glyphs,
        isThread: this.state.showThreads ? (pid) => this.threadRows.isThread(pid) : undefined,
        columns: this.state.columns,
      },
      glyphs: this.deps.glyphs,
      menuItems:
        this.state.mode.kind === 'menu'
          ? menuItems(this.state.mode.menu, this.menuUsers, sortableColumns(this.state))
          : [],
      repairText: repairText(health),
      headerExtras: { exitCpuPercent: this.exitCpuPercent, meters: this.state.meters },
      ...(this.deps.cursor === undefined ? {} : { timeLabel: cursorBar(this.deps.cursor, this.timeTyped) }),
    });
    this.body = frame.body;
    const composed = performance.now();
    terminal.paint(frame.canvas, frame.charts);
    const painted = performance.now();
    this.frameTimings.push({
      startMs: started,
      totalMs: painted - started,
      orderMs: ordered - started,
      composeMs: composed - ordered,
      paintMs: painted - composed,
    });
    if (this.frameTimings.length > 1000) this.frameTimings.shift();
  }

  /** Keeps the selection on its process; when that process left the list, on the row where it was. */
  private settleSelection(pids: readonly Pid[]): number {
    const index = indexOfSelection(this.state, pids);
    const pid = pids[index] ?? null;
    if (pid !== this.state.selectedPid || index !== this.state.selectedIndex) {
      this.state = reduce(
        this.state,
        pid === null ? { type: 'moveTo', index: 0, order: [] } : { type: 'select', pid, index },
      );
    }
    return index;
  }
}

/** Whether two states list the same processes in the same order (given the same engine data). */
function sameView(a: UiState, b: UiState): boolean {
  return (
    a.treeView === b.treeView &&
    a.sortTree === b.sortTree &&
    a.sortFlat === b.sortFlat &&
    a.collapsed === b.collapsed &&
    a.filterText === b.filterText &&
    a.userFilter === b.userFilter &&
    a.hideKernelThreads === b.hideKernelThreads &&
    a.showThreads === b.showThreads &&
    a.pidFilter === b.pidFilter
  );
}

function repairText(health: HealthReport | null): string {
  if (health === null || health.deficit === null || health.deficit <= 0) {
    return "The kernel's listener counter shows no measured deficit;\nrepair would send no LISTEN.";
  }
  return `Raise the kernel's proc-connector listener counter by ${health.deficit}\nwith LISTENs from throwaway sockets, so every listener\non this machine receives events again.`;
}

/** Whether the system port can read the /proc files the optional columns need (a test's may not). */
function readsProcFiles(
  system: SystemActions,
): system is SystemActions & Required<Pick<SystemActions, 'readProcFile'>> {
  return system.readProcFile !== undefined;
}
