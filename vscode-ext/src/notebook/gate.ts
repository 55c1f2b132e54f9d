/**
 * Gating of outputs written by any other controller (e.g. a Python kernel), in notebooks and the
 * Interactive Window: every output is checked by core's review with every view the user may see
 * (so `df.head()` of a masked view is row-level data) and the signed-in gateway's policy rules
 * (small-cell threshold, images; signed out, core's defaults) when a notebook opens, whenever
 * cell outputs change or cells are added (undo, paste, a new Interactive Window cell) and when the
 * views become known; an ipywidgets widget is held, as what it draws arrives in kernel messages
 * only the Jupyter extension sees. Only the exact placeholders Privet wrote are left unchecked: a
 * kernel can display a bundle with Privet's MIME types too, so those are checked like any other
 * output (a DP release is trusted only when the ledger vouches for its id and content, else it is
 * flagged `dp-provenance`). While the views are unknown (signed out, loading, listing failed), an
 * output that may be a table of rows is held (fail closed, as in JupyterLab); once they are known,
 * an original held while they were unknown is checked again and put back if it now passes.
 *
 * A flagged output of a change made in this window (a kernel writing outputs, undo, paste, a new
 * Interactive Window cell) is replaced by the placeholder (rules fired, never the content) at
 * once, in the same turn as its check, and its original is held in memory for "Request Review",
 * which sends it only to the gateway's review queue. Only then is the gateway asked (reviewer
 * approvals of that exact content, POST /reviews/status; unknown DP releases, POST
 * /releases/verify), and an original it clears is put back (restoreHeldOriginal); approvals
 * already known in this window are honoured without asking — only those the gateway of the
 * current sign-in answered, in its experiment: another sign-in (or a sign-out, or another
 * gateway) forgets them (Approvals.follow), so an approval a gateway answered never counts for
 * another, and an answer that comes after the session changed counts for nothing. So such an
 * original is never in the document while a gateway call is in flight (autosave, hot-exit backups
 * and Copy Cell Output read the document).
 *
 * Outputs loaded from a notebook's file when it opens (the constructor's pass over open notebooks,
 * and every notebook opened later) are in that file already, so there the order is reversed, which
 * keeps a notebook whose outputs pass once the gateway answers from being marked modified by a
 * swap and a restore: the open-time check waits, at most OPEN_CHECK_MS in all, for the session's
 * start-up token restore and the views, asks the gateway about the releases and approvals of the
 * outputs that would be flagged, then reads the outputs again and swaps what is still flagged, as
 * for a change (a gateway that does not answer in time: everything flagged is swapped, fail
 * closed, and put back if a later answer clears it). A notebook with unsaved changes when it
 * opens (a hot-exit backup) or an untitled one is gated at once, like a change, and so is an
 * output with a MIME type no Privet renderer claims (another renderer could draw it meanwhile).
 * Cells changed while the open-time check waits are gated at once by the change path, and
 * Privet's renderers draw nothing unverified meanwhile (the gate renderer, and the release
 * renderer through it, ask the host, which answers from its own check with the views, the ledger
 * and approvals; without an answer in 5 s the item is held).
 *
 * Signed in with an experiment, every output the check leaves shown is also put to the gateway's
 * raw-value check (POST /leak-check/outputs through core's RawValueChecks: batched, cached per
 * gateway, experiment and content; a stream part with the earlier parts of its stream as
 * `before`; a content that a newer one of the same output replaced before its call went out is not
 * asked about): the gateway alone keeps the keyed index of the raw identifier columns' values and
 * answers only a verdict. That question needs the gateway, so it comes after the swap of what the
 * check flags, and what it finds is swapped in a second edit (raw-value.ts): a raw value is held
 * with a blocking `raw-value` finding (no review can approve it: its placeholder offers none and
 * says to remove the value); no answer within RAW_CHECK_MS (429, network, no membership) holds the
 * output too (fail closed, with the gateway's reason and fix), and the gate's next pass (sign-in
 * or experiment change, once the views load; a re-run) asks again — the cache keeps no failures.
 * The second edit reads the outputs afresh, in every cell of the notebook (the first edit replaced
 * cells), and swaps only outputs with exactly the content (and stream context) that was checked,
 * so outputs written meanwhile stay as they are (their own change is gated by its own pass). An
 * original is put back (restorePassing) only with a clear verdict too. Signed out, or without an
 * experiment, nothing is asked (as before): nothing can leave the notebook without the gateway,
 * which finds raw values itself when a review is requested (409 `review.raw-value`) and withholds
 * them at export.
 *
 * VS Code has no edit for outputs alone, so the cell is replaced by an identical cell with the
 * gated outputs. That is an ordinary, undoable edit (an extension cannot keep an edit off the undo
 * stack, and only the cell's own controller may write outputs without one), so undo brings the
 * original cell back: as an added cell, it is gated again. A save waits for checks and swaps in
 * progress, and for the raw-value checks and swaps (each bounded by RAW_CHECK_MS), not for the
 * other gateway questions before or after them.
 */
import * as vscode from 'vscode';
import {
  unreadableResult,
  widgetUncheckedFinding,
  withFinding,
  type NotebookOutput,
  type ReviewResult,
  type ViewUsed,
} from '@privet/core';
import { heldIdsOf, replaceOutputsEdit, toCellOutput } from './convert.js';
import type { Session, SignedIn } from '../session.js';
import { contentHashNow, type Approvals } from './approvals.js';
import type { HeldOutputs } from './held.js';
import { PLACEHOLDER_MIME_TYPE, placeholderOutput } from './outputs.js';
import {
  RawValueChecks,
  type KnownRelease,
  type RawValueVerdict,
  type UnknownReleases,
} from '@privet/core/client/index';
import { outputContentText } from '@privet/core';
import { checkAsDrawnWith } from './drawn-check.js';
import type { DisplayRules } from '@privet/core';
import { cellReadings, type OutputReading } from './stream-context.js';
import { replaceHeldPlaceholder, restoreHeldOriginal } from './restore.js';
import { sentReviewState } from './review-placeholders.js';
import { rawValueFinding, unansweredVerdict, UNREADABLE_VERDICT } from './raw-value.js';
import { settleWithin } from '../shared/wait-for-value.js';
import type { GatewayViews } from './views-context.js';
import { DP_RELEASE_MIME_TYPE } from '@privet/core/protocol';
import { MARKDOWN_MIMES } from '../renderer/delegates.js';
import { ERROR_MIME, STDERR_MIMES, STDOUT_MIMES } from '../shared/output-items.js';

/**
 * Longest the open-time check of a notebook loaded from its file waits in all (session restore,
 * views, gateway answers) before it swaps what is still flagged (fail closed).
 */
const OPEN_CHECK_MS = 10_000;

/**
 * Longest the gate waits for the gateway's raw-value verdicts of a pass's outputs; beyond it they
 * are held as unchecked (fail closed) and asked about again on the next pass.
 */
const RAW_CHECK_MS = 10_000;

/** The same warning about unanswered raw-value checks is shown at most once in this time. */
const UNCHECKED_NOTICE_MS = 30_000;

/**
 * MIME types only Privet's renderers draw (package.json `notebookRenderer`): the gate renderer's
 * (VS Code's built-in and Markdown renderers' types, each item checked and confirmed by the host
 * before it is handed on) and the release renderer's (a release drawn only once the host
 * confirms it). An output with any other type may be drawn by another renderer unchecked. SVG is
 * not among them although the gate renderer claims it: in Jupyter notebooks VS Code prefers the
 * Jupyter extension's renderers (ms-toolsai.jupyter-renderers) for it.
 */
const DRAWN_BY_PRIVET: ReadonlySet<string> = new Set([
  'text/plain',
  'text/html',
  'application/javascript',
  ...STDOUT_MIMES,
  ...STDERR_MIMES,
  ERROR_MIME,
  ...MARKDOWN_MIMES,
  DP_RELEASE_MIME_TYPE,
  PLACEHOLDER_MIME_TYPE,
]);

/** True when a renderer other than Privet's may draw some item of this output. */
function drawnElsewhere(output: vscode.NotebookCellOutput): boolean {
  return output.items.some((i) => !DRAWN_BY_PRIVET.has(i.mime));
}

/**
 * Notebook types whose outputs the host replaces: Jupyter notebooks and VS Code's Interactive
 * Window (where `# %%` cells and "Run Current File in Interactive Window" send Python code).
 */
export const GATED_NOTEBOOK_TYPES: ReadonlySet<string> = new Set([
  'jupyter-notebook',
  'interactive',
]);

/**
 * The gate's review of another controller's output: as VS Code draws it, with every view (`null`
 * while unknown: a possible table of rows is held), the DP releases the ledger vouches for and
 * the signed-in gateway's policy rules (undefined: the defaults); a stream part after the earlier
 * parts of its stream (`streamContext`); a widget is held. Content the check cannot read is held.
 */
function gateReview(
  output: NotebookOutput,
  views: readonly ViewUsed[] | null,
  knownRelease: KnownRelease,
  streamContext: string,
  rules: DisplayRules | undefined,
): ReviewResult {
  try {
    return withFinding(
      checkAsDrawnWith(output, views, knownRelease, streamContext, rules),
      widgetUncheckedFinding(output, 'VS Code'),
    );
  } catch {
    return unreadableResult();
  }
}

/** An original the gate holds (its placeholder is in the document), by held id. */
export interface HeldOriginal {
  heldId: string;
  output: NotebookOutput;
}

/** What a swap held, and the outputs it checked and left shown. */
interface SwapResult {
  held: HeldOriginal[];
  shown: OutputReading[];
}

/**
 * What a raw-value verdict is about: the output's content after the earlier parts of its stream
 * (undefined for content without a canonical form, which the check holds as unreadable anyway).
 */
function readingKey(output: NotebookOutput, streamContext: string): string | undefined {
  try {
    return `${streamContext.length}\n${streamContext}\n${outputContentText(output)}`;
  } catch {
    return undefined;
  }
}

/** Watches jupyter notebooks and replaces flagged outputs of other controllers. */
export class OutputGate implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Checks and swaps in progress (not the gateway questions after them): a save waits for them. */
  private readonly running = new Set<Promise<unknown>>();
  /** Held ids of originals checked while the views were unknown: checked again once known. */
  private readonly heldWhileViewsUnknown = new Set<string>();
  /** Notebooks whose open-time check is still waiting (session, views, gateway answers). */
  private readonly opening = new Set<vscode.NotebookDocument>();
  /** Raw-value checks and their swaps in progress (bounded by RAW_CHECK_MS): a save waits too. */
  private readonly checkingRaw = new Set<Promise<unknown>>();
  /**
   * Held ids of originals held on a raw-value verdict (a value found, or no answer): put back only
   * with a clear verdict, and asked about again on the next pass.
   */
  private readonly heldOnRawVerdict = new Set<string>();
  /** The newest raw-value question asked per output slot (OutputReading.slot), by number. */
  private readonly slotAsks = new Map<string, number>();
  /** Raw-value questions asked of slots so far (numbers them). */
  private rawAsks = 0;
  /** The last warning about unanswered raw-value checks, and when it was shown. */
  private lastUncheckedNotice = { text: '', at: 0 };
  private disposed = false;

  /** Starts watching; checks notebooks already open (as loaded from their files). */
  constructor(
    private readonly held: HeldOutputs,
    private readonly approvals: Approvals,
    private readonly session: Session,
    private readonly views: GatewayViews,
    /** The gateway's raw-value verdicts, shared with the renderer's answers (cleared on every session change). */
    private readonly rawValues = new RawValueChecks(),
  ) {
    this.subscriptions.push(
      vscode.workspace.onDidOpenNotebookDocument((n) => void this.gateOpened(n)),
      // Known views add the row-level rule: check what is open again, and what was held only
      // because they were unknown.
      views.onDidChange(() => void this.viewsBecameKnown()),
      // Sign-in, sign-out, another experiment or gateway: verdicts are asked anew, and the
      // approvals (and releases) of another sign-in are forgotten. (The views reload on every
      // session change: their load starts the next pass.)
      session.onDidChange(() => {
        this.rawValues.clear();
        this.approvals.follow(this.session.signedIn?.client);
      }),
      vscode.workspace.onDidChangeNotebookDocument((e) => {
        // Added cells too: undoing the gate's own swap brings the original cell back as one.
        // (The swap's cell holds only Privet's own placeholders, which are skipped: no loop.)
        const cells = new Set<vscode.NotebookCell>();
        for (const change of e.contentChanges) for (const c of change.addedCells) cells.add(c);
        for (const change of e.cellChanges)
          if (change.outputs !== undefined) cells.add(change.cell);
        if (cells.size > 0) void this.gateCells(e.notebook, [...cells]);
      }),
      // A save right after a change (e.g. Ctrl+Z then Ctrl+S) waits for its check and swap.
      vscode.workspace.onWillSaveNotebookDocument((e) => {
        const pending = [...this.running, ...this.checkingRaw];
        if (pending.length > 0) e.waitUntil(Promise.allSettled(pending));
      }),
    );
    for (const n of vscode.workspace.notebookDocuments) void this.gateOpened(n);
  }

  private gateNotebook(notebook: vscode.NotebookDocument): Promise<void> {
    return this.gateCells(notebook, notebook.getCells());
  }

  /**
   * The open-time check of a notebook as loaded from its file: its outputs are in that file
   * already, so the gateway is asked first — within OPEN_CHECK_MS in all, after the session's
   * token restore and the views' load — about the releases and approvals of the outputs that would
   * be flagged, and only then is what is still flagged swapped (outputs read again, as they are
   * now). A gateway that does not answer in time leaves them flagged: swapped (fail closed).
   * Outputs another renderer than Privet's may draw (the gate renderer does not hold them on
   * screen meanwhile), a notebook not (known to be) as in its file — unsaved changes, e.g. a
   * hot-exit backup, or untitled — are gated at once, like a change. Cells changed meanwhile are
   * gated at once by the change path.
   */
  private async gateOpened(notebook: vscode.NotebookDocument): Promise<void> {
    if (!GATED_NOTEBOOK_TYPES.has(notebook.notebookType) || this.opening.has(notebook)) return;
    if (notebook.isDirty || notebook.isUntitled) return this.gateNotebook(notebook);
    this.opening.add(notebook);
    // What another renderer may draw is not held on screen while the gateway is asked: gated now.
    void this.gateCells(notebook, notebook.getCells(), drawnElsewhere);
    try {
      const deadline = Date.now() + OPEN_CHECK_MS;
      await settleWithin(this.session.whenRestored(), deadline - Date.now());
      await this.views.whenKnown(Math.max(0, deadline - Date.now()));
      await settleWithin(this.askAboutFlagged(notebook), deadline - Date.now());
      // Swaps of changed cells still being applied land first (no second hold of one original).
      await Promise.allSettled([...this.running]);
    } catch (error) {
      console.warn('Privet: the open-time output check could not ask the gateway.', error);
    } finally {
      // No await between this and the swap's read of the outputs: viewsBecameKnown skipped the
      // notebook until now, and from now on gates it itself.
      this.opening.delete(notebook);
    }
    if (this.disposed || notebook.isClosed) return;
    await this.gateNotebook(notebook);
  }

  /**
   * Asks the gateway about the outputs of `notebook` that the check flags with what this window
   * knows (askGateway); the answers fill the caches the swap then reads.
   */
  private async askAboutFlagged(notebook: vscode.NotebookDocument): Promise<void> {
    await this.askGateway(
      notebook
        .getCells()
        .flatMap((cell) => cellReadings(cell, this.held))
        .filter((r) => !this.held.isPlaceholder(r.output)),
    );
  }

  /**
   * Asks the gateway about `outputs`: first whether the ledger vouches for the DP releases they
   * carry (POST /releases/verify), then, for those the check still flags, whether a reviewer
   * approved exactly that content (POST /reviews/status; approvals already known in this window
   * are not asked again). Resolves to a test of whether one of them was approved. Signed out or
   * without an experiment: nothing was approved.
   */
  private async askGateway(
    readings: readonly OutputReading[],
  ): Promise<(output: NotebookOutput, streamContext: string) => boolean> {
    const signedIn = this.session.signedIn;
    if (!signedIn) return () => false;
    const unknown: UnknownReleases = new Map();
    const noting = this.approvals.releases.lookup(unknown);
    const rules = signedIn.exportRules;
    for (const r of readings)
      gateReview(r.output, this.views.current(), noting, r.streamContext, rules);
    if (unknown.size > 0) await this.approvals.releases.verify(signedIn.client, unknown);
    const experiment = signedIn.experiment;
    if (!experiment) return () => false;
    const known = this.approvals.releases.lookup();
    const hashes = new Map<NotebookOutput, string>();
    for (const { output: o, streamContext } of readings) {
      if (gateReview(o, this.views.current(), known, streamContext, rules).verdict === 'pass')
        continue;
      if (this.knownApproved(signedIn, o, streamContext)) continue;
      try {
        hashes.set(o, contentHashNow(o, streamContext));
      } catch {
        // Content without a canonical form cannot have been approved.
      }
    }
    const approved =
      hashes.size > 0
        ? await this.approvals.approvedHashes(signedIn.client, experiment, [
            ...new Set(hashes.values()),
          ])
        : new Set<string>();
    // Answers of this sign-in count only while the session still uses it, in that experiment.
    const current = (): boolean =>
      this.session.signedIn?.client === signedIn.client &&
      this.session.signedIn.experiment === experiment;
    return (o, streamContext) => {
      const hash = hashes.get(o);
      return (
        current() &&
        ((hash !== undefined && approved.has(hash)) ||
          this.knownApproved(signedIn, o, streamContext))
      );
    };
  }

  /**
   * Checks the cells' outputs (those `only` selects; all by default) and replaces the cells whose
   * outputs were flagged; then asks the gateway's raw-value check about what it left shown (and
   * swaps what that holds), and then asks the gateway about what it held and puts back what it
   * clears.
   */
  async gateCells(
    notebook: vscode.NotebookDocument,
    cells: readonly vscode.NotebookCell[],
    only: (output: vscode.NotebookCellOutput) => boolean = () => true,
  ): Promise<void> {
    const swap: Promise<SwapResult> = this.swapFlagged(notebook, cells, only).finally(() =>
      this.running.delete(swap),
    );
    this.running.add(swap);
    const views = this.views.current();
    const { held, shown } = await swap;
    const raw: Promise<unknown> = this.holdRawValues(notebook, shown).finally(() =>
      this.checkingRaw.delete(raw),
    );
    this.checkingRaw.add(raw);
    // One after the other: two edits of one cell in flight at once could undo each other.
    await raw;
    // The views became known while this check ran without them: its holds are checked again.
    if (views === null && this.views.current() !== null) await this.releaseHeldWhileViewsUnknown();
    else await this.restorePassing(held);
  }

  /**
   * The gateway's raw-value verdicts of `readings` (outputs the check left shown), then one edit
   * holding each output of the notebook that still has exactly a checked content (and stream
   * context) whose verdict is not clear. Signed out or without an experiment: nothing is asked.
   */
  private async holdRawValues(
    notebook: vscode.NotebookDocument,
    readings: readonly OutputReading[],
  ): Promise<HeldOriginal[]> {
    const verdicts = await this.rawVerdicts(readings);
    if (verdicts.size === 0 || this.disposed || notebook.isClosed) return [];
    const notClear = new Map([...verdicts].filter(([, v]) => v.state !== 'clear'));
    if (notClear.size === 0) return [];
    this.noticeUnchecked([...notClear.values()]);
    // The first swap replaced cells, and the kernel may have written more meanwhile: every cell is
    // read again now, in the same turn as the edit.
    const { held } = await this.swapFlagged(notebook, notebook.getCells(), () => true, notClear);
    return held;
  }

  /**
   * The raw-value verdict of each reading (by readingKey), asked together (RawValueChecks batches
   * them); one not answered within RAW_CHECK_MS is unavailable. Empty when signed out or without
   * an experiment.
   */
  private async rawVerdicts(
    readings: readonly OutputReading[],
  ): Promise<Map<string, RawValueVerdict>> {
    const verdicts = new Map<string, RawValueVerdict>();
    const signedIn = this.session.signedIn;
    const experiment = signedIn?.experiment;
    if (!signedIn || !experiment || readings.length === 0) return verdicts;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<RawValueVerdict>(
      (resolve) =>
        (timer = setTimeout(() => resolve(unansweredVerdict(RAW_CHECK_MS)), RAW_CHECK_MS)),
    );
    // Every reading asks (the checks share one lookup per content): a reading given up because
    // a newer one replaced its slot (null) must not leave another output with the same content
    // unasked.
    const answers = new Map<string, RawValueVerdict[]>();
    try {
      await Promise.all(
        readings.map(async ({ output, streamContext, slot }) => {
          const key = readingKey(output, streamContext);
          if (key === undefined) return;
          const asked = this.askRawValue(signedIn.client, experiment, output, streamContext, slot);
          const verdict = await Promise.race([asked, timeout]);
          if (verdict !== null) answers.set(key, [...(answers.get(key) ?? []), verdict]);
        }),
      );
    } finally {
      clearTimeout(timer);
    }
    // The same content has one verdict; of a check answered and one timed out, the stricter holds.
    for (const [key, got] of answers)
      verdicts.set(
        key,
        got.find((v) => v.state === 'raw') ?? got.find((v) => v.state === 'unavailable') ?? got[0]!,
      );
    return verdicts;
  }

  /**
   * One reading's raw-value verdict. A reading of a slot (a shown output) gives up, unasked (null),
   * when a newer reading of the same slot is asked for before its call goes out: a log written
   * every few milliseconds spends a lookup per call, not per write.
   */
  private async askRawValue(
    client: Parameters<RawValueChecks['check']>[0],
    experiment: string,
    output: NotebookOutput,
    streamContext: string,
    slot: string | undefined,
  ): Promise<RawValueVerdict | null> {
    try {
      if (slot === undefined)
        return await this.rawValues.check(client, experiment, output, streamContext);
      const mine = ++this.rawAsks;
      this.slotAsks.set(slot, mine);
      try {
        return await this.rawValues.checkLatest(
          client,
          experiment,
          output,
          streamContext,
          () => this.slotAsks.get(slot) === mine,
        );
      } finally {
        if (this.slotAsks.get(slot) === mine) this.slotAsks.delete(slot);
      }
    } catch {
      return UNREADABLE_VERDICT;
    }
  }

  /** Tells the user once (per reason, UNCHECKED_NOTICE_MS) why outputs are held unchecked. */
  private noticeUnchecked(verdicts: readonly RawValueVerdict[]): void {
    const first = verdicts.find((v) => v.state === 'unavailable');
    if (first?.state !== 'unavailable') return;
    const text = `Privet: output withheld: the gateway could not check it for values from the raw data's identifier columns: ${first.reason}. Fix: ${first.fix}.`;
    const now = Date.now();
    if (
      text === this.lastUncheckedNotice.text &&
      now - this.lastUncheckedNotice.at < UNCHECKED_NOTICE_MS
    )
      return;
    this.lastUncheckedNotice = { text, at: now };
    void vscode.window.showWarningMessage(text);
  }

  /**
   * The check and the swap, with no gateway call before the edit: each flagged output (of those
   * `only` selects) not known approved becomes its placeholder in one edit. Resolves to the
   * originals it held and the outputs it left shown. With `rawVerdicts` (by readingKey), only the
   * outputs they name are swapped, each held with its verdict's `raw-value` finding added to the
   * check's (approval does not count: no review can approve a raw value).
   */
  private async swapFlagged(
    notebook: vscode.NotebookDocument,
    cells: readonly vscode.NotebookCell[],
    only: (output: vscode.NotebookCellOutput) => boolean,
    rawVerdicts?: ReadonlyMap<string, RawValueVerdict>,
  ): Promise<SwapResult> {
    const shown: OutputReading[] = [];
    if (!GATED_NOTEBOOK_TYPES.has(notebook.notebookType)) return { held: [], shown };
    // Null while unknown (signed out, loading, listing failed): possible tables are held, and
    // checked again when the views are known.
    const views = this.views.current();
    const knownRelease = this.approvals.releases.lookup();
    const signedIn = this.session.signedIn;
    const heldNow: HeldOriginal[] = [];
    const edits: vscode.NotebookEdit[] = [];
    for (const cell of cells) {
      if (cell.index < 0) continue; // no longer in the notebook (e.g. removed by an undo)
      let changed = false;
      const outputs: vscode.NotebookCellOutput[] = [];
      const readings = cellReadings(cell, this.held);
      for (const [i, o] of cell.outputs.entries()) {
        if (!only(o)) {
          outputs.push(o); // not this pass's to check
          continue;
        }
        const { output: original, streamContext } = readings[i]!;
        // Exactly a placeholder Privet wrote: nothing to check (and no placeholder of a placeholder).
        if (this.held.isPlaceholder(original)) {
          outputs.push(o);
          continue;
        }
        const raw = rawVerdicts?.get(readingKey(original, streamContext) ?? '');
        if (rawVerdicts && (!raw || raw.state === 'clear')) {
          outputs.push(o); // not among the outputs this swap holds
          continue;
        }
        // Checked as VS Code draws it (LaTeX also as Markdown), like the gate renderer does.
        let review = gateReview(
          original,
          views,
          knownRelease,
          streamContext,
          signedIn?.exportRules,
        );
        if (raw) review = withFinding(review, rawValueFinding(raw));
        else if (
          review.verdict === 'pass' ||
          this.knownApproved(signedIn, original, streamContext)
        ) {
          outputs.push(o);
          shown.push(readings[i]!);
          continue;
        }
        changed = true;
        const heldId = this.held.hold({
          output: original,
          review,
          cellSource: cell.document.getText(),
          viewsUsed: [],
          ...(streamContext ? { streamContext } : {}),
        });
        if (views === null) this.heldWhileViewsUnknown.add(heldId);
        if (raw) this.heldOnRawVerdict.add(heldId);
        const placeholder = placeholderOutput(review, heldId);
        this.held.notePlaceholder(heldId, placeholder);
        outputs.push(toCellOutput(placeholder));
        heldNow.push({ heldId, output: original });
      }
      if (changed) edits.push(replaceOutputsEdit(cell, outputs));
    }
    if (edits.length > 0) {
      const edit = new vscode.WorkspaceEdit();
      edit.set(notebook.uri, edits);
      await vscode.workspace.applyEdit(edit);
    }
    return { held: heldNow, shown };
  }

  /**
   * True when this window already knows the gateway of this sign-in answered that a reviewer
   * approved exactly this content, after `streamContext`, in its experiment (no network).
   */
  private knownApproved(
    signedIn: SignedIn | undefined,
    output: NotebookOutput,
    streamContext: string,
  ): boolean {
    const experiment = signedIn?.experiment;
    if (!signedIn || !experiment) return false;
    try {
      return this.approvals.knownApprovedOutput(signedIn.client, experiment, output, streamContext);
    } catch {
      return false; // content without a canonical form has no approval
    }
  }

  /**
   * Gates every open notebook with the views now known (but those whose open-time check still
   * waits: it checks them with the views itself), then re-checks what was held without them.
   */
  private async viewsBecameKnown(): Promise<void> {
    await Promise.all(
      vscode.workspace.notebookDocuments
        .filter((n) => !this.opening.has(n))
        .map((n) => this.gateNotebook(n)),
    );
    await Promise.all([this.releaseHeldWhileViewsUnknown(), this.releaseHeldOnRawVerdict()]);
  }

  /**
   * Asks the gateway's raw-value check again about each original held on its verdict (a value
   * found in another experiment, or no answer), and puts back those it now clears (and the check
   * passes, or a reviewer approved).
   */
  private async releaseHeldOnRawVerdict(): Promise<void> {
    const ids = [...this.heldOnRawVerdict];
    await this.restorePassing(
      ids.flatMap((heldId) => {
        const h = this.held.get(heldId);
        if (!h) this.heldOnRawVerdict.delete(heldId); // restored or dropped meanwhile
        return h ? [{ heldId, output: h.output }] : [];
      }),
    );
  }

  /**
   * Checks again, with the views, each original held while they were unknown, and puts it back in
   * its cell when it now passes (or a reviewer approved it). One that still fails stays held.
   */
  private async releaseHeldWhileViewsUnknown(): Promise<void> {
    if (this.views.current() === null) return; // unknown again: kept for the next time
    const ids = [...this.heldWhileViewsUnknown];
    this.heldWhileViewsUnknown.clear();
    await this.restorePassing(
      ids.flatMap((heldId) => {
        const h = this.held.get(heldId);
        return h ? [{ heldId, output: h.output }] : []; // else restored or dropped meanwhile
      }),
    );
  }

  /**
   * Asks the gateway about held originals whose placeholders are in the document: which contents
   * a reviewer approved (POST /reviews/status), and whether the DP releases they carry are the
   * ledger's (POST /releases/verify). Each original that a reviewer approved, or that passes now
   * (releases verified, views known), is put back in its cell if the gateway's raw-value check
   * clears it too (signed in with an experiment; one held on a raw-value verdict needs a clear
   * verdict in any case); the rest stay held (an original checked while the views are unknown is
   * checked again once they are known, one without a clear verdict on the next pass).
   */
  private async restorePassing(entries: readonly HeldOriginal[]): Promise<void> {
    const live = entries.filter((e) => this.held.get(e.heldId) !== undefined);
    if (live.length === 0) return;
    // A stream part is checked again after the parts before it, as when it was held.
    const contextOf = (e: HeldOriginal): string => this.held.get(e.heldId)?.streamContext ?? '';
    const approved = await this.askGateway(
      live.map((e) => ({ output: e.output, streamContext: contextOf(e) })),
    );
    const candidates = live.filter((e) => {
      if (!this.held.get(e.heldId)) return false; // restored or dropped meanwhile
      const views = this.views.current();
      const known = this.approvals.releases.lookup();
      const rules = this.session.signedIn?.exportRules;
      const passes = gateReview(e.output, views, known, contextOf(e), rules).verdict === 'pass';
      if (passes || approved(e.output, contextOf(e))) return true;
      if (views === null) this.heldWhileViewsUnknown.add(e.heldId);
      return false;
    });
    const verdicts = await this.rawVerdicts(
      candidates.map((e) => ({ output: e.output, streamContext: contextOf(e) })),
    );
    for (const e of candidates) {
      if (!this.held.get(e.heldId)) continue; // restored or dropped meanwhile
      const raw = verdicts.get(readingKey(e.output, contextOf(e)) ?? '');
      const onRawVerdict = this.heldOnRawVerdict.has(e.heldId);
      if (raw ? raw.state === 'clear' : !onRawVerdict) {
        this.heldOnRawVerdict.delete(e.heldId);
        await restoreHeldOriginal(this.held, e.heldId, e.output);
      } else if (raw) {
        this.heldOnRawVerdict.add(e.heldId);
        await this.holdOnRawVerdict(e.heldId, raw);
      }
    }
  }

  /**
   * Makes a held original's review and placeholder say the raw-value verdict it is now held on
   * (held first on a local rule or an unanswered check, then found raw, say): its placeholder and
   * status bar then offer no review that the gateway would refuse. Nothing when they already do.
   */
  private async holdOnRawVerdict(heldId: string, raw: RawValueVerdict): Promise<void> {
    const h = this.held.get(heldId);
    const finding = rawValueFinding(raw);
    if (!h || !finding) return;
    const was = h.review.findings.find((f) => f.rule === 'raw-value');
    if (was?.message === finding.message) return;
    const others = h.review.findings.filter((f) => f.rule !== 'raw-value');
    h.review = withFinding({ ...h.review, findings: others }, finding);
    // A sent original keeps its review state (its raw-value hint is drawn first anyway).
    const placeholder = placeholderOutput(h.review, heldId, sentReviewState(h));
    this.held.notePlaceholder(heldId, placeholder);
    await replaceHeldPlaceholder(heldId, placeholder);
  }

  /** Stops watching. */
  dispose(): void {
    this.disposed = true;
    for (const s of this.subscriptions) s.dispose();
  }
}

/** The first held id a cell's placeholder outputs carry, if any. */
export function heldIdOf(cell: vscode.NotebookCell): string | undefined {
  return heldIdsOf(cell).find((id) => id !== '');
}
