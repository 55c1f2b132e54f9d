/**
 * Watches that VS Code asks for the views of every expanded experiment the tree shows. VS Code
 * drops a request for a node's children that reaches the extension while it re-reads the top
 * level (it answers "no such item" for the node and draws it expanded with nothing under it), and
 * nothing asks again. When the tree is visible and an experiment drawn expanded has not been
 * asked for its views within CHILDREN_WAIT_MS of the top level being answered, `redraw` is called
 * with the experiments missed, so the tree can give them fresh ids that VS Code asks about anew.
 */

/** How long VS Code may take to ask for an expanded experiment's views once the top level is answered. */
export const CHILDREN_WAIT_MS = 2000;

/** The timer functions the watch uses (tests pass their own). */
export interface WatchTimers {
  setTimeout: (run: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
}

/** Follows one tree's top-level answers, children requests, collapses and visibility. */
export class ChildrenWatch {
  private expected: string[] = [];
  private readonly asked = new Set<string>();
  private readonly collapsed = new Set<string>();
  private visible = false;
  private timer: unknown;

  /** `redraw` gets the keys of the expanded experiments VS Code did not ask about in time. */
  constructor(
    private readonly redraw: (missed: string[]) => void,
    private readonly waitMs = CHILDREN_WAIT_MS,
    private readonly timers: WatchTimers = { setTimeout, clearTimeout } as WatchTimers,
  ) {}

  /** The top level was answered with these expanded experiments (by item key): a new round. */
  rootAnswered(experiments: string[]): void {
    this.expected = experiments;
    this.asked.clear();
    for (const key of this.collapsed) if (!experiments.includes(key)) this.collapsed.delete(key);
    this.schedule();
  }

  /** VS Code asked for the children of the experiment `key`. */
  childrenAsked(key: string): void {
    this.asked.add(key);
  }

  /** The user collapsed (`true`) or expanded (`false`) the experiment `key`. */
  setCollapsed(key: string, collapsed: boolean): void {
    if (collapsed) this.collapsed.add(key);
    else {
      this.collapsed.delete(key);
      // Expanding asks for the children; if that request is lost too, catch it.
      this.schedule();
    }
  }

  /** The tree became visible or hidden (VS Code asks for nothing while it is hidden). */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible) this.schedule();
    else this.cancel();
  }

  /** Stops the pending check. */
  dispose(): void {
    this.cancel();
  }

  private schedule(): void {
    this.cancel();
    if (!this.visible || this.expected.length === 0) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.check();
    }, this.waitMs);
  }

  private cancel(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private check(): void {
    if (!this.visible) return;
    const missed = this.expected.filter((k) => !this.asked.has(k) && !this.collapsed.has(k));
    if (missed.length > 0) this.redraw(missed);
  }
}
