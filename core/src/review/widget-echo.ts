/**
 * Why: ipywidgets 8 kernels answer every state change the frontend sends (a slider dragged, a
 * text box typed into) with an `echo_update` repeating it. Such an echo shows nothing the user did
 * not just enter, so a host may draw it at once, while state the kernel made up itself waits for
 * the gateway's raw-value verdict before it is painted. An echo is recognized by content, not by
 * its method name: a kernel can send `echo_update` with anything, and only values equal to what
 * the frontend sent for that model count. Pure bookkeeping over message objects: no I/O.
 */
import type { KernelMessageLike } from './widget-state.js';

/** Most models whose sent state is remembered (bounds memory on a chatty frontend). */
const MAX_MODELS = 10_000;

/**
 * Recent values kept per key: a drag sends many, and the kernel's echoes trail behind them (an
 * echo of an earlier value is still the user's own).
 */
const RECENT_VALUES = 64;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A widget `comm_msg` as far as echoes are concerned. */
function stateMessage(
  msg: KernelMessageLike,
  method: string,
): { id: string; state: Record<string, unknown> } | null {
  if (msg.header.msg_type !== 'comm_msg' || (msg.buffers?.length ?? 0) > 0) return null;
  const content = msg.content;
  if (!isRecord(content) || typeof content.comm_id !== 'string') return null;
  const data = content.data;
  if (!isRecord(data) || data.method !== method || !isRecord(data.state)) return null;
  return { id: content.comm_id, state: data.state };
}

/** The widget state values the frontend sent, by model, to tell its echoes from new state. */
export class FrontendEchoes {
  /** Per model: each key's recently sent values, as JSON, oldest first. */
  private readonly sent = new Map<string, Map<string, string[]>>();

  /** Records a message the frontend sent to the kernel (only state `update`s count). */
  noteSent(msg: KernelMessageLike): void {
    const update = stateMessage(msg, 'update');
    if (!update) return;
    let values = this.sent.get(update.id);
    if (!values) {
      if (this.sent.size >= MAX_MODELS) this.sent.clear();
      values = new Map();
      this.sent.set(update.id, values);
    }
    for (const [key, value] of Object.entries(update.state)) {
      const recent = values.get(key) ?? [];
      recent.push(JSON.stringify(value));
      if (recent.length > RECENT_VALUES) recent.shift();
      values.set(key, recent);
    }
  }

  /**
   * True when `msg` (from the kernel) is an `echo_update` every value of which the frontend
   * recently sent for that model: nothing in it came from the kernel. An empty or binary echo is
   * not one.
   */
  isEcho(msg: KernelMessageLike): boolean {
    const echo = stateMessage(msg, 'echo_update');
    const values = echo ? this.sent.get(echo.id) : undefined;
    if (!echo || !values) return false;
    const entries = Object.entries(echo.state);
    return (
      entries.length > 0 &&
      entries.every(([key, value]) => values.get(key)?.includes(JSON.stringify(value)) === true)
    );
  }

  /** Forgets everything sent (the kernel changed or restarted). */
  clear(): void {
    this.sent.clear();
  }
}
