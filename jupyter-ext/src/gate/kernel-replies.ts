/**
 * Why: some kernel replies put kernel text on screen, or into the notebook, without any output.
 * `set_next_input` payloads of an execute reply (IPython's `%load`,
 * `get_ipython().set_next_input(...)`) are written into a cell's source by JupyterLab's cell
 * executor; the completer lists a complete reply's matches (`d["` offers the keys of `d`) and its
 * documentation panel renders an inspect reply's text/plain with the plain text renderer, not with
 * the notebook's gated registry. So every reply a notebook's or console's kernel connection
 * receives is checked where it arrives: the connection's `anyMessage` signal fires before the
 * connection hands the message to its request's future, and the check edits the reply in place.
 * Held set_next_input text becomes a comment naming the rules, held matches are left out, and a
 * held inspect reply becomes the held text (the tooltip and the help panel, which render with the
 * gated registry, still show the rules through `heldReplyResult`).
 */
import type { ISessionContext } from '@jupyterlab/apputils';
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import { unreadableResult, type ReviewResult } from '@privet/core/review/index';
import { HELD_VALUE_HINT, heldValueText } from './debugger-variables.js';
import type { OutputGate } from './gate.js';
import { SessionKernel } from './session-kernel.js';

/** Why each held inspect reply's bundle was replaced, keyed by the replacement bundle. */
const heldBundles = new WeakMap<object, ReviewResult>();
/** Replies already checked (two views of one notebook share its kernel connection). */
const checkedReplies = new WeakSet<object>();

/** Why the bundle replaced a held kernel reply (the tooltip shows these rules), or undefined. */
export function heldReplyResult(data: object): ReviewResult | undefined {
  return heldBundles.get(data);
}

/** The review check of kernel text as if it were printed; content it cannot read is held. */
function checkText(gate: OutputGate, text: string): ReviewResult {
  try {
    return gate.checkOnce({ output_type: 'stream', name: 'stdout', text });
  } catch {
    return unreadableResult('text/plain', 'the review engine could not read this kernel text');
  }
}

/** The comment inserted instead of held set_next_input text. */
export function heldInputComment(result: ReviewResult): string {
  return [
    `# ${heldValueText(result)}`,
    '# The kernel asked to insert text here (set_next_input, e.g. %load); it was not inserted.',
    `# ${HELD_VALUE_HINT}`,
    '',
  ].join('\n');
}

/** Replaces held `set_next_input` payload text with a comment naming the rules. */
function gateExecuteReply(gate: OutputGate, content: Record<string, unknown>): void {
  const payload = content.payload;
  if (!Array.isArray(payload)) return;
  for (const item of payload as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const entry = item as Record<string, unknown>;
    if (entry.source !== 'set_next_input') continue;
    const result =
      typeof entry.text === 'string'
        ? checkText(gate, entry.text)
        : unreadableResult('text/plain', 'set_next_input text that is not a string');
    if (result.verdict !== 'pass') entry.text = heldInputComment(result);
  }
}

/** One completion entry as the completer shows and inserts it. */
interface CompletionType {
  text?: unknown;
  type?: unknown;
}

/** Leaves out held completion matches (and their type entries, which the completer inserts). */
function gateCompleteReply(gate: OutputGate, content: Record<string, unknown>): void {
  if (content.status !== 'ok' || !Array.isArray(content.matches)) return;
  const matches = (content.matches as unknown[]).map((m) => (typeof m === 'string' ? m : ''));
  const metadata =
    typeof content.metadata === 'object' && content.metadata !== null
      ? (content.metadata as Record<string, unknown>)
      : null;
  const rawTypes = metadata?._jupyter_types_experimental;
  const types = Array.isArray(rawTypes) ? (rawTypes as (CompletionType | null)[]) : null;
  const entryText = (i: number): string => {
    const t = types?.[i];
    const parts = [matches[i] ?? ''];
    if (t && typeof t.text === 'string') parts.push(t.text);
    if (t && typeof t.type === 'string') parts.push(t.type);
    return parts.join('\n');
  };
  const all = types ? Math.max(matches.length, types.length) : matches.length;
  const whole = Array.from({ length: all }, (_, i) => entryText(i)).join('\n');
  if (checkText(gate, whole).verdict === 'pass') return;
  // Some entry is held: keep the entries that pass one by one (a list of names can look like a
  // table of rows while the views are unknown, one name cannot).
  const kept = new Set<number>();
  for (let i = 0; i < all; i++) if (checkText(gate, entryText(i)).verdict === 'pass') kept.add(i);
  content.matches = matches.filter((_, i) => kept.has(i));
  if (!metadata || !types) return;
  if (types.length === matches.length) {
    metadata._jupyter_types_experimental = types.filter((_, i) => kept.has(i));
  } else {
    delete metadata._jupyter_types_experimental; // not aligned with the matches: labels only
  }
}

/** Replaces a held inspect reply's bundle with the held text (remembered for the tooltip). */
function gateInspectReply(gate: OutputGate, content: Record<string, unknown>): void {
  if (content.status !== 'ok' || content.found !== true) return;
  let result: ReviewResult;
  try {
    const data = content.data as Record<string, unknown>;
    const metadata = (content.metadata ?? {}) as Record<string, unknown>;
    result = gate.checkOnce({ output_type: 'display_data', data, metadata });
  } catch {
    result = unreadableResult('output', 'the review engine could not read this kernel reply');
  }
  if (result.verdict === 'pass') return;
  const held = { 'text/plain': `${heldValueText(result)}\n${HELD_VALUE_HINT}` };
  heldBundles.set(held, result);
  content.data = held;
  content.metadata = {};
}

/**
 * Checks the kernel text in one message received from a kernel, editing a held reply in place
 * before JupyterLab handles it (execute, complete and inspect replies; other messages unchanged).
 */
export function gateKernelReply(gate: OutputGate, msg: KernelMessage.IMessage): void {
  if (msg.channel !== 'shell' || checkedReplies.has(msg)) return;
  const content = msg.content as Record<string, unknown>;
  switch (msg.header.msg_type) {
    case 'execute_reply':
      gateExecuteReply(gate, content);
      break;
    case 'complete_reply':
      gateCompleteReply(gate, content);
      break;
    case 'inspect_reply':
      gateInspectReply(gate, content);
      break;
    default:
      return;
  }
  checkedReplies.add(msg);
}

/** Follows the kernel of one notebook's or console's session and checks the replies it receives. */
export class KernelReplyGate {
  private readonly kernel = new SessionKernel((previous, next) => {
    previous?.anyMessage.disconnect(this.onMessage, this);
    next?.anyMessage.connect(this.onMessage, this);
  });

  /** Creates the reply gate over the shared output gate. */
  constructor(private readonly gate: OutputGate) {}

  /** Follows the session's kernel from now on (idempotent). */
  watch(session: ISessionContext): void {
    this.kernel.watch(session);
  }

  /** Stops checking (the notebook or console is gone). */
  dispose(): void {
    this.kernel.dispose();
  }

  private onMessage(_: Kernel.IKernelConnection, args: Kernel.IAnyMessageArgs): void {
    if (args.direction === 'recv') gateKernelReply(this.gate, args.msg);
  }
}
