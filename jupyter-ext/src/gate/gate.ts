/**
 * The output gate's decisions, shared by every gated output: the review engine's verdict in
 * display mode (DP release ids verified with the gateway), the gateway's raw-value verdict
 * (batched and cached by core's RawValueChecks), the review state of held outputs, the views a
 * cell used (the gateway's list, kept fresh and retried by core's ViewList), and the gate's own
 * overhead per output (performance marks + a ring buffer; local work only, never the wait for the
 * gateway).
 */
import { Signal, type ISignal } from '@lumino/signaling';
import {
  viewUsedOf,
  holdWhileViewsUnknown,
  checkOutput,
  outputContentText,
  type Finding,
  type NotebookOutput,
  type ReviewContext,
  type ReviewResult,
  type ViewUsed,
} from '@privet/core/review/index';
import type { GatewayClient } from '../client.js';
import type { IPrivetServices } from '../services.js';
import { ApprovalCache, type ApprovalStatus } from './approvals.js';
import { RAW_VALUE_UNCHECKED_FINDING } from './raw-value.js';
import { ViewsUnavailableError } from './views-unavailable.js';
import {
  RawValueChecks,
  VerifiedReleases,
  ViewList,
  VIEWS_TIMING,
  type RawValueVerdict,
  type UnknownReleases,
  type ViewsProblem,
  type ViewsTiming,
} from '@privet/core/client/index';

/** Name of the performance measure of the gate's local work on one output. */
export const GATE_MEASURE = 'privet-gate-check';
/** How many overhead samples are kept. */
const SAMPLES = 4096;
/** How many approved contents are remembered per experiment for saving (oldest dropped first). */
const APPROVED_KEPT = 256;
/**
 * How many contents held on the gateway's raw-value verdict are remembered for saving, and how many
 * characters of them at most (oldest forgotten first).
 */
const GATEWAY_HELD_KEPT = 1024;
const GATEWAY_HELD_CHARS = 16_000_000;

/** The review engine's verdict plus the DP releases it could not vouch for yet. */
export interface LocalCheck {
  result: ReviewResult;
  unknownReleases: UnknownReleases;
}

/** Shared state and services of the output gate. */
export class OutputGate {
  readonly approvals: ApprovalCache;
  private readonly releases = new VerifiedReleases((error) =>
    console.warn('Privet: could not verify DP releases; the output stays held.', error),
  );
  private readonly changedSignal = new Signal<this, void>(this);
  /** The gateway's views (null while unknown), reloaded and retried. */
  private readonly viewList: ViewList;
  private readonly samples: number[] = [];
  private measures = 0;
  /** Canonical contents (`approvalText`) shown because a reviewer approved them, per experiment. */
  private readonly approvedShown = new Map<string, Set<string>>();
  /** The gateway's raw-value verdicts (cached per gateway, experiment and content). */
  private readonly rawValues = new RawValueChecks();
  /** Canonical contents held on the gateway's raw-value verdict, with the finding (for saving). */
  private readonly gatewayHeld = new Map<string, Finding>();
  /** Characters of the contents in `gatewayHeld`. */
  private gatewayHeldChars = 0;

  /** Creates the gate over the shared session and experiment selection. */
  constructor(
    readonly services: IPrivetServices,
    viewsTiming: ViewsTiming = VIEWS_TIMING,
  ) {
    this.approvals = new ApprovalCache(() => this.client);
    this.approvals.changed.connect(() => this.changedSignal.emit());
    this.viewList = new ViewList(() => this.changedSignal.emit(), viewsTiming);
    services.session.changed.connect((_, signedIn) => {
      this.approvals.clear();
      this.approvedShown.clear();
      this.rawValues.clear();
      this.viewList.follow(signedIn?.client ?? null);
      this.changedSignal.emit();
    });
    // Another experiment: a view published meanwhile (gateway restarted, user still signed in).
    services.context.changed.connect(() => {
      this.viewList.reload();
      this.changedSignal.emit();
    });
  }

  /** Fires when held outputs should be decided again (sign-in, selection, review state). */
  get changed(): ISignal<this, void> {
    return this.changedSignal;
  }

  /** The signed-in user's gateway client, or null. */
  get client(): GatewayClient | null {
    return this.services.session.signedIn?.client ?? null;
  }

  /** The selected experiment's id (the fallback for notebooks not yet bound to one). */
  get selectedExperiment(): string | null {
    return this.services.context.selected?.id ?? null;
  }

  /** The views (from the gateway) whose names appear in a cell's code (the reviewer's context). */
  viewsUsedBy(source: string): ViewUsed[] {
    return (this.viewList.views ?? [])
      .filter((v) => new RegExp(`\\b${escapeRegExp(v.name)}\\b`).test(source))
      .map(viewUsedOf);
  }

  /**
   * Every view the user may see, as the engine's row-level context, or null while unknown (signed
   * out, still loading, or the gateway failed: retried). Why all of them: a cell may use a view
   * through any variable name, so guessing from its code would let `df.head()` of a masked view
   * through. A check also reloads a list older than 30 s (at most one reload per 30 s), so a view
   * published since sign-in is known; held outputs are decided again when it arrives.
   */
  checkContext(): ViewUsed[] | null {
    this.viewList.refreshIfStale();
    return this.viewList.views?.map(viewUsedOf) ?? null;
  }

  /** Why the views are unknown after a failed load (what happened, how to fix it), or null. */
  get viewsProblem(): ViewsProblem | null {
    return this.viewList.problem;
  }

  /** Runs the review engine (display mode) on one output. */
  check(output: NotebookOutput, viewsUsed: readonly ViewUsed[]): LocalCheck {
    const unknownReleases: UnknownReleases = new Map();
    const result = checkOutput(output, this.displayContext(viewsUsed, unknownReleases));
    return { result, unknownReleases };
  }

  /**
   * One self-contained check of content shown outside outputs (e.g. a debugger variable's value):
   * the engine with every view's context, and while the views are unknown, a possible table of
   * rows is held (fail closed). DP release ids are not verified here: such content is held.
   */
  checkOnce(output: NotebookOutput): ReviewResult {
    const views = this.checkContext();
    return holdWhileViewsUnknown(output, this.check(output, views ?? []).result, views !== null);
  }

  /** The review context of a whole-notebook check as it is saved (same rules as on display). */
  saveContext(): ReviewContext {
    return this.displayContext(this.checkContext() ?? [], new Map());
  }

  /** Display-mode context; releases not yet verified are added to `unknownReleases`. */
  private displayContext(
    viewsUsed: readonly ViewUsed[],
    unknownReleases: UnknownReleases,
  ): ReviewContext {
    return { mode: 'display', viewsUsed, knownRelease: this.releases.lookup(unknownReleases) };
  }

  /** Notes that an output with this canonical content was shown because `experiment` approved it. */
  rememberApproved(experiment: string, contentText: string): void {
    let shown = this.approvedShown.get(experiment);
    if (!shown) this.approvedShown.set(experiment, (shown = new Set()));
    shown.delete(contentText);
    shown.add(contentText);
    if (shown.size > APPROVED_KEPT) shown.delete(shown.values().next().value as string);
  }

  /** True when an output with this canonical content was shown as approved in `experiment`. */
  wasApproved(experiment: string | null, contentText: string): boolean {
    return experiment !== null && (this.approvedShown.get(experiment)?.has(contentText) ?? false);
  }

  /**
   * The gateway's raw-value verdict on `output` (a stream after its cell's earlier writes
   * `before`) in `experiment`, or null when no check is made: signed out or no experiment (then
   * nothing can leave without the gateway, which applies the rule at review and export itself).
   * `urgent`: asked without waiting to share a call (a widget state about to be drawn).
   */
  rawValueVerdict(
    experiment: string | null,
    output: NotebookOutput,
    before = '',
    urgent = false,
  ): Promise<RawValueVerdict> | null {
    const client = this.client;
    if (!client || !experiment) return null;
    return this.rawValues.check(client, experiment, output, before, urgent);
  }

  /**
   * Like `rawValueVerdict`, for the current content of an output that keeps changing (a growing
   * log): the promise resolves to null, asking nothing, when `wanted` is false as its call goes
   * out (a newer content of the same output is asked about instead). `saved` (the output as the
   * notebook saves it) is held for saving while the verdict is awaited — unchecked, it is not
   * written to disk either — until the caller notes the verdict (`noteGatewayHold`).
   */
  latestRawValueVerdict(
    experiment: string | null,
    output: NotebookOutput,
    before: string,
    wanted: () => boolean,
    saved?: NotebookOutput,
  ): Promise<RawValueVerdict | null> | null {
    const client = this.client;
    if (!client || !experiment) return null;
    if (saved) this.noteGatewayHold(saved, RAW_VALUE_UNCHECKED_FINDING);
    return this.rawValues.checkLatest(client, experiment, output, before, wanted);
  }

  /** Whether shown outputs are checked against raw values (signed in, with an experiment). */
  checksRawValues(experiment: string | null): boolean {
    return this.client !== null && !!experiment;
  }

  /**
   * Records whether an output is held on the gateway's raw-value verdict (`finding`) or not
   * (null): a held one is saved and copied as a placeholder, as on screen.
   */
  noteGatewayHold(output: NotebookOutput, finding: Finding | null): void {
    if (!finding && this.gatewayHeld.size === 0) return; // the usual case: nothing to forget
    let text: string;
    try {
      text = outputContentText(output);
    } catch {
      return; // unreadable: the engine holds it, and the save filter withholds it, anyway
    }
    if (this.gatewayHeld.delete(text)) this.gatewayHeldChars -= text.length;
    if (!finding) return;
    this.gatewayHeld.set(text, finding);
    this.gatewayHeldChars += text.length;
    for (const oldest of this.gatewayHeld.keys()) {
      if (this.gatewayHeld.size <= GATEWAY_HELD_KEPT && this.gatewayHeldChars <= GATEWAY_HELD_CHARS)
        break;
      if (oldest === text) break; // the newest stays, however large
      this.gatewayHeld.delete(oldest);
      this.gatewayHeldChars -= oldest.length;
    }
  }

  /** The finding an output with this content is held with on the gateway's verdict, or null. */
  gatewayHold(output: NotebookOutput): Finding | null {
    if (this.gatewayHeld.size === 0) return null;
    try {
      return this.gatewayHeld.get(outputContentText(output)) ?? null;
    } catch {
      return null;
    }
  }

  /** Verifies releases with the gateway; true when a re-check may now decide differently. */
  async verifyReleases(releases: UnknownReleases): Promise<boolean> {
    const client = this.client;
    if (!client || releases.size === 0) return false;
    return this.releases.verify(client, releases);
  }

  /**
   * The review state of a held output's content hash in `experiment`. Not reviewed while the views
   * could not be loaded: rejects with ViewsUnavailableError (the placeholder then says the gateway
   * could not be asked and offers "Check again", not a review that could not release it).
   */
  async approval(experiment: string | null, hash: string): Promise<ApprovalStatus | null> {
    if (!experiment || !this.client) return null;
    const status = await this.approvals.status(experiment, hash);
    const problem = this.viewList.problem;
    if (problem && status.state === 'none') throw new ViewsUnavailableError(problem);
    return status;
  }

  /** Records the gate's local work on one output (from `start`, a performance.now() value). */
  recordOverhead(start: number, detail: { mime: string; verdict: string }): void {
    const end = performance.now();
    if (this.samples.length >= SAMPLES) this.samples.shift();
    this.samples.push(end - start);
    try {
      if (++this.measures > SAMPLES) {
        performance.clearMeasures(GATE_MEASURE); // bounded: the page may run for days
        this.measures = 1;
      }
      performance.measure(GATE_MEASURE, { start, end, detail });
    } catch {
      // User timing is optional; the samples above still count.
    }
  }

  /** The last overhead samples in milliseconds (newest last). */
  overheadSamples(): readonly number[] {
    return this.samples;
  }
}

/** Escapes a string for use inside a regular expression. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
