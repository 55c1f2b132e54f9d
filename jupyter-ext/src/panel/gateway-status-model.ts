/**
 * The gateway status every Privet panel shares (one per session): each list any panel loads from
 * the gateway reports how it is doing here, so an outage is told once (gateway-problem.ts), in
 * one panel, with one Retry that loads every list it covers again. Which panel tells it: the
 * first shown (data panel, then review queue, then budget sidebar) among those with lists it
 * covers; another shown panel with covered lists (or lists whose first load waits for the
 * gateway meanwhile) only points there. A panel none of whose lists failed tells nothing (the
 * failures of a hidden panel may be old: it does not reload while hidden). Kept apart from React
 * so it is tested in Node.
 */
import {
  blocksFirstLoad,
  gatewayCauseOf,
  sharedGatewayProblem,
  toldByProblem,
  toldOf,
  type GatewayProblem,
  type ListError,
  type SharedTold,
} from './gateway-problem.js';

/** A panel that can tell the shared message: its id, its place in line, and its name. */
export interface StatusHost {
  id: string;
  /** Lower first: the panel that tells the message when several could. */
  rank: number;
  /** How the other panels name it: "the Privet data panel". */
  title: string;
}

/** The data panel (left sidebar): where sign-in lives, so it tells the message first. */
export const DATA_PANEL_HOST: StatusHost = {
  id: 'data-panel',
  rank: 0,
  title: 'the Privet data panel',
};
/** The review queue (left sidebar). */
export const REVIEW_QUEUE_HOST: StatusHost = {
  id: 'review-queue',
  rank: 1,
  title: 'the Privet review queue',
};
/** The budget and experiment record (right sidebar). */
export const BUDGET_HOST: StatusHost = {
  id: 'budget',
  rank: 2,
  title: 'the Privet privacy budget panel',
};

/** One list's report: its error now, the panel it is in, whether it reloads, and its reload. */
export interface SourceReport extends ListError {
  host: string;
  /** True while a reload asked for by Retry runs. */
  busy: boolean;
  retry: () => void;
}

/** What a panel shows of the shared status: nothing, the message, or where the message is. */
export type HostView =
  | { kind: 'none' }
  | { kind: 'full'; problem: GatewayProblem; busy: boolean }
  | { kind: 'pointer'; problem: GatewayProblem; hostTitle: string };

/** A panel as the model knows it: mounted (React drew it) and shown (not a hidden sidebar tab). */
interface HostState {
  spec: StatusHost | null;
  mounted: number;
  shown: boolean;
}

/** The shared gateway status of one session. */
export class GatewayStatusModel {
  private readonly sources = new Map<object, SourceReport>();
  /** The lists the shared Retry reloads, until their reload ends. */
  private readonly retried = new Set<object>();
  /** The panel whose Retry that was: it keeps the message until those reloads end. */
  private retriedFrom: string | null = null;
  private readonly hosts = new Map<string, HostState>();
  private readonly listeners = new Set<() => void>();
  private version = 0;

  /** Calls `listener` on every change; returns what stops it (React's useSyncExternalStore). */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  /** Grows on every change. */
  readonly snapshot = (): number => this.version;

  /** Sets (null: removes) the report of the list `key`; listeners hear of real changes only. */
  report(key: object, report: SourceReport | null): void {
    const before = this.sources.get(key);
    const reloaded = !report?.busy && this.retried.delete(key); // the shared Retry's reload ended
    if (this.retried.size === 0) this.retriedFrom = null;
    if (report === null) {
      if (!before && !reloaded) return;
      this.sources.delete(key);
    } else {
      this.sources.set(key, report);
      if (before && sameReport(before, report) && !reloaded) {
        // When an answer is awaited only matters to a list that could not reach the gateway.
        if (sameFlight(before, report) || !this.anyUnreachable()) return;
      }
    }
    this.changed();
  }

  /** The problem told once now, or null. */
  problem(): GatewayProblem | null {
    return sharedGatewayProblem(this.lists());
  }

  /**
   * How the list `key` tells its failure now ('own' when it does not report); with `report`, as
   * if it had reported that already (a render tells what its own report will make of it).
   */
  toldOf(key: object, report?: SourceReport): SharedTold {
    const source = report ?? this.sources.get(key);
    if (!source) return 'own';
    const list = this.asList(key, source);
    return toldOf([...this.lists(key), list], list);
  }

  /** True when a list still fails for a reason that is the gateway's (told once or not). */
  anyGatewayError(): boolean {
    return [...this.sources.values()].some((s) => gatewayCauseOf(s.error) !== null);
  }

  /**
   * Loads every list the problem covers again (the one Retry, in the panel `from`), and asks again
   * for the lists whose first load waits for the gateway meanwhile (their calls may hang).
   */
  retry(from: string | null = null): void {
    const problem = this.problem();
    this.retriedFrom = from;
    for (const [key, source] of [...this.sources]) {
      if (toldByProblem(problem, source)) {
        this.retried.add(key);
        source.retry();
      } else if (blocksFirstLoad(problem, source)) {
        source.retry();
      }
    }
  }

  /** Records that React drew the panel `spec`; returns what undoes it (when it is removed). */
  mountHost(spec: StatusHost): () => void {
    const host = this.host(spec.id);
    host.spec = spec;
    host.mounted += 1;
    this.hostsChanged();
    return () => {
      host.mounted -= 1;
      this.hostsChanged();
    };
  }

  /** Records whether the panel `id` is shown (a sidebar tab shown, or hidden). */
  setShown(id: string, shown: boolean): void {
    const host = this.host(id);
    if (host.shown === shown) return;
    host.shown = shown;
    this.hostsChanged();
  }

  /** What the panel `id` shows of the shared status now. */
  viewFor(id: string): HostView {
    const problem = this.problem();
    if (!problem) return { kind: 'none' };
    const covers = (host: string): boolean =>
      [...this.sources.values()].some((s) => s.host === host && toldByProblem(problem, s));
    // A first load under way waits for the gateway: its panel points to the message too.
    const waits = (host: string): boolean =>
      [...this.sources.values()].some((s) => s.host === host && blocksFirstLoad(problem, s));
    const [teller] = [...this.hosts.values()]
      .filter((h): h is HostState & { spec: StatusHost } => h.spec !== null)
      .filter((h) => h.mounted > 0 && h.shown)
      .filter((h) => covers(h.spec.id) || (h.spec.id === this.retriedFrom && this.retried.size > 0))
      .sort((a, b) => a.spec.rank - b.spec.rank);
    if (teller?.spec.id === id) {
      const busy = [...this.sources.values()].some((s) => s.busy && toldByProblem(problem, s));
      return { kind: 'full', problem, busy };
    }
    if (!teller || !(covers(id) || waits(id))) return { kind: 'none' };
    return { kind: 'pointer', problem, hostTitle: teller.spec.title };
  }

  /** True when a list could not reach the gateway (its failure may wait for other answers). */
  private anyUnreachable(): boolean {
    return [...this.sources.values()].some((s) => gatewayCauseOf(s.error) === 'unreachable');
  }

  /** Every list's report as the rules read it (but the list `except`), in the panels' order. */
  private lists(except?: object): ListError[] {
    const rank = (s: SourceReport): number => this.hosts.get(s.host)?.spec?.rank ?? Infinity;
    return [...this.sources]
      .filter(([k]) => k !== except)
      .sort(([, a], [, b]) => rank(a) - rank(b))
      .map(([k, s]) => this.asList(k, s));
  }

  /** The list `key`'s report, marked when the shared Retry reloads it. */
  private asList(key: object, source: SourceReport): ListError {
    return this.retried.has(key) ? { ...source, retried: true } : source;
  }

  /** The state of the panel `id`, made when first named (shown until told otherwise). */
  private host(id: string): HostState {
    let host = this.hosts.get(id);
    if (!host) {
      host = { spec: null, mounted: 0, shown: true };
      this.hosts.set(id, host);
    }
    return host;
  }

  /** Tells the listeners of a change of the panels (which only matters while a problem is told). */
  private hostsChanged(): void {
    if (this.problem()) this.changed();
  }

  /** Tells the listeners. */
  private changed(): void {
    this.version += 1;
    for (const listener of [...this.listeners]) listener();
  }
}

/** True when two reports of one list show the same (their reloads may differ). */
function sameReport(a: SourceReport, b: SourceReport): boolean {
  return (
    a.error === b.error &&
    a.stale === b.stale &&
    a.loading === b.loading &&
    a.busy === b.busy &&
    a.what === b.what &&
    a.host === b.host
  );
}

/** True when two reports of one list await the same answer and tell of the same error's time. */
function sameFlight(a: SourceReport, b: SourceReport): boolean {
  return a.awaited === b.awaited && a.answeredAt === b.answeredAt;
}

/** The models, one per session (any object: tests use a stand-in for PrivetSession). */
const models = new WeakMap<object, GatewayStatusModel>();

/** The shared gateway status of `session` (made on first use). */
export function gatewayStatusOf(session: object): GatewayStatusModel {
  let model = models.get(session);
  if (!model) {
    model = new GatewayStatusModel();
    models.set(session, model);
  }
  return model;
}
