/**
 * Why: a file the kernel writes (`df.to_csv('counts.csv')`, `to_html`, `savefig`) opens in
 * JupyterLab's viewers and editors — the CSV, JSON, HTML, Markdown and image viewers, the text
 * editor — outside any output, so the output gate never sees it. Every document other than a
 * notebook is therefore hidden until its file passes the same checks as an output: the review
 * engine on what its viewers draw (core's review/file-outputs.ts) and the gateway's raw-value
 * check. A held file's notice names the rules (never the content) and how to see it: through a
 * notebook output, which can be reviewed. The file is checked again when it is loaded from disk
 * (reverted, reloaded), when the sign-in or review settings change, and on "Check again"; what the
 * user types into an editor is not checked (it is theirs, and hiding it mid-edit would lose work).
 */
import {
  fileOutputs,
  type FileContent,
  type Finding,
  type ReviewResult,
} from '@privet/core/review/index';
import type { OutputGate } from './gate.js';
import {
  RAW_VALUE_CHECKING_TEXT,
  RAW_VALUE_FINDING,
  rawValueHold,
  rawValueUnavailableText,
} from './raw-value.js';

/** Where the file gate stands on a document: shown, being checked, or held (and why). */
export type FileVerdict =
  | { state: 'shown' }
  | { state: 'checking'; message: string }
  | { state: 'held'; findings: readonly Finding[]; message: string; canRecheck: boolean };

/** What the file gate reads of an opened document. */
export interface GatedDocument {
  /** The file as loaded, or null before it is (or when it cannot be read). */
  read(): FileContent | null;
  /** True while the document holds edits the user typed that are not on disk. */
  readonly dirty: boolean;
}

/** How a document shows the gate's verdict. */
export interface FileGateView {
  /** Shows the verdict: the content only when `shown`, otherwise a notice in its place. */
  render(verdict: FileVerdict): void;
}

/** What a held file's notice says to do (a file cannot be reviewed; an output can). */
export const HELD_FILE_FIX =
  'To see it, show its content in a notebook cell (for example with pandas) and request a review of that output, or change the code that wrote the file (aggregate more, or drop the column) and run it again.';

/** The notice of a file held by the review rules. */
const HELD_BY_RULES = `Privet's review check holds this file, as it would hold an output that shows it. ${HELD_FILE_FIX}`;

/** The notice of a file that shows a raw identifier value. */
const HELD_RAW_VALUE =
  "This file shows a value from the raw data's identifier columns (which one is not shown), so it is not shown and no review can approve it. Fix: remove the value from the code's output (aggregate it, or leave the column out) and write the file again.";

/** The notice of a file that could not be read as a document. */
const UNREADABLE =
  'Privet could not read this file to check it, so it is not shown. Fix: close it and open it again; if that does not help, open it with another viewer (right-click › Open With).';

/**
 * The most characters a file may have to be checked before it is shown: the gateway's raw-value
 * check takes up to 16 MB per call, and the readings run in the page (a few seconds at this size).
 */
export const MAX_CHECKED_CHARS = 8_000_000;

/** The notice of a file too large to check (its size, the limit, what to do). */
function tooLarge(chars: number): string {
  const mb = (n: number): string => `${(n / 1_000_000).toFixed(1)} MB`;
  return `This file is too large for Privet to check before showing it (${mb(chars)}; the limit is ${mb(MAX_CHECKED_CHARS)}), so it is not shown. Fix: look at it in a notebook cell (for example a summary or the first rows with pandas), which the output gate checks, or write a smaller file.`;
}

/** The local check of every reading of `file`: the first that does not pass, or pass. */
function localCheck(gate: OutputGate, file: FileContent): ReviewResult | null {
  let passed: ReviewResult | null = null;
  for (const output of fileOutputs(file)) {
    const result = gate.checkOnce(output);
    if (result.verdict !== 'pass') return result;
    passed = result;
  }
  return passed;
}

/** The verdict on `file`: the review engine first, then (signed in, in an experiment) the gateway. */
export async function decideFile(
  gate: OutputGate,
  file: FileContent,
  experiment: string | null,
): Promise<FileVerdict> {
  if (file.content.length > MAX_CHECKED_CHARS)
    return {
      state: 'held',
      findings: [],
      message: tooLarge(file.content.length),
      canRecheck: false,
    };
  let local: ReviewResult | null;
  try {
    local = localCheck(gate, file);
  } catch {
    return { state: 'held', findings: [], message: UNREADABLE, canRecheck: true };
  }
  if (local && local.verdict !== 'pass')
    return {
      state: 'held',
      // The notice lists each rule "in the file" (the readings are the gate's, not the file's parts).
      findings: local.findings.map((f) => ({ ...f, mime: 'the file' })),
      message: HELD_BY_RULES,
      canRecheck: false,
    };
  // A picture's bytes hold no text the index could read: the local rules decide it, as outputs.
  if (file.format === 'base64') return { state: 'shown' };
  // The raw-value check reads the text as stored (every reading holds the same values).
  const asked = gate.rawValueVerdict(experiment, {
    output_type: 'stream',
    name: 'stdout',
    text: file.content,
  } as never);
  if (!asked) return { state: 'shown' };
  const hold = rawValueHold(await asked.catch(() => null));
  if (!hold) return { state: 'shown' };
  if (hold.kind === 'raw-value')
    return {
      state: 'held',
      findings: [RAW_VALUE_FINDING],
      message: HELD_RAW_VALUE,
      canRecheck: false,
    };
  return {
    state: 'held',
    findings: [],
    message: rawValueUnavailableText(hold.reason, hold.fix).replace('this output', 'this file'),
    canRecheck: true,
  };
}

/**
 * Keeps one document hidden until its file is decided, and decides it again when asked (`recheck`),
 * when it is loaded from disk (`loaded`) and when the gate's sign-in or settings change. Only the
 * newest decision is shown.
 */
export class FileGateWatcher {
  private generation = 0;
  private disposed = false;
  /** The content last loaded and decided (a settled change to the same text is not decided again). */
  private decidedContent: string | null = null;
  /** What the last decision depended on besides the content (`decisionInputs`). */
  private decidedInputs = '';
  // New settings, sign-in or views: the content was already decided and shown or held; it stays
  // as it is until the new verdict (hiding it meanwhile would flicker). The gate also signals on
  // every approval poll, which changes nothing a file's verdict reads: those are not decided again.
  private readonly onGateChanged = (): void => {
    if (this.decisionInputs() !== this.decidedInputs) this.decide(false);
  };

  /** Starts hidden ("checking"); call `loaded` once the document has its content. */
  constructor(
    private readonly gate: OutputGate,
    private readonly document: GatedDocument,
    private readonly view: FileGateView,
    private readonly experiment: () => string | null,
  ) {
    view.render({ state: 'checking', message: CHECKING });
    gate.changed.connect(this.onGateChanged);
  }

  /** The content was loaded from disk (opened, reverted, reloaded): hide it and decide it. */
  loaded(): void {
    if (this.document.dirty) return;
    const content = this.document.read()?.content ?? null;
    if (content !== null && content === this.decidedContent) return;
    this.decidedContent = content;
    this.decide(true);
  }

  /** Decides the current content again ("Check again"); it stays hidden until the answer. */
  recheck(): void {
    this.decide(true);
  }

  /** Decides the current content; `hide`: show the checking notice until the verdict. */
  private decide(hide: boolean): void {
    if (this.disposed) return;
    const generation = ++this.generation;
    const file = this.document.read();
    if (!file) {
      this.view.render({ state: 'checking', message: CHECKING });
      return;
    }
    if (hide) this.view.render({ state: 'checking', message: CHECKING_RAW });
    this.decidedInputs = this.decisionInputs();
    decideFile(this.gate, file, this.experiment())
      .catch((): FileVerdict => ({
        state: 'held',
        findings: [],
        message: UNREADABLE,
        canRecheck: true,
      }))
      .then((verdict) => {
        if (!this.disposed && generation === this.generation) this.view.render(verdict);
      })
      .catch((error: unknown) => console.warn('Privet: could not show the file check.', error));
  }

  /**
   * Everything a file's verdict reads besides its content: the review settings, the experiment,
   * the sign-in (whose raw-value verdicts count) and the views the rules check rows against.
   */
  private decisionInputs(): string {
    const views = this.gate.checkContext()?.map((v) => v.name) ?? null;
    return JSON.stringify([
      this.gate.reviewPolicyKey,
      this.experiment(),
      this.gate.verdictEpoch,
      views,
    ]);
  }

  /** Stops following the gate (the document closed). */
  dispose(): void {
    this.disposed = true;
    this.gate.changed.disconnect(this.onGateChanged);
  }
}

/** The notice while the file is being loaded and checked. */
const CHECKING = 'Checking this file with Privet’s review check before it is shown…';
/** The notice while the gateway's raw-value verdict is awaited. */
const CHECKING_RAW = RAW_VALUE_CHECKING_TEXT.replace('this output', 'this file');
