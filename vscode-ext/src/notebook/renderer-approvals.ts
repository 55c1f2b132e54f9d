/**
 * The extension host's half of the gate renderer's messaging: the renderer asks whether an item
 * (MIME type and text) may be drawn. The host says yes when the item passes its own check — with
 * every view the user may see, which the webview does not know (so a masked view's rows are
 * held), and the signed-in gateway's policy rules (small-cell threshold, images) — or when every
 * output in the editor's notebook holding exactly that item (at least one) passes that check or
 * had its whole content approved by a reviewer (signed in, experiment selected). The webview does
 * not say which output it draws, so an item approved in one output (a "3" after "clinics north")
 * is not drawn while another output holds the same text unapproved (a "3" after "HIV"). An answer
 * is "no" when the session changed while it was worked out (another sign-in, gateway or
 * experiment); the renderers are then told to ask again. A DP release (asked by the release
 * renderer) passes only when the ledger vouches for its id and content. A stream item is checked
 * after the earlier parts of its stream in its cell (stream-context.ts), once this host's copy of
 * the notebook holds it (the webview can have it first). Anything else — views unknown after a
 * short wait, a stream item no output holds by then, a gateway failure — answers "no" (fail
 * closed); a stream item placed later leads to a recheck notice.
 * Signed in with an experiment, a "yes" also needs the gateway's raw-value check to clear the item
 * (after the earlier parts of its stream): the renderer asks about every item before drawing it,
 * so a value from the raw identifier columns is never drawn, not even before the document gate
 * swaps it. Both share one RawValueChecks, and an item of an output is read as that whole output
 * (as the document gate reads it), so the gateway is asked once per output, whatever its MIME
 * types. A verdict not back within RAW_ANSWER_MS answers "no"; if it clears later, the renderers
 * are told to ask again, as they are a few times after the gateway gave no verdict (a failed call).
 * Signed out, nothing is asked (as in the document gate).
 * When what the answers depend on changes (sign-in, the stored token restored at start-up, views
 * loaded), every renderer is told to ask again about the items it holds.
 * A "no" for an item held because the outputs holding it are flagged (not approved) also says the
 * review state of their content, keyed as approvals are (content hash, this sign-in and
 * experiment): the gateway's latest state (or, when it could not be asked, the state last seen
 * for an original this window sent), so the renderer's notice says the output waits for a
 * reviewer, was rejected or needs changes instead of offering "Request Review". When a review is requested or its state changes, the renderers
 * are told to ask again, and so redraw those notices; a renderer that starts later asks anyway.
 */
import * as vscode from 'vscode';
import type { Session } from '../session.js';
import { GATE_RENDERER_ID, isApprovalQuery, type RecheckNotice } from '../shared/gate-messages.js';
import { outputOfItem, partsDecodeTo } from '../shared/output-items.js';
import type { HeldOutputs } from './held.js';
import { cellReadings, type OutputReading } from './stream-context.js';
import { contentHashNow, type Approvals } from './approvals.js';
import type {
  KnownRelease,
  RawValueChecks,
  RawValueVerdict,
  UnknownReleases,
} from '@privet/core/client/index';
import { checkAsDrawnWith } from './drawn-check.js';
import { LateWatches, settleWithin, waitForValue } from '../shared/wait-for-value.js';
import type { GatewayViews } from './views-context.js';
import type { OutputLeakItem, ViewUsed } from '@privet/core';
import { UNREADABLE_VERDICT } from './raw-value.js';
import {
  heldReviewState,
  type HeldReviewState,
  type ReviewedApprovalAnswer,
} from '../renderer/held-review.js';

/**
 * How long an answer may wait for the views to load and, for a stream item, for the item to reach
 * this host's copy of the notebook (its earlier parts decide the check). The two waits run side
 * by side, so an answer comes well within the renderer's 5 s; a stream item not placed by then is
 * held, and watched for (LATE_ITEM_WATCH_MS) so the renderer is told to ask again once it is.
 */
const ANSWER_WAIT_MS = 3000;

/** How long, after answering "hold" for a stream item it could not place, the host watches for it. */
const LATE_ITEM_WATCH_MS = 60_000;

/**
 * Longest an answer waits for the gateway's raw-value verdicts (after at most ANSWER_WAIT_MS for
 * the views and the stream), so it still comes within the renderer's 5 s.
 */
const RAW_ANSWER_MS = 1500;

/** Changes closer together than this lead to one recheck notice (sign-in, then views loaded). */
const RECHECK_COALESCE_MS = 100;

/**
 * After the gateway could not give an item a verdict (a failed call caches nothing), the renderers
 * are told to ask again after each of these waits, then no more for that item: a gateway back
 * from a hiccup clears it, one that stays down does not draw a notice a second.
 */
const UNAVAILABLE_RETRY_MS = [1000, 3000, 9000] as const;

/** Most items whose retries are counted; beyond that the counts start over. */
const MAX_RETRIED_ITEMS = 1000;

/** Where the host notes why it answered "no" (the Privet output channel); never the item's text. */
export interface AnswerLog {
  /** Notes one line. */
  info(message: string): void;
}

/** True when the output's items of this MIME type, joined (VS Code draws a stream appended in pieces as one), are exactly `text`. */
function holdsItem(output: vscode.NotebookCellOutput, mime: string, text: string): boolean {
  return partsDecodeTo(
    output.items.filter((i) => i.mime === mime).map((i) => i.data),
    text,
  );
}

/** How each output in `notebook` holding this item is read (see holdsItem, cellReadings). */
function readingsWithItem(
  notebook: vscode.NotebookDocument,
  held: HeldOutputs,
  mime: string,
  text: string,
): OutputReading[] {
  return notebook.getCells().flatMap((cell) => {
    const at = cell.outputs.flatMap((o, i) => (holdsItem(o, mime, text) ? [i] : []));
    if (at.length === 0) return [];
    const readings = cellReadings(cell, held);
    return at.map((i) => readings[i]!);
  });
}

/** How much each review state says against drawing: the strictest of several outputs is shown. */
const STRICTNESS: Record<HeldReviewState, number> = {
  pending: 0,
  changes_requested: 1,
  rejected: 2,
};

/** Whether an item may be drawn and, when held unapproved, its content's review state. */
interface ItemAnswer {
  approved: boolean;
  review?: HeldReviewState;
}

/** Answers the gate renderer's approval questions. */
export class RendererApprovals implements vscode.Disposable {
  private readonly messaging = vscode.notebooks.createRendererMessaging(GATE_RENDERER_ID);
  private readonly subscriptions: vscode.Disposable[] = [];
  private recheckTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly lateItems = new LateWatches();
  /** Retries so far per item (mime and text) whose verdict was unavailable, and their timers. */
  private readonly unavailableRetries = new Map<string, number>();
  private readonly retryTimers = new Set<ReturnType<typeof setTimeout>>();

  /** Starts answering. */
  constructor(
    private readonly approvals: Approvals,
    private readonly session: Session,
    private readonly views: GatewayViews,
    private readonly held: HeldOutputs,
    private readonly rawValues: RawValueChecks,
    private readonly log?: AnswerLog,
  ) {
    this.subscriptions.push(
      session.onDidChange(() => this.recheckSoon('the session changed')),
      views.onDidChange(() => this.recheckSoon('the views changed')),
      // A review requested or decided: held items' notices say their review state anew.
      held.onDidChangeReview(() => this.recheckSoon('a review state changed')),
    );
    const answering = this.messaging.onDidReceiveMessage(({ editor, message }) => {
      if (!isApprovalQuery(message)) return;
      void this.shows(editor.notebook, message.mime, message.text).then(({ approved, review }) => {
        const answer: ReviewedApprovalAnswer = {
          type: 'privet.approval',
          requestId: message.requestId,
          approved,
          ...(review ? { review } : {}),
        };
        return this.messaging.postMessage(answer, editor);
      });
    });
    this.subscriptions.push(answering);
    // Renderers may have asked before this host was listening (the extension activates when a
    // notebook or the gate renderer first needs it) and held items for want of an answer.
    this.recheckSoon('the host started answering');
  }

  /** Tells every renderer, once changes settle, to ask again about the items it holds (`why`, for the log). */
  private recheckSoon(why: string): void {
    clearTimeout(this.recheckTimer);
    this.recheckTimer = setTimeout(() => {
      this.log?.info(`Gate renderer: told the renderers to ask again about held items (${why}).`);
      const notice: RecheckNotice = { type: 'privet.recheck' };
      void this.messaging.postMessage(notice);
    }, RECHECK_COALESCE_MS);
  }

  /**
   * Approved when the item passes the host's check or its output was approved, and the gateway's
   * raw-value check clears it (signed in with an experiment); else, when held because its outputs
   * are flagged and not approved, the review state of their content, if it was sent for review.
   */
  private async shows(
    notebook: vscode.NotebookDocument,
    mime: string,
    text: string,
  ): Promise<ItemAnswer> {
    const asked = this.session.signedIn;
    const contexts = this.streamContexts(notebook, mime, text);
    const passes = await this.passes(notebook, mime, text, contexts);
    const approval = passes ? undefined : await this.approved(notebook, mime, text);
    const allowed = passes || approval?.approved === true;
    let held = !allowed
      ? (await contexts)
        ? 'held by the review check'
        : `a stream part this host's copy of the notebook did not hold within ${ANSWER_WAIT_MS} ms`
      : await this.rawValueHold(
          this.rawTargets(notebook, mime, text, await contexts),
          `${mime}\n${text}`,
        );
    if (held === undefined && this.session.signedIn !== asked) {
      // Worked out for a session no longer in use (its approvals, releases, rules and raw-value
      // verdicts): "no" for now, and the renderers ask again under the current one.
      this.recheckSoon('the session changed while an item was checked');
      held = 'the session changed while it was checked';
    }
    if (held !== undefined)
      this.log?.info(
        `Gate renderer: answered "no" for a ${mime} item (${text.length} chars): ${held}.`,
      );
    if (held === undefined) return { approved: true };
    // Only a hold by the review check can be waiting for a review (not a raw value's, or a session's).
    const review = !allowed && this.session.signedIn === asked ? approval?.review : undefined;
    return { approved: false, ...(review ? { review } : {}) };
  }

  /**
   * What the raw-value check reads for an item: a stream part after each of its stream contexts;
   * any other item as the whole output(s) holding it — the outputs the document gate checks, so
   * one cached verdict answers both (an output clear as a whole is clear in each of its MIME
   * types) — or, while no output holds it yet, the item alone.
   */
  private rawTargets(
    notebook: vscode.NotebookDocument,
    mime: string,
    text: string,
    contexts: string[] | undefined,
  ): OutputLeakItem[] {
    const item = outputOfItem(mime, text);
    if (item.output_type === 'stream')
      return (contexts ?? ['']).map((before) => ({ output: item, before }));
    const whole = readingsWithItem(notebook, this.held, mime, text);
    return whole.length > 0
      ? whole.map((r) => ({ output: r.output, before: r.streamContext }))
      : [{ output: item }];
  }

  /**
   * Undefined when the gateway's raw-value check clears every target within RAW_ANSWER_MS (or
   * when signed out or without an experiment: nothing to ask), else why not. A late clear verdict
   * tells the renderers to ask again, and so, a few times (UNAVAILABLE_RETRY_MS), does no verdict
   * for item `itemKey`.
   */
  private async rawValueHold(
    targets: readonly OutputLeakItem[],
    itemKey: string,
  ): Promise<string | undefined> {
    const signedIn = this.session.signedIn;
    const experiment = signedIn?.experiment;
    if (!signedIn || !experiment) return undefined;
    const verdicts: Promise<RawValueVerdict[]> = Promise.all(
      targets.map(({ output, before }) =>
        this.rawValues.check(signedIn.client, experiment, output, before),
      ),
    ).catch(() => [UNREADABLE_VERDICT]);
    const allClear = (vs: RawValueVerdict[]): boolean => vs.every((v) => v.state === 'clear');
    const unavailable = (vs: RawValueVerdict[]): boolean =>
      vs.some((v) => v.state === 'unavailable');
    const answered = await settleWithin(verdicts, RAW_ANSWER_MS);
    if (answered) {
      if (unavailable(answered)) this.retryLater(itemKey);
      if (allClear(answered)) return undefined;
      const why = answered.find((v) => v.state !== 'clear');
      return why?.state === 'unavailable'
        ? `no raw-value verdict from the gateway (${why.reason})`
        : "the gateway's raw-value check found a value from the raw identifier columns";
    }
    void verdicts.then((vs) => {
      if (allClear(vs)) this.recheckSoon('a late raw-value verdict cleared an item');
      else if (unavailable(vs)) this.retryLater(itemKey);
    });
    return `no raw-value verdict within ${RAW_ANSWER_MS} ms (the renderers are told to ask again once it clears)`;
  }

  /** Tells the renderers to ask again about held items after the item's next retry wait, if any is left. */
  private retryLater(itemKey: string): void {
    const tries = this.unavailableRetries.get(itemKey) ?? 0;
    const wait = UNAVAILABLE_RETRY_MS[tries];
    if (wait === undefined) return;
    if (this.unavailableRetries.size >= MAX_RETRIED_ITEMS) this.unavailableRetries.clear();
    this.unavailableRetries.set(itemKey, tries + 1);
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.recheckSoon(`retry ${tries + 1} after a raw-value check without a verdict`);
    }, wait);
    this.retryTimers.add(timer);
  }

  /**
   * The stream texts an item continues: for a stream item, the earlier parts of its stream in each
   * cell holding it, waiting (ANSWER_WAIT_MS) for an output to hold it, else undefined — a part
   * checked without the parts before it could pass alone (fail closed); otherwise just ''.
   */
  private streamContexts(
    notebook: vscode.NotebookDocument,
    mime: string,
    text: string,
  ): Promise<string[] | undefined> {
    if (outputOfItem(mime, text).output_type !== 'stream') return Promise.resolve(['']);
    const find = (): string[] | undefined => {
      const readings = readingsWithItem(notebook, this.held, mime, text);
      return readings.length > 0 ? readings.map((r) => r.streamContext) : undefined;
    };
    const changes = (listener: () => void): vscode.Disposable =>
      vscode.workspace.onDidChangeNotebookDocument((e) => {
        if (e.notebook === notebook) listener();
      });
    return waitForValue(find, changes, ANSWER_WAIT_MS).then((contexts) => {
      // Held for now: once an output holds it, the renderer is told to ask again.
      if (!contexts)
        this.lateItems.watch(
          `${notebook.uri.toString()}\n${mime}\n${text}`,
          () => find() !== undefined,
          changes,
          LATE_ITEM_WATCH_MS,
          () => this.recheckSoon('a held stream part reached this host'),
        );
      return contexts;
    });
  }

  /**
   * True when the item passes review with every view (a possible table fails while unknown) and
   * the DP releases the ledger vouches for (Privet's controller's, or verified with the gateway).
   */
  private async passes(
    notebook: vscode.NotebookDocument,
    mime: string,
    text: string,
    streamContexts: Promise<string[] | undefined>,
  ): Promise<boolean> {
    try {
      const output = outputOfItem(mime, text);
      // Both waits start now, side by side (see ANSWER_WAIT_MS).
      const viewsLoaded = this.views.current()
        ? undefined
        : this.views.whenKnown(ANSWER_WAIT_MS).catch(() => null);
      const contexts = await streamContexts;
      if (!contexts) return false; // a stream part this host cannot place yet: held
      const releases = this.approvals.releases;
      const rules = this.session.signedIn?.exportRules;
      const passWith = (views: ViewUsed[] | null, known: KnownRelease): boolean =>
        contexts.every(
          (context) => checkAsDrawnWith(output, views, known, context, rules).verdict === 'pass',
        );
      // The renderer asks about every stream part: one that passes while the views are unknown
      // (which holds any possible table of rows) is answered at once, without waiting for them.
      const views =
        this.views.current() ??
        (passWith(null, releases.lookup()) ? null : ((await viewsLoaded) ?? null));
      const unknown: UnknownReleases = new Map();
      if (passWith(views, releases.lookup(unknown))) return true;
      const client = this.session.signedIn?.client;
      if (unknown.size === 0 || !client || !(await releases.verify(client, unknown))) return false;
      return passWith(views, releases.lookup());
    } catch {
      return false; // content the check cannot read is not drawn
    }
  }

  /**
   * Approved when every output holding that item (at least one) passes the check there (a stream
   * part after the earlier parts of its stream in that output's cell) or a reviewer approved its
   * whole content (a stream part after those earlier parts, as it was approved); the gateway is
   * asked about the others' contents in one question. When not, the review state of those
   * contents (reviewState), if every one of them was sent for review.
   */
  private async approved(
    notebook: vscode.NotebookDocument,
    mime: string,
    text: string,
  ): Promise<ItemAnswer> {
    const signedIn = this.session.signedIn;
    const experiment = signedIn?.experiment;
    if (!signedIn || !experiment) return { approved: false };
    try {
      const readings = readingsWithItem(notebook, this.held, mime, text);
      if (readings.length === 0) return { approved: false };
      const hashes: string[] = [];
      for (const { output, streamContext } of readings) {
        if (await this.passes(notebook, mime, text, Promise.resolve([streamContext]))) continue;
        hashes.push(contentHashNow(output, streamContext));
      }
      const approved = await this.approvals.approvedHashes(signedIn.client, experiment, [
        ...new Set(hashes),
      ]);
      if (hashes.every((h) => approved.has(h))) return { approved: true };
      const review = this.reviewState(
        signedIn.client,
        experiment,
        hashes.filter((h) => !approved.has(h)),
      );
      return { approved: false, ...(review ? { review } : {}) };
    } catch {
      return { approved: false }; // an output that cannot be read or asked about is not approved
    }
  }

  /**
   * The review state of these (unapproved) content hashes, the strictest of them, when each was
   * sent for review: the gateway's latest state for this sign-in and experiment ('none': never
   * sent there), else, when the gateway was not asked (it failed), the state last seen for an
   * original this window sent. Undefined when one was not sent.
   */
  private reviewState(
    client: Parameters<Approvals['knownState']>[0],
    experiment: string,
    hashes: readonly string[],
  ): HeldReviewState | undefined {
    const sent = new Map<string, HeldReviewState>();
    for (const [, h] of this.held.entries())
      if (h.submitted) sent.set(h.submitted.contentHash, heldReviewState(h.submitted.state));
    let strictest: HeldReviewState | undefined;
    for (const hash of hashes) {
      const known = this.approvals.knownState(client, experiment, hash);
      const state =
        known === undefined
          ? sent.get(hash)
          : known === 'none'
            ? undefined
            : heldReviewState(known);
      if (!state) return undefined; // never sent: the notice offers a review
      if (!strictest || STRICTNESS[state] > STRICTNESS[strictest]) strictest = state;
    }
    return strictest;
  }

  /** Stops answering. */
  dispose(): void {
    clearTimeout(this.recheckTimer);
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.lateItems.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
