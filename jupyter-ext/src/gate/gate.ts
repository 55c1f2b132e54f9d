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
  type Finding,
  type NotebookOutput,
  type ReviewContext,
  type ReviewResult,
  type ViewUsed,
} from '@privet/core/review/index';
import type { GatewayClient } from '../client.js';
import type { IPrivetServices } from '../services.js';
import { ApprovalCache, type ApprovalStatus } from './approvals.js';
import {
  RAW_VALUE_FINDING,
  RAW_VALUE_UNCHECKED_FINDING,
  RAW_VALUE_NO_CHECK,
  type RawValueHold,
} from './raw-value.js';
import { displayPolicy, policyKey, type DisplayPolicy } from './review-policy.js';
import { VerdictMemory } from './verdict-memory.js';
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
  /** What the gateway said of each content shown or saved (verdict-memory.ts: why). */
  private readonly verdicts = new VerdictMemory();

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
      this.verdicts.forgetCleared(); // held contents stay held until a clear verdict
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

  /**
   * Display-mode context with the signed-in gateway's review settings (review-policy.ts); releases
   * not yet verified are added to `unknownReleases`.
   */
  private displayContext(
    viewsUsed: readonly ViewUsed[],
    unknownReleases: UnknownReleases,
  ): ReviewContext {
    const knownRelease = this.releases.lookup(unknownReleases);
    return { mode: 'display', policy: this.reviewPolicy, viewsUsed, knownRelease };
  }

  /** The review settings outputs are checked with: the signed-in gateway's policy, or defaults. */
  get reviewPolicy(): DisplayPolicy {
    return displayPolicy(this.services.session.signedIn?.user);
  }

  /** Changes exactly when `reviewPolicy` does (an output checked under another one is checked again). */
  get reviewPolicyKey(): string {
    return policyKey(this.reviewPolicy);
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
   * out (a newer content of the same output is asked about instead). The verdict is remembered
   * for `saved` (the output as the notebook saves it, after `before`): see `rememberVerdict`.
   * Until it comes, the save filter writes the output as a placeholder (it has no clear verdict).
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
    const pending = this.rawValues.checkLatest(client, experiment, output, before, wanted);
    return saved ? this.rememberVerdict(pending, saved, before) : pending;
  }

  /**
   * `pending`, remembering its verdict for `saved` after `before` (verdict-memory.ts) — a clear one
   * only if no sign-in or sign-out came meanwhile (it then came from another gateway or user).
   */
  private async rememberVerdict<V extends RawValueVerdict | null>(
    pending: Promise<V>,
    saved: NotebookOutput,
    before: string,
  ): Promise<V> {
    const epoch = this.verdicts.epoch;
    const verdict = await pending;
    if (verdict && (verdict.state !== 'clear' || epoch === this.verdicts.epoch))
      this.verdicts.note(saved, before, verdict);
    return verdict;
  }

  /** Changes on every sign-in and sign-out: clear verdicts from before it no longer count. */
  get verdictEpoch(): number {
    return this.verdicts.epoch;
  }

  /** Whether shown outputs are checked against raw values (signed in, with an experiment). */
  checksRawValues(experiment: string | null): boolean {
    return this.client !== null && !!experiment;
  }

  /**
   * How `saved` (a stream part after `before`) is held when no check can be made (signed out, no
   * experiment): on the gateway's last verdict on its content, a raw value or no answer, until a
   * later clear one (verdict-memory.ts); null when none holds it (the local rules decide then).
   */
  heldWithoutCheck(saved: NotebookOutput, before: string): RawValueHold | null {
    const known = this.verdicts.lookup(saved, before);
    if (known === 'raw') return { kind: 'raw-value' };
    return known === 'unchecked' ? { kind: 'raw-unavailable', ...RAW_VALUE_NO_CHECK } : null;
  }

  /**
   * The finding `saved` (a stream part after `before`, passing the local rules) is written to disk
   * as a placeholder with, or null to write it as it is. A raw value or no answer holds it, signed
   * in or not. While a check is possible in `experiment`, so does the lack of a clear verdict — a
   * content still being checked, or one never rendered (JupyterLab draws only the first
   * `maxNumberOutputs` of a cell): it is asked about now, so a later save writes it once cleared.
   */
  savedHold(experiment: string | null, saved: NotebookOutput, before: string): Finding | null {
    const known = this.verdicts.lookup(saved, before);
    if (known === 'raw') return RAW_VALUE_FINDING;
    if (known === 'clear') return null;
    const pending = this.rawValueVerdict(experiment, saved, before);
    if (pending) {
      // Unreadable content rejects: the local check holds it, and this save withholds it anyway.
      this.rememberVerdict(pending, saved, before).catch(() => undefined);
      return RAW_VALUE_UNCHECKED_FINDING;
    }
    return known === 'unchecked' ? RAW_VALUE_UNCHECKED_FINDING : null;
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
