/**
 * The gateway's raw-value verdicts for outputs a notebook host is about to show
 * (POST /leak-check/outputs), shared by both hosts. Outputs asked for within a few milliseconds of
 * each other go out in one call (at most MAX_LEAK_CHECK_OUTPUTS). Calls to one gateway and
 * experiment go one at a time, starts at least `spacingMs` apart, and what is asked for meanwhile
 * waits and goes out together: a host showing outputs that change many times a second (a log
 * flushed every few milliseconds) stays well within the gateway's per-user allowance of calls,
 * which refills at 20 a second. A host that asks with `checkLatest` about the contents of an output
 * that keeps changing spends no lookup on a content a newer one replaced before its call went out.
 * Verdicts are cached per gateway,
 * experiment and content (SHA-256, Web Crypto), so a redraw spends no lookup. A failed call (429,
 * network, no membership) answers 'unavailable' with the gateway's message and caches nothing, so
 * the next redraw asks again. The gateway reads the output itself: the host never sees an index,
 * a key or a matching value.
 */
import type { OutputLeakItem } from '../protocol.js';
import { outputContentText } from '../review/content-hash.js';
import { digestOfContent } from '../review/dp-release.js';
import { MAX_LEAK_CHECK_OUTPUTS } from '../review/leak-candidates.js';
import type { NotebookOutput } from '../review/types.js';
import type { GatewayClient } from './gateway-client.js';
import { GatewayError } from './gateway-error.js';

/** What the gateway said of one output: no raw value, a raw value, or no answer (and why). */
export type RawValueVerdict =
  { state: 'clear' } | { state: 'raw' } | { state: 'unavailable'; reason: string; fix: string };

/** The part of a gateway client the checks use. */
export type OutputLeakChecker = Pick<GatewayClient, 'baseUrl' | 'checkOutputLeaks'>;

/** Most verdicts kept; beyond that the cache starts over. */
const MAX_CACHED = 10_000;

/** One output waiting for the next call. */
interface Pending {
  key: string;
  item: OutputLeakItem;
  /** Whether it is still worth a lookup when its call goes out (checkLatest); always when absent. */
  wanted?: () => boolean;
  /** The verdict, or null: not asked, as `wanted` turned false first. */
  resolve: (verdict: RawValueVerdict | null) => void;
}

/** The calls to one gateway and experiment: one at a time, spaced. */
interface Lane {
  busy: boolean;
  lastStart: number;
  /** The timer that sends what waits once the spacing has passed. */
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Batches closed and waiting for the lane, oldest first. */
  waiting: Batch[];
}

/** A batch of outputs for one gateway and experiment. */
interface Batch {
  client: OutputLeakChecker;
  experiment: string;
  items: Pending[];
  /** The timer that sends it (cleared when an urgent request sends it early). */
  timer: ReturnType<typeof setTimeout>;
}

/** Batched, cached raw-value verdicts from the gateway. */
export class RawValueChecks {
  private readonly verdicts = new Map<string, boolean>();
  private readonly inFlight = new Map<string, Promise<RawValueVerdict | null>>();
  private readonly batches = new Map<string, Batch>();
  private readonly lanes = new Map<string, Lane>();

  /**
   * `delayMs`: how long a request waits for others to share its call; `spacingMs`: least time
   * between the starts of two calls to one gateway and experiment.
   */
  constructor(
    private readonly delayMs = 15,
    private readonly spacingMs = 100,
  ) {}

  /**
   * Whether `output` (a stream after its cell's earlier writes `before`) shows a raw value.
   * `urgent`: send the batch now rather than wait for others (a widget state about to be drawn).
   */
  async check(
    client: OutputLeakChecker,
    experiment: string,
    output: NotebookOutput,
    before = '',
    urgent = false,
  ): Promise<RawValueVerdict> {
    for (;;) {
      const verdict = await this.ask(client, experiment, output, before, urgent);
      // null: it shared the lookup of a checkLatest request that was given up; ask again.
      if (verdict !== null) return verdict;
    }
  }

  /**
   * Like `check`, for the current content of an output that keeps changing (a growing log):
   * resolves to null, asking nothing, when `wanted` is false as its call goes out (a newer content
   * of the same output replaced it; its own request asks instead).
   */
  async checkLatest(
    client: OutputLeakChecker,
    experiment: string,
    output: NotebookOutput,
    before: string,
    wanted: () => boolean,
  ): Promise<RawValueVerdict | null> {
    for (;;) {
      const verdict = await this.ask(client, experiment, output, before, false, wanted);
      if (verdict !== null || !wanted()) return verdict;
    }
  }

  /** The cached verdict, the lookup in flight for the same key, or a new request. */
  private async ask(
    client: OutputLeakChecker,
    experiment: string,
    output: NotebookOutput,
    before: string,
    urgent: boolean,
    wanted?: () => boolean,
  ): Promise<RawValueVerdict | null> {
    const key = await verdictKey(client.baseUrl, experiment, output, before);
    const known = this.verdicts.get(key);
    if (known !== undefined) return known ? { state: 'raw' } : { state: 'clear' };
    const running = this.inFlight.get(key);
    if (running) return running;
    const item: OutputLeakItem = before === '' ? { output } : { output, before };
    const verdict = new Promise<RawValueVerdict | null>((resolve) =>
      this.enqueue(
        client,
        experiment,
        { key, item, resolve, ...(wanted ? { wanted } : {}) },
        urgent,
      ),
    );
    this.inFlight.set(key, verdict);
    void verdict.then(() => this.inFlight.delete(key));
    return verdict;
  }

  /** Forgets every verdict (sign-out, another gateway). */
  clear(): void {
    this.verdicts.clear();
  }

  private enqueue(
    client: OutputLeakChecker,
    experiment: string,
    pending: Pending,
    urgent: boolean,
  ): void {
    const id = `${client.baseUrl}\n${experiment}`;
    let batch = this.batches.get(id);
    if (!batch || batch.client !== client) {
      const started: Batch = {
        client,
        experiment,
        items: [],
        timer: setTimeout(() => this.flush(id, started), this.delayMs),
      };
      batch = started;
      this.batches.set(id, batch);
    }
    batch.items.push(pending);
    if (urgent) this.flush(id, batch);
  }

  /** Closes `batch` (it leaves the map, and its timer is cleared) and queues it for its lane. */
  private flush(id: string, batch: Batch): void {
    clearTimeout(batch.timer);
    if (this.batches.get(id) === batch) this.batches.delete(id);
    const lane = this.lanes.get(id) ?? {
      busy: false,
      lastStart: Number.NEGATIVE_INFINITY,
      timer: undefined,
      waiting: [],
    };
    this.lanes.set(id, lane);
    if (!lane.waiting.includes(batch)) lane.waiting.push(batch);
    this.pump(id, lane);
  }

  /** Sends what waits in `lane` (one call's worth per client) once it is free and spaced. */
  private pump(id: string, lane: Lane): void {
    if (lane.busy || lane.timer !== undefined || lane.waiting.length === 0) return;
    const wait = lane.lastStart + this.spacingMs - Date.now();
    if (wait > 0) {
      lane.timer = setTimeout(() => {
        lane.timer = undefined;
        this.pump(id, lane);
      }, wait);
      return;
    }
    const client = lane.waiting[0]!.client;
    const sending = lane.waiting.filter((b) => b.client === client);
    lane.waiting = lane.waiting.filter((b) => b.client !== client);
    // Contents a newer one replaced while they waited are dropped here, unasked.
    const items = sending
      .flatMap((b) => b.items.splice(0))
      .filter((p) => (p.wanted === undefined || p.wanted() ? true : (p.resolve(null), false)));
    if (items.length === 0) return this.pump(id, lane);
    lane.busy = true;
    lane.lastStart = Date.now();
    void this.send({ ...sending[0]!, items }).finally(() => {
      lane.busy = false;
      this.pump(id, lane); // the lane stays (one per gateway and experiment): it keeps lastStart
    });
  }

  private async send(batch: Batch): Promise<void> {
    for (let i = 0; i < batch.items.length; i += MAX_LEAK_CHECK_OUTPUTS) {
      const part = batch.items.slice(i, i + MAX_LEAK_CHECK_OUTPUTS);
      try {
        const { rawValue } = await batch.client.checkOutputLeaks({
          experiment: batch.experiment,
          outputs: part.map((p) => p.item),
        });
        // Anything but one true/false per output is no answer: held (unavailable), never cached.
        if (!Array.isArray(rawValue) || !rawValue.every((v) => typeof v === 'boolean'))
          throw new GatewayError(
            'the gateway answered a raw-value check with something other than a list of true/false verdicts',
            'update the gateway and the extension to the same version',
            'protocol',
          );
        if (rawValue.length !== part.length)
          throw new GatewayError(
            'the gateway answered a raw-value check with the wrong number of verdicts',
            'update the gateway and the extension to the same version',
            'protocol',
          );
        if (this.verdicts.size + part.length > MAX_CACHED) this.verdicts.clear();
        part.forEach((p, j) => {
          this.verdicts.set(p.key, rawValue[j]!);
          p.resolve(rawValue[j] ? { state: 'raw' } : { state: 'clear' });
        });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const fix =
          error instanceof GatewayError && error.fix !== ''
            ? error.fix
            : 'check that the gateway is running, then run the cell again';
        for (const p of part) p.resolve({ state: 'unavailable', reason, fix });
      }
    }
  }
}

/** SHA-256 (hex) of everything a verdict depends on. */
async function verdictKey(
  baseUrl: string,
  experiment: string,
  output: NotebookOutput,
  before: string,
): Promise<string> {
  return digestOfContent(
    `${baseUrl}\n${experiment}\n${before.length}\n${before}\n${outputContentText(output)}`,
  );
}
