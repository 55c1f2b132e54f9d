/**
 * Why: a drawn widget's new kernel-made states must each pass the gateway's raw-value check before
 * they are painted, but a kernel can send thousands a second (a progress bar moved in a loop):
 * one gateway call per state would hit the gateway's per-user limit within a second and leave the
 * output held as "could not be checked". This asks about one output's states one call at a time,
 * at most one call per WIDGET_CHECK_SPACING_MS: states that arrive meanwhile are checked together,
 * as they stand in the state books when the next call starts (the books hold every model's whole
 * state, so that call reads everything the widget can draw by then).
 *
 * While a state waits, the widget is painted transparent from the next frame, with a copy of what
 * it showed after its last verdict in its place (verified-paint.ts). That copy moves on while the
 * kernel keeps sending: when the widget manager has applied exactly the states a call read, the
 * widget draws what that call checks, and a copy taken then takes the old one's place if the call
 * clears it (so a bar moved faster than the gateway answers still advances).
 *
 * The widget is revealed only when a clear verdict covers every state that arrived and the widget
 * manager has applied all of them: the manager applies states one by one, after they arrive, so a
 * state overwritten by a later one before that call read the books is never checked, and must not
 * be painted once the widget is revealed. A raw value (or no verdict) holds the output. An echo of
 * the user's own input is checked like any state but not hidden meanwhile.
 */
import type { Widget } from '@lumino/widgets';
import type { RawValueVerdict } from '@privet/core/client/index';
import type { NotebookOutput } from '@privet/core/review/index';
import { rawValueHold } from './raw-value.js';
import { CallTurns } from './call-turns.js';
import { LastVerifiedPaint, VERIFYING_CLASS } from './verified-paint.js';

/**
 * Least time between the starts of two raw-value checks of one output's widget states: the pace of
 * tqdm's updates (10 a second) and of core's calls to one gateway, so each step of such a bar is
 * drawn while the gateway answers within it.
 */
export const WIDGET_CHECK_SPACING_MS = 100;

/**
 * How long a clear verdict waits for the widget manager to apply the states it covers before they
 * are checked again as they stand (a state whose handler failed is never reported applied).
 */
const APPLY_WAIT_MS = 5000;

/** What the checks need from the gated output they belong to. */
export interface WidgetUpdateHost {
  /** The gated output's node (positioned): where the copy of the last verified paint is laid. */
  readonly node: HTMLElement;
  /** The drawn widget, or null while the output is not drawn (held, or not decided yet). */
  drawn(): Widget | null;
  /** What the output draws now, if it passes the local check (else the host holds it: null). */
  checkedNow(): NotebookOutput | null;
  /** The gateway's verdict on `checked`, asked at once; null when none is asked for. */
  ask(checked: NotebookOutput): Promise<RawValueVerdict> | null;
  /** Holds the output on the gateway's verdict (raw value, or none). */
  hold(): void;
}

/** Raw-value checks of the widget states one gated output draws. */
export class WidgetUpdateChecks {
  /** States that arrived for the output's models (numbers them). */
  private arrivals = 0;
  /** The arrivals a clear verdict (or the check that drew the output) covers. */
  private clearedThrough = 0;
  /** Per model, the states that arrived and the widget manager has not applied yet. */
  private readonly unapplied = new Map<string, number>();
  /** States that arrived and were applied (in arrival order: the manager applies one by one). */
  private applications = 0;
  /** The arrivals the call in flight read (-1: none in flight). */
  private reading = -1;
  /** A copy taken when the widget drew exactly what the call in flight read. */
  private candidate: { through: number; paint: LastVerifiedPaint } | null = null;
  private running = false;
  private again = false;
  /** Spaces this output's calls (call-turns.ts). */
  private readonly turns = new CallTurns(WIDGET_CHECK_SPACING_MS);
  /** Whether what the widget paints now passed (or only echoes the user's input). */
  private verifiedShown = false;
  /** Bumped when the output is held: a check of an earlier epoch decides nothing. */
  private epoch = 0;
  private applyTimer: ReturnType<typeof setTimeout> | undefined;
  private lastVerified = new LastVerifiedPaint();

  constructor(private readonly host: WidgetUpdateHost) {}

  /** The arrivals so far: what a check that reads the state books now covers. */
  get mark(): number {
    return this.arrivals;
  }

  /** A new state of `model` (drawn by the output) arrived, before the widget manager applies it. */
  received(model: string, echo: boolean): void {
    this.arrivals++;
    this.unapplied.set(model, (this.unapplied.get(model) ?? 0) + 1);
    if (!this.host.drawn()) return; // held or undecided: the next decision reads it
    if (!echo) this.hide();
    this.schedule();
  }

  /** The widget manager applied a state of `model`. */
  applied(model: string): void {
    const waiting = this.unapplied.get(model);
    if (waiting === undefined) return;
    if (waiting <= 1) this.unapplied.delete(model);
    else this.unapplied.set(model, waiting - 1);
    this.applications++;
    this.takeCandidate();
    this.revealIfCleared();
  }

  /** The output was drawn after a check that read the states as of `mark`. */
  drawnAt(mark: number): void {
    this.clearedThrough = Math.max(this.clearedThrough, mark);
    if (this.revealIfCleared()) return;
    const live = this.host.drawn();
    if (!live) return;
    this.verifiedShown = false;
    live.addClass(VERIFYING_CLASS);
    this.lastVerified.show(this.host.node, live.node);
    if (this.clearedThrough < this.arrivals) this.schedule();
  }

  /** The output is held (or disposed): checks under way decide nothing. */
  stop(): void {
    this.epoch++;
    this.running = false;
    this.again = false;
    this.verifiedShown = false;
    clearTimeout(this.applyTimer);
    this.applyTimer = undefined;
    this.lastVerified.clear();
    this.dropCandidate();
  }

  /** While a call is out: copies the widget if it draws exactly the states that call read. */
  private takeCandidate(): void {
    const live = this.host.drawn();
    if (!live || this.verifiedShown || this.candidate || this.reading < 0) return;
    if (this.applications !== this.reading) return;
    const paint = new LastVerifiedPaint();
    paint.take(live.node);
    this.candidate = { through: this.reading, paint };
  }

  /** The call that read `through` arrivals cleared them: its copy, if taken, stands in now. */
  private promoteCandidate(through: number): void {
    const candidate = this.candidate;
    this.candidate = null;
    this.reading = -1;
    if (!candidate) return;
    if (candidate.through !== through) return candidate.paint.clear();
    this.lastVerified.clear();
    this.lastVerified = candidate.paint;
    const live = this.host.drawn();
    if (live?.hasClass(VERIFYING_CLASS)) this.lastVerified.show(this.host.node, live.node);
  }

  private dropCandidate(): void {
    this.candidate?.paint.clear();
    this.candidate = null;
    this.reading = -1;
  }

  /** Paints the widget transparent from the next frame, the last verified paint in its place. */
  private hide(): void {
    const live = this.host.drawn();
    if (!live) return;
    if (this.verifiedShown) {
      // Nothing unverified is painted yet (the manager applies the state after this): copy it.
      this.lastVerified.take(live.node);
      this.verifiedShown = false;
    }
    const epoch = this.epoch;
    requestAnimationFrame(() => {
      if (epoch !== this.epoch || this.verifiedShown || this.host.drawn() !== live) return;
      live.addClass(VERIFYING_CLASS);
      this.lastVerified.show(this.host.node, live.node);
    });
  }

  /** Reveals the widget if a clear verdict covers every arrival and all of them are applied. */
  private revealIfCleared(): boolean {
    const live = this.host.drawn();
    if (!live || this.clearedThrough < this.arrivals) return false;
    if (this.unapplied.size > 0) {
      this.applyTimer ??= setTimeout(() => this.recheckUnapplied(), APPLY_WAIT_MS);
      return false;
    }
    clearTimeout(this.applyTimer);
    this.applyTimer = undefined;
    this.verifiedShown = true;
    live.removeClass(VERIFYING_CLASS);
    this.lastVerified.clear();
    return true;
  }

  /** States never reported applied: check what the books hold now, and go by that verdict. */
  private recheckUnapplied(): void {
    this.applyTimer = undefined;
    if (this.unapplied.size === 0) return;
    this.unapplied.clear();
    this.applications = this.arrivals;
    this.clearedThrough = Math.min(this.clearedThrough, this.arrivals - 1);
    this.schedule();
  }

  private schedule(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.run(this.epoch);
  }

  /** Checks the newest states until none arrived during a check; then reveals or holds. */
  private async run(epoch: number): Promise<void> {
    for (;;) {
      const release = await this.turns.turn(() => epoch === this.epoch);
      if (!release) return;
      // Answered at once: the turns only space the calls (this loop makes one at a time).
      release();
      this.again = false;
      const through = this.arrivals;
      const checked = this.host.checkedNow();
      if (epoch !== this.epoch) return;
      if (!checked) return void (this.running = false);
      this.dropCandidate();
      this.reading = through;
      this.takeCandidate();
      const pending = this.host.ask(checked);
      const verdict = pending ? await pending : null;
      if (epoch !== this.epoch) return;
      if (rawValueHold(verdict)) {
        this.running = false;
        this.dropCandidate();
        return this.host.hold();
      }
      this.clearedThrough = Math.max(this.clearedThrough, through);
      this.promoteCandidate(through);
      if (!this.again) {
        this.running = false;
        this.revealIfCleared();
        return;
      }
    }
  }
}
