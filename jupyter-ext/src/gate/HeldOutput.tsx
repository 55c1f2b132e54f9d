/**
 * The placeholder shown instead of a held output (or a held kernel reply such as a tooltip):
 * which rules fired and where (never the content), the review state, the conversation with the
 * reviewer (their comments, and a reply box once a review exists), and "Request review" / "Clear
 * output". An output that shows a raw identifier value says so and offers no review (none can
 * approve it); one the gateway could not check (its reviews or the raw values) says why and offers
 * "Check again". Plain buttons and a labelled text box, so everything is reachable with Tab;
 * Ctrl/Cmd+Enter sends a reply.
 */
import * as React from 'react';
import { ReactWidget } from '@jupyterlab/ui-components';
import { canRecheck, heldStateText, type HeldState } from './held-text.js';
import { ruleLabel, summarize } from './rule-labels.js';
import type { ReviewComment } from '@privet/core/protocol';
import type { Finding } from '@privet/core/review/index';

export type { HeldState } from './held-text.js';
export { summarize } from './rule-labels.js';

/** Props of the placeholder. */
export interface HeldOutputProps {
  verdict: 'flag' | 'block';
  findings: readonly Finding[];
  state: HeldState;
  reviewId?: string;
  busy: boolean;
  /** Comments on the review so far (reviewer feedback and replies), oldest first. */
  comments?: readonly ReviewComment[];
  /** Sends a reply to the reviewer; present once a review exists. Rejects with a readable error. */
  onReply?: (text: string) => Promise<void>;
  onRequestReview: () => void;
  onClear: () => void;
  /** In a code console (not saved, so the title says nothing about saving). */
  inConsole?: boolean;
  /** The stream a 'with-stream' part belongs to (stdout or stderr). */
  stream?: string;
  /** A kernel reply outside any output (tooltip, help panel): nothing to review or clear. */
  kernelReply?: boolean;
  /**
   * Why the gateway could not check the output against the raw data ('raw-unavailable'), or
   * could not say whether it was approved ('unavailable').
   */
  unavailable?: { reason: string; fix: string };
  /** Asks the gateway again ('unavailable', 'raw-unavailable'). */
  onRecheck?: () => void;
}

/** A comment's time in the user's locale (the ISO text when it cannot be read). */
function when(at: string): string {
  const t = Date.parse(at);
  return Number.isNaN(t) ? at : new Date(t).toLocaleString();
}

/** The comments on the review and a box to reply to the reviewer. */
function Conversation(props: {
  reviewId: string;
  comments: readonly ReviewComment[];
  onReply?: (text: string) => Promise<void>;
}): JSX.Element {
  const [text, setText] = React.useState('');
  const [sending, setSending] = React.useState(false);
  const [error, setError] = React.useState('');
  const boxId = `privet-held-reply-${props.reviewId}`;
  const send = async (): Promise<void> => {
    if (!props.onReply || sending) return;
    if (text.trim() === '') {
      setError('Write a reply first.');
      return;
    }
    setSending(true);
    setError('');
    try {
      await props.onReply(text.trim());
      setText('');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setSending(false);
    }
  };
  return (
    <section className="jp-Privet-heldConversation" aria-label="Review comments">
      {props.comments.length > 0 ? (
        <ol className="jp-Privet-heldComments">
          {props.comments.map((c, i) => (
            <li key={i} className="jp-Privet-heldComment">
              <span className="jp-Privet-heldCommentAuthor">{c.author}</span>{' '}
              <time dateTime={c.at}>{when(c.at)}</time>
              <div className="jp-Privet-heldCommentText">{c.text}</div>
            </li>
          ))}
        </ol>
      ) : null}
      {props.onReply ? (
        <div className="jp-Privet-heldReply">
          <label htmlFor={boxId}>Reply to the reviewer</label>
          <textarea
            id={boxId}
            className="jp-mod-styled"
            rows={2}
            value={text}
            disabled={sending}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void send();
            }}
          />
          <button
            type="button"
            className="jp-Button jp-mod-styled jp-mod-accept"
            disabled={sending}
            onClick={() => void send()}
          >
            Send reply
          </button>
          {error ? (
            <div className="jp-Privet-error" role="alert">
              {error}
            </div>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

/** The rules that fired, by name, with counts and MIME parts. */
export function RuleList(props: { findings: readonly Finding[] }): JSX.Element | null {
  const rules = summarize(props.findings);
  if (rules.length === 0) return null; // e.g. still being checked
  return (
    <ul className="jp-Privet-heldRules" aria-label="Rules that fired">
      {rules.map((r) => (
        <li key={r.rule} data-rule={r.rule}>
          {/* The rule's id (what a steward's policy names) is there, but muted, after the label. */}
          <span className="jp-Privet-heldRule" title={`Rule ${r.rule}`}>
            {ruleLabel(r.rule)}
          </span>
          {r.count > 1 ? ` ×${r.count}` : ''} in {r.mimes.join(', ')}
          {r.hints.map((hint) => (
            <div key={hint} className="jp-Privet-heldHint">
              {hint}
            </div>
          ))}
        </li>
      ))}
    </ul>
  );
}

/** The placeholder of a held kernel reply (tooltip, help panel): it cannot be reviewed there. */
function HeldReply(props: HeldOutputProps): JSX.Element {
  return (
    <div
      className="jp-Privet-held jp-Privet-heldReplyOnly"
      role="group"
      aria-label="Kernel reply held by Privet"
      data-verdict={props.verdict}
      data-state="kernel-reply"
    >
      <div className="jp-Privet-heldTitle">Kernel reply held by Privet — not shown</div>
      <RuleList findings={props.findings} />
      <div className="jp-Privet-heldState" role="status">
        Help and tooltips cannot be sent for review. To see this value, print it in a cell and
        request a review of that output.
      </div>
    </div>
  );
}

/** The placeholder's React tree. */
export function HeldOutput(props: HeldOutputProps): JSX.Element {
  if (props.kernelReply === true) return <HeldReply {...props} />;
  return <HeldPlaceholder {...props} />;
}

/** True when the page's focused element is inside `node`. */
function holdsFocus(node: HTMLElement | null): boolean {
  if (node === null) return false; // not drawn yet (or drawn to text on a server)
  for (let n = document.activeElement as Node | null; n !== null; n = n.parentNode)
    if (n === node) return true;
  return false;
}

/** True when no element has the page's focus (it fell to <body>). */
function focusLost(): boolean {
  const active = document.activeElement;
  return active === null || active === document.body;
}

/**
 * Keeps keyboard focus in the placeholder when the control that had it goes away (Request review
 * disabled while it is sent, then gone once pending): it moves to the state line, which says what
 * happened, instead of falling to the page. Focus the user moved elsewhere stays there.
 */
function useFocusKept(
  box: React.RefObject<HTMLDivElement>,
  status: React.RefObject<HTMLDivElement>,
  controls: string,
): void {
  // Inside at the last commit, or now (read while rendering: the commit may remove the button).
  const inside = React.useRef(false);
  const shown = React.useRef(controls);
  const hadFocus = inside.current || holdsFocus(box.current);
  React.useEffect(() => {
    // Only when the controls changed: a click on the page outside keeps the focus it gave.
    if (hadFocus && shown.current !== controls && focusLost()) status.current?.focus();
    shown.current = controls;
    inside.current = holdsFocus(box.current);
  });
}

/** The placeholder of a held output (see HeldOutput). */
function HeldPlaceholder(props: HeldOutputProps): JSX.Element {
  const box = React.useRef<HTMLDivElement>(null);
  const status = React.useRef<HTMLDivElement>(null);
  useFocusKept(box, status, `${props.state} ${props.busy}`);
  const canRequest = props.state === 'none' || props.state === 'changes_requested';
  const recheck = canRecheck(props.state) ? props.onRecheck : undefined;
  const inConsole = props.inConsole === true;
  const title =
    props.state === 'checking-raw'
      ? 'Output being checked — not shown yet'
      : `${props.verdict === 'block' ? 'Output blocked' : 'Output held for review'} — not shown${inConsole ? '' : ', and saved or copied only as a placeholder'}`;
  return (
    <div
      ref={box}
      className="jp-Privet-held"
      role="group"
      aria-label="Output held by Privet"
      data-verdict={props.verdict}
      data-state={props.state}
    >
      <div className="jp-Privet-heldTitle">{title}</div>
      <RuleList findings={props.findings} />
      <div ref={status} className="jp-Privet-heldState" role="status" tabIndex={-1}>
        {heldStateText(props)}
      </div>
      {props.reviewId && (props.comments?.length || props.onReply) ? (
        <Conversation
          reviewId={props.reviewId}
          comments={props.comments ?? []}
          {...(props.onReply ? { onReply: props.onReply } : {})}
        />
      ) : null}
      <div className="jp-Privet-heldActions">
        {canRequest ? (
          <HeldAction
            label="Request review"
            kind="accept"
            busy={props.busy}
            onClick={props.onRequestReview}
          />
        ) : null}
        {recheck ? (
          <HeldAction label="Check again" kind="accept" busy={props.busy} onClick={recheck} />
        ) : null}
        <HeldAction label="Clear output" kind="reject" busy={props.busy} onClick={props.onClear} />
      </div>
    </div>
  );
}

/** A ReactWidget around HeldOutput whose props can be replaced. */
export class HeldOutputWidget extends ReactWidget {
  /** Creates the widget with its first props. */
  constructor(private props: HeldOutputProps) {
    super();
    this.addClass('jp-Privet-heldWidget');
  }

  /** Replaces the props and re-renders. */
  setProps(props: HeldOutputProps): void {
    this.props = props;
    this.update();
  }

  protected render(): JSX.Element {
    return <HeldOutput {...this.props} />;
  }
}

/** One button of a held output's actions (JupyterLab's styled accept / reject buttons). */
function HeldAction(props: {
  label: string;
  kind: 'accept' | 'reject';
  busy: boolean;
  onClick: () => void;
}): React.ReactElement {
  return (
    <button
      type="button"
      className={`jp-Button jp-mod-styled jp-mod-${props.kind}`}
      disabled={props.busy}
      onClick={props.onClick}
    >
      {props.label}
    </button>
  );
}
