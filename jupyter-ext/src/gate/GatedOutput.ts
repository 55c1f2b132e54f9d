/**
 * A renderer that stands in front of the real one: nothing reaches the DOM before the review
 * engine's verdict. Passed outputs are rendered from a snapshot of exactly the checked bytes
 * (a live stream may grow meanwhile; its growth is checked on the next call). Held outputs show
 * a placeholder until a reviewer approves their content hash. Streams are checked chunk by chunk
 * with one StreamChecker per output, so an identifier split across chunks is still found; an output
 * continuing a stream that another stream's write split off (stdout, stderr, stdout) is checked
 * with the earlier parts as context, and a held part holds the others (stream-parts.ts). A widget
 * output is checked with the state of every widget model it draws (widget-states.ts), and checked
 * again, before the widget redraws, whenever one of them changes.
 *
 * Signed in with an experiment (the notebook's, else the selected one: the one its outputs are
 * reviewed under), a notebook output is also shown only after the gateway's raw-value verdict on
 * exactly what the local check read (raw-value.ts; a stream with its earlier parts as context, on
 * every redraw; cached, so a redraw of the same content asks nothing). A raw value blocks the
 * output for good; no verdict holds it (fail closed) until the gate's `changed` signal, a redraw
 * or "Check again" asks again. Signed out or with no experiment there is no raw-value check:
 * nothing can leave without the gateway then, and it applies the rule itself at review and export;
 * but content the gateway held (a raw value, or no answer) stays held until a later clear verdict
 * on it (gate.ts `heldWithoutCheck`), and an output drawn meanwhile is checked once a check can be
 * made (the next `changed` signal: sign-in, experiment selected), as is one checked under other
 * review settings (the signed-in gateway's policy, review-policy.ts).
 * Kernel replies (tooltips, help) stay local-only. A widget's new states are asked about as they
 * arrive, one call at a time and at most ten a second per output (widget-updates.ts); while no
 * verdict is in, the widget is painted transparent from the first frame that would draw it, with
 * a copy of what it showed before laid over it (verified-paint.ts: a progress bar does not blink),
 * and a raw value holds it (an echo of the user's own input is drawn meanwhile).
 */
import { MimeModel } from '@jupyterlab/rendermime';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { PanelLayout, Widget } from '@lumino/widgets';
import {
  approvalHash,
  approvalText,
  drawnMetadata,
  type Finding,
  holdingRules,
  holdWhileViewsUnknown,
  type NotebookOutput,
  StreamChecker,
  streamContextBefore,
  type StreamOutput,
  unreadableResult,
  type Verdict,
  type ViewUsed,
  WIDGET_VIEW_MIME,
  widgetCheckInput,
  widgetFinding,
  withFinding,
} from '@privet/core/review/index';
import type { ReviewComment, ReviewState } from '@privet/core/protocol';
import type { GateHost } from './host.js';
import type { LocalCheck } from './gate.js';
import type { RawValueVerdict } from '@privet/core/client/index';
import { rawValueHold, withRawValueHold, type RawValueHold } from './raw-value.js';
import { heldReplyResult } from './kernel-replies.js';
import { HeldOutputWidget, summarize, type HeldOutputProps, type HeldState } from './HeldOutput.js';
import { approvalLookupProblem, recheckProps } from './held-text.js';
import { askJustification } from './justification.js';
import { submitForReview } from './submit.js';
import type { HeldStreamPart } from './stream-parts.js';
import type { WidgetStateArrival, WidgetStates } from './widget-states.js';
import { WidgetUpdateChecks } from './widget-updates.js';
import { VERIFYING_CLASS } from './verified-paint.js';

/** An output model (IOutputModel) as far as the gate needs it. */
interface OutputLike extends IRenderMime.IMimeModel {
  readonly type: string;
  toJSON(): unknown;
}

/** True for models of notebook outputs (tooltips and the help panel pass plain MimeModels). */
function isOutputModel(model: IRenderMime.IMimeModel): model is OutputLike {
  const m = model as Partial<OutputLike>;
  return typeof m.type === 'string' && typeof m.toJSON === 'function';
}

/** What a rendering replaced by a newer one before its call went out gets (never shown). */
const SUPERSEDED: RawValueVerdict = {
  state: 'unavailable',
  reason: 'a newer rendering of this output is checked instead',
  fix: 'none needed',
};

/** How long the gateway's verdict may take before the placeholder says it is being checked. */
const CHECKING_SHOWN_AFTER_MS = 300;

/** The worse of two verdicts. */
function worse(a: Verdict, b: Verdict): Verdict {
  const rank = { pass: 0, flag: 1, block: 2 } as const;
  return rank[b] > rank[a] ? b : a;
}

/** A review state as the placeholder shows it (an approval re-renders the output instead). */
function heldState(state: ReviewState | 'none'): HeldState {
  return state === 'approved' ? 'checking' : state;
}

/** A check and the output it read (a widget output with the states it draws). */
interface CheckedOutput extends LocalCheck {
  checked: NotebookOutput;
}

/** The verdict for an output the engine could not check. */
function unreadable(output: NotebookOutput): CheckedOutput {
  return { result: unreadableResult(), unknownReleases: new Map(), checked: output };
}

/** Progress of one streamed output. */
interface StreamProgress {
  checker: StreamChecker;
  /** The earlier parts of the stream in the cell (streamContextBefore), fed to the checker first. */
  context: string;
  seen: string;
  /** Whether the views were known when the checker was made. */
  viewsKnown: boolean;
  /** The review settings it checks with (OutputGate.reviewPolicyKey). */
  policy: string;
  verdict: Verdict;
  findings: Finding[];
}

/** A held output, as the actions need it. */
interface Held {
  output: NotebookOutput;
  model: OutputLike;
  verdict: 'flag' | 'block';
  findings: Finding[];
  hash: string | null;
  state: HeldState;
  reviewId?: string;
  /** Comments on the review (reviewer feedback, replies), when one exists. */
  comments?: ReviewComment[];
  /** The stream of a part held with another part of it ('with-stream'). */
  stream?: string;
  /**
   * Why the gateway could not check it against the raw data ('raw-unavailable'), or could not
   * say whether it was approved ('unavailable').
   */
  unavailable?: { reason: string; fix: string };
}

/** The gating renderer wrapped around every renderer a notebook creates. */
export class GatedOutput extends Widget implements IRenderMime.IRenderer {
  private generation = 0;
  private stream: StreamProgress | null = null;
  private held: Held | null = null;
  private placeholder: HeldOutputWidget | null = null;
  private innerShown = false;
  private busy = false;
  /** The generation waiting for the gateway's raw-value verdict (0: none). */
  private awaitingGateway = 0;
  /** The gate's verdict epoch in which the gateway cleared what is drawn (null: not cleared). */
  private clearedIn: number | null = null;
  /** The review settings the output was last checked with (OutputGate.reviewPolicyKey). */
  private checkedPolicy = '';
  /** The notebook output model being decided (null for kernel replies such as tooltips). */
  private current: IRenderMime.IMimeModel | null = null;
  /** The widget models the current output draws (empty for any other output). */
  private widgetModels: ReadonlySet<string> = new Set();
  /** Raw-value checks of the widget states the output draws, as they arrive. */
  private readonly widgetUpdates = new WidgetUpdateChecks({
    node: this.node,
    drawn: () => (this.innerShown && !this.held ? this.inner : null),
    checkedNow: () => this.widgetCheckedNow(),
    ask: (checked) => this.host.gate.rawValueVerdict(this.host.experiment(), checked, '', true),
    hold: () => {
      const model = this.current;
      this.inner.addClass(VERIFYING_CLASS); // off the screen until the placeholder replaces it
      if (model) void this.renderModel(model);
    },
  });

  /**
   * Wraps `inner`; `host` gives the gate and the notebook the output lives in; `renew` makes a new
   * inner renderer with the registry's current factory (see `reveal`).
   */
  constructor(
    private inner: IRenderMime.IRenderer,
    private readonly host: GateHost,
    private readonly renew?: () => IRenderMime.IRenderer,
  ) {
    super();
    this.addClass('jp-Privet-gated');
    this.layout = new PanelLayout();
    host.gate.changed.connect(this.onGateChanged, this);
    host.widgets.stateReceived.connect(this.onWidgetReceived, this);
    host.widgets.stateApplied.connect(this.onWidgetApplied, this);
    host.streams.changed.connect(this.onStreamPartsChanged, this);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.host.gate.changed.disconnect(this.onGateChanged, this);
    this.host.widgets.stateReceived.disconnect(this.onWidgetReceived, this);
    this.host.widgets.stateApplied.disconnect(this.onWidgetApplied, this);
    this.host.streams.changed.disconnect(this.onStreamPartsChanged, this);
    if (this.current) this.host.streams.set(this.current, null);
    this.widgetUpdates.stop();
    this.inner.dispose();
    super.dispose();
  }

  /** Checks the model, then renders it or the placeholder. */
  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    if (!isOutputModel(model)) return this.renderKernelReply(model);
    const generation = ++this.generation;
    if (this.current !== model && this.current) this.host.setShown(this.current, false);
    this.current = model;
    this.clearedIn = null;
    const start = performance.now();
    const output = model.toJSON() as NotebookOutput;
    // Only metadata that sizes or frames the drawing reaches the renderer (see drawnMetadata).
    const snapshot = new MimeModel({
      data: { ...model.data },
      metadata: drawnMetadata(model.metadata),
      trusted: model.trusted,
    });
    let mark = this.widgetUpdates.mark;
    let local = this.checkOrHold(output, 'an output');
    this.host.gate.recordOverhead(start, {
      mime: Object.keys(model.data).join(','),
      verdict: local.result.verdict,
    });
    if (local.unknownReleases.size > 0 && output.output_type !== 'stream') {
      if (await this.host.gate.verifyReleases(local.unknownReleases)) {
        if (generation !== this.generation) return;
        mark = this.widgetUpdates.mark;
        local = this.checkOrHold(output, 'an output');
      }
    }
    if (generation !== this.generation) return;
    const before =
      output.output_type === 'stream'
        ? (this.stream?.context ?? this.streamContext(output.name))
        : '';
    // Held whatever the gateway says: off the screen now, synchronously (a widget's new state, or
    // a part of a stream another part of which became held, must not stay drawn meanwhile).
    const { verdict: localVerdict, findings: localFindings } = local.result;
    if (localVerdict !== 'pass') {
      if (output.output_type === 'stream')
        this.host.streams.set(model, {
          name: output.name,
          verdict: localVerdict,
          findings: localFindings,
        });
      this.hold({
        output: local.checked,
        model,
        verdict: localVerdict,
        findings: localFindings,
        hash: null,
        state: 'checking',
      });
    } else if (output.output_type === 'stream') {
      const others = this.heldParts(model, output.name);
      if (others.length > 0) this.holdWithStream(model, output, others);
    }
    const epoch = this.host.gate.verdictEpoch;
    const raw = await this.rawValueVerdict(generation, model, local, before, output);
    if (generation !== this.generation) return;
    if (raw?.state === 'clear') this.clearedIn = epoch;
    // No check possible (signed out, no experiment): held if the gateway held this content.
    const gatewayHold = raw ? rawValueHold(raw) : this.host.gate.heldWithoutCheck(output, before);
    const { verdict, findings } = withRawValueHold(local.result, gatewayHold);
    if (output.output_type === 'stream') {
      this.host.streams.set(
        model,
        verdict === 'pass' ? null : { name: output.name, verdict, findings },
      );
      const others = verdict === 'pass' ? this.heldParts(model, output.name) : [];
      if (others.length > 0) return this.holdWithStream(model, output, others);
    }
    if (verdict === 'pass') return this.reveal(snapshot, generation, mark);
    if (gatewayHold) return this.holdOnGateway(model, local.checked, findings, gatewayHold);
    // Held as checked: a widget output with the states it draws (what a reviewer must see).
    await this.decideHeld(
      generation,
      { output: local.checked, model, verdict, findings, hash: null, state: 'checking' },
      snapshot,
      mark,
    );
  }

  /**
   * The gateway's raw-value verdict on what the local check read (`local.checked`; a stream after
   * its earlier parts `before`), or null when none is asked for (signed out, no experiment). While
   * it is awaited nothing new is drawn; when the wait is visible and nothing is on screen yet, the
   * placeholder says the output is being checked. Meanwhile `saved` (the output as the notebook
   * saves it) is written to disk only as a placeholder; the gate remembers the verdict for it.
   */
  private async rawValueVerdict(
    generation: number,
    model: OutputLike,
    local: CheckedOutput,
    before: string,
    saved: NotebookOutput,
  ): Promise<RawValueVerdict | null> {
    const experiment = this.host.experiment();
    if (!this.host.gate.checksRawValues(experiment)) return null;
    this.awaitingGateway = generation;
    const timer = setTimeout(() => {
      if (generation !== this.generation || this.innerShown || this.held) return;
      const { verdict, findings } = local.result;
      this.hold({
        output: local.checked,
        model,
        verdict: verdict === 'pass' ? 'flag' : verdict,
        findings,
        hash: null,
        state: 'checking-raw',
      });
    }, CHECKING_SHOWN_AFTER_MS);
    try {
      // A rendering replaced before its call goes out asks nothing (core spaces the calls).
      const pending = this.host.gate.latestRawValueVerdict(
        experiment,
        local.checked,
        before,
        () => generation === this.generation,
        saved, // not saved as it is until the gateway cleared it
      );
      return pending ? ((await pending) ?? SUPERSEDED) : null;
    } finally {
      clearTimeout(timer);
      if (this.awaitingGateway === generation) this.awaitingGateway = 0;
    }
  }

  /**
   * Holds an output on the gateway's verdict: a raw value (no review can approve it, so the
   * reviews are not asked about), or no verdict (fail closed, with the gateway's reason).
   */
  private holdOnGateway(
    model: OutputLike,
    checked: NotebookOutput,
    findings: Finding[],
    hold: RawValueHold,
  ): void {
    this.hold({
      output: checked,
      model,
      verdict: 'block',
      findings,
      hash: null,
      state: hold.kind,
      ...(hold.kind === 'raw-unavailable'
        ? { unavailable: { reason: hold.reason, fix: hold.fix } }
        : {}),
    });
  }

  /**
   * A kernel reply rendered outside any output — the tooltip (Shift+Tab), the help panel, the
   * debugger's "Render Variable" — is checked like a displayed output. It cannot be sent for
   * review, so a held one only says which rules fired. (Markdown cells never come here: they
   * render with the ungated registry.) An inspect reply already held where it arrived
   * (kernel-replies.ts) carries only the held text: its placeholder names the rules that held it.
   */
  private async renderKernelReply(model: IRenderMime.IMimeModel): Promise<void> {
    const generation = ++this.generation;
    this.current = null;
    const data = { ...model.data };
    const output = {
      output_type: 'display_data',
      data,
      metadata: { ...model.metadata },
    } as NotebookOutput;
    const { verdict, findings } =
      heldReplyResult(model.data) ?? this.checkOrHold(output, 'a kernel reply').result;
    const snapshot = new MimeModel({
      data,
      metadata: drawnMetadata(model.metadata),
      trusted: model.trusted,
    });
    if (verdict === 'pass') return this.reveal(snapshot, generation);
    this.held = null; // nothing to re-decide, review or clear
    this.showPlaceholder({
      verdict,
      findings,
      state: 'none',
      busy: false,
      onRequestReview: () => undefined,
      onClear: () => undefined,
      kernelReply: true,
    });
  }

  /** `check`, failing closed: content the engine cannot read is held, never shown. */
  private checkOrHold(output: NotebookOutput, what: string): CheckedOutput {
    try {
      return this.check(output);
    } catch (error) {
      console.warn(`Privet: the review engine failed on ${what}; it stays hidden.`, error);
      return unreadable(output);
    }
  }

  /**
   * Runs the engine (streams incrementally; a widget output with the states it draws); holds
   * possible tables while views are unknown.
   */
  private check(output: NotebookOutput): CheckedOutput {
    const views = this.host.gate.checkContext();
    this.checkedPolicy = this.host.gate.reviewPolicyKey;
    if (output.output_type === 'stream') {
      this.widgetModels = new Set();
      const local = this.checkStream(output, views);
      const result = holdWhileViewsUnknown(output, local.result, views !== null);
      return { ...local, result, checked: output };
    }
    const widget = widgetCheckInput(output, this.host.widgets.books());
    this.widgetModels = new Set(widget.models);
    const local = this.host.gate.check(widget.output, views ?? []);
    const result = holdWhileViewsUnknown(
      widget.output,
      withFinding(
        local.result,
        widget.unreadable === undefined ? null : widgetFinding(widget.unreadable),
      ),
      views !== null,
    );
    return { ...local, result, checked: widget.output };
  }

  /**
   * A new state arrived for a widget model this output draws, before the widget manager applies
   * it: a shown widget that no longer passes is held at once (the placeholder replaces it
   * synchronously, so the widget never draws that state). The raw-value check of what passes is
   * widget-updates.ts's: transparent until the verdict, the last verified paint in its place.
   */
  private onWidgetReceived(_: WidgetStates, arrival: WidgetStateArrival): void {
    const model = this.current;
    if (!model || !isOutputModel(model) || !this.widgetModels.has(arrival.model)) return;
    this.widgetCheckedNow(); // holds at once what no longer passes (nothing while held)
    this.widgetUpdates.received(arrival.model, arrival.echo);
  }

  /** What the drawn widget output shows now, if it passes the local check (else held: null). */
  private widgetCheckedNow(): NotebookOutput | null {
    const model = this.current;
    if (this.held || !model || !isOutputModel(model)) return null;
    const { result, checked } = this.checkOrHold(model.toJSON() as NotebookOutput, 'a widget');
    if (result.verdict === 'pass') return checked;
    void this.renderModel(model);
    return null;
  }

  /**
   * The widget manager applied a new state of a model this output draws: a held widget is drawn
   * again once what it would draw now, and what arrived since, pass, and decided again when the
   * rules that hold it changed (e.g. its state arrived: "not seen" becomes "email"). A state held
   * by the same rules keeps the placeholder, without asking the gateway about every update.
   */
  private onWidgetApplied(_: WidgetStates, modelId: string): void {
    this.widgetUpdates.applied(modelId);
    const model = this.current;
    const held = this.held;
    if (!held || this.busy || !model || !this.widgetModels.has(modelId)) return;
    if (!isOutputModel(model)) return;
    const { result } = this.checkOrHold(model.toJSON() as NotebookOutput, 'a widget');
    const rules = (findings: readonly Finding[]): string => holdingRules(findings).join(',');
    if (result.verdict === 'pass' || rules(result.findings) !== rules(held.findings))
      void this.renderModel(model);
  }

  /** Pushes what a stream added since the last call into its StreamChecker. */
  private checkStream(output: StreamOutput, views: ViewUsed[] | null): LocalCheck {
    const text = typeof output.text === 'string' ? output.text : output.text.join('');
    const known = views !== null;
    const context = this.streamContext(output.name);
    const policy = this.host.gate.reviewPolicyKey;
    if (
      !this.stream ||
      !text.startsWith(this.stream.seen) ||
      this.stream.viewsKnown !== known ||
      this.stream.context !== context ||
      this.stream.policy !== policy
    ) {
      // New stream, a cleared one, new earlier parts, the views just became known, or other
      // review settings: scan it whole again, after the earlier parts of the stream in the cell.
      const checker = new StreamChecker({
        mode: 'display',
        viewsUsed: views ?? [],
        policy: this.host.gate.reviewPolicy,
      });
      if (context !== '') checker.prime(context, output.name);
      this.stream = {
        checker,
        context,
        seen: '',
        viewsKnown: known,
        policy,
        verdict: 'pass',
        findings: [],
      };
    }
    const s = this.stream;
    if (text.length > s.seen.length) {
      const result = s.checker.push(text.slice(s.seen.length), output.name);
      s.seen = text;
      s.verdict = worse(s.verdict, result.verdict);
      s.findings.push(...result.findings);
    }
    return {
      result: { verdict: s.verdict, findings: s.findings, redactedPreview: '' },
      unknownReleases: new Map(),
    };
  }

  /**
   * The models of the outputs of the cell holding `model`, and its index; for a stream output
   * outside any cell (the Log Console), the stream outputs drawn there; else null.
   */
  private cellOutputs(
    model: IRenderMime.IMimeModel,
  ): { models: IRenderMime.IMimeModel[]; index: number } | null {
    const place = this.host.locate(model);
    if (!place)
      return isOutputModel(model) && model.type === 'stream'
        ? this.host.unplacedStreams(model)
        : null;
    const list = place.cell.outputs;
    const models = Array.from({ length: list.length }, (_, i) => list.get(i));
    return { models, index: place.outputIndex };
  }

  /** The text of the earlier parts of stream `name` in the current output's cell. */
  private streamContext(name: string): string {
    const place = this.current ? this.cellOutputs(this.current) : null;
    if (!place || place.index === 0) return '';
    const earlier = place.models
      .slice(0, place.index)
      .map((m) => (isOutputModel(m) && m.type === 'stream' ? m.toJSON() : null));
    return streamContextBefore(earlier, place.index, name);
  }

  /** The other parts of stream `name` in `model`'s cell that are held on their own findings. */
  private heldParts(model: IRenderMime.IMimeModel, name: string): HeldStreamPart[] {
    const place = this.cellOutputs(model);
    return place ? this.host.streams.heldAmong(place.models, model, name) : [];
  }

  /** Holds a part that passes alone because other parts of its stream are held. */
  private holdWithStream(
    model: OutputLike,
    output: StreamOutput,
    others: readonly HeldStreamPart[],
  ): void {
    this.hold({
      output,
      model,
      verdict: others.some((p) => p.verdict === 'block') ? 'block' : 'flag',
      findings: others.flatMap((p) => p.findings),
      hash: null,
      state: 'with-stream',
      stream: output.name,
    });
  }

  /**
   * Another stream output of the notebook became held, or stopped being held: a part of the same
   * stream that is shown, or held only with the others, decides again.
   */
  private onStreamPartsChanged(): void {
    const model = this.current;
    if (!model || this.busy || !isOutputModel(model) || model.type !== 'stream') return;
    if (this.held && this.held.state !== 'with-stream') return; // held on its own findings
    const name = (model.toJSON() as StreamOutput).name;
    if (this.held || this.heldParts(model, name).length > 0) void this.renderModel(model);
  }

  /** Shows the placeholder, then asks whether the content was approved. */
  private async decideHeld(
    generation: number,
    held: Held,
    snapshot: MimeModel,
    mark: number,
  ): Promise<void> {
    this.hold(held);
    const gate = this.host.gate;
    if (!gate.client) return this.hold({ ...held, state: 'signed-out' });
    const experiment = this.host.experiment();
    if (!experiment) return this.hold({ ...held, state: 'no-experiment' });
    // A stream part's approval covers the earlier parts of its stream it was checked after.
    const before = held.output.output_type === 'stream' ? this.streamContext(held.output.name) : '';
    const hash = await approvalHash(held.output, before);
    if (generation !== this.generation) return;
    let state: HeldState = 'unavailable';
    let reviewId: string | undefined;
    let unavailable: Held['unavailable'];
    try {
      const status = await gate.approval(experiment, hash);
      if (generation !== this.generation) return;
      if (status?.state === 'approved') {
        gate.rememberApproved(experiment, approvalText(held.output, before));
        return this.reveal(snapshot, generation, mark);
      }
      state = status ? heldState(status.state) : 'none';
      reviewId = status?.reviewId;
    } catch (error) {
      unavailable = approvalLookupProblem(error);
      console.warn('Privet: could not ask the gateway whether the output was approved.', error);
    }
    this.hold({ ...held, hash, state, reviewId, unavailable });
    if (reviewId) await this.loadComments(generation, reviewId);
  }

  /** Fetches the review's comments and shows them (a failure only leaves them out). */
  private async loadComments(generation: number, reviewId: string): Promise<void> {
    const client = this.host.gate.client;
    if (!client) return;
    try {
      const review = await client.getReview(reviewId);
      const held = this.held;
      if (generation !== this.generation || !held || held.reviewId !== reviewId) return;
      this.hold({ ...held, comments: review.comments });
    } catch (error) {
      console.warn('Privet: could not load the review comments.', error);
    }
  }

  /** Sends the analyst's reply to the reviewer, then shows the updated comments. */
  private async reply(text: string): Promise<void> {
    const held = this.held;
    const client = this.host.gate.client;
    if (!held?.reviewId || !client) throw new Error('Sign in to Privet to reply.');
    const review = await client.commentReview(held.reviewId, { text });
    if (this.held?.reviewId === review.id) this.hold({ ...this.held, comments: review.comments });
  }

  /**
   * Renders the real output (from checked bytes) in place of the placeholder; `mark`: the widget
   * states the check read (WidgetUpdateChecks.mark; none for a kernel reply, which draws none).
   */
  private async reveal(
    model: IRenderMime.IMimeModel,
    generation?: number,
    mark?: number,
  ): Promise<void> {
    if (!this.innerShown && this.renew && WIDGET_VIEW_MIME in model.data) {
      // A widget renderer made before the notebook's widget manager was ready (a reopened
      // notebook renders its outputs first) waits for the manager forever: the manager is handed
      // only to renderers it finds among the output area's children, and this one is wrapped. The
      // notebook's registry has the manager's factory by now: draw with a renderer made by it.
      this.inner.dispose();
      this.inner = this.renew();
    }
    await this.inner.renderModel(model);
    // A newer call may have held the output meanwhile: then it decides what is shown.
    if (generation !== undefined && generation !== this.generation) return;
    this.held = null;
    if (this.current) this.host.streams.set(this.current, null); // approved: it holds no other part
    if (this.placeholder) {
      this.placeholder.dispose();
      this.placeholder = null;
    }
    if (!this.innerShown) {
      (this.layout as PanelLayout).addWidget(this.inner);
      this.innerShown = true;
    }
    this.removeClass('jp-Privet-gatedHeld');
    this.inner.removeClass(VERIFYING_CLASS);
    this.widgetUpdates.drawnAt(mark ?? this.widgetUpdates.mark);
    if (this.current) this.host.setShown(this.current, true);
  }

  /** Shows the placeholder (and takes the real output out of the DOM). */
  private hold(held: Held): void {
    this.held = held;
    this.showPlaceholder({
      verdict: held.verdict,
      findings: held.findings,
      state: held.state,
      reviewId: held.reviewId,
      busy: this.busy,
      ...(held.comments ? { comments: held.comments } : {}),
      ...(held.reviewId ? { onReply: (text: string) => this.reply(text) } : {}),
      onRequestReview: () => void this.requestReview(),
      onClear: () => this.clearOutput(),
      inConsole: this.host.kind === 'console',
      ...(held.stream ? { stream: held.stream } : {}),
      ...recheckProps(held, () => void this.renderModel(held.model)),
    });
  }

  /** Puts the placeholder with `props` where the real output would be. */
  private showPlaceholder(props: HeldOutputProps): void {
    if (this.current) this.host.setShown(this.current, false);
    this.widgetUpdates.stop();
    if (this.innerShown) {
      (this.layout as PanelLayout).removeWidget(this.inner);
      this.inner.node.replaceChildren();
      this.innerShown = false;
    }
    if (this.placeholder) this.placeholder.setProps(props);
    else {
      this.placeholder = new HeldOutputWidget(props);
      (this.layout as PanelLayout).addWidget(this.placeholder);
    }
    this.addClass('jp-Privet-gatedHeld');
  }

  /**
   * Re-decides a held output (or one waiting for the gateway's verdict, or shown but stale) when
   * sign-in, selection or a review state changed.
   */
  private onGateChanged(): void {
    if (this.busy) return;
    const waiting = this.awaitingGateway !== 0 && this.awaitingGateway === this.generation;
    const model = this.held?.model ?? (waiting || this.shownStale() ? this.current : null);
    if (model) void this.renderModel(model);
  }

  /**
   * True when the drawn output was checked under other review settings than the gate's now, or
   * has no clear raw-value verdict from this sign-in while one can be asked for (drawn signed
   * out, or with no experiment): it is checked again, and held if it no longer passes.
   */
  private shownStale(): boolean {
    const model = this.current;
    if (!this.innerShown || this.held || !model || !isOutputModel(model)) return false;
    const gate = this.host.gate;
    if (this.checkedPolicy !== gate.reviewPolicyKey) return true;
    return gate.checksRawValues(this.host.experiment()) && this.clearedIn !== gate.verdictEpoch;
  }

  /** "Request review": justification, then POST /reviews with the cell's context. */
  private async requestReview(): Promise<void> {
    const held = this.held;
    if (!held) return;
    const rules = summarize(held.findings)
      .map((r) => r.rule)
      .join(', ');
    const justification = await askJustification(rules);
    if (justification === null) return;
    this.busy = true;
    this.hold(held);
    try {
      const streamContext =
        held.output.output_type === 'stream' ? this.streamContext(held.output.name) : '';
      const sent = await submitForReview(this.host, { ...held, justification, streamContext });
      if (sent && this.held === held) {
        const { review, hash } = sent;
        this.held = { ...held, hash, state: heldState(review.state), reviewId: review.id };
      }
    } finally {
      this.busy = false;
      if (this.held) this.hold(this.held);
    }
  }

  /** "Clear output": clears the outputs of the cell holding this output. */
  private clearOutput(): void {
    if (this.held) this.host.locate(this.held.model)?.cell.outputs.clear();
  }
}
