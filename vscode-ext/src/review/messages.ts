/** The one message contract between the review queue webview and the extension (both directions). */
import type { ReviewDecision, ReviewRequest } from '@privet/core/protocol';
import type { OutputPart } from '@privet/core/review/index';

/** Extension → webview: the queue (sent whole on every refresh) or a failure. */
export type ToReviewWebview =
  | { type: 'signedOut' }
  | {
      type: 'queue';
      user: string;
      /** True when the signed-in user holds the reviewer role (decision buttons shown). */
      reviewer: boolean;
      reviews: ReviewRequest[];
      /** Requests whose redacted preview does not show all an approval releases (open it first). */
      partial: string[];
      /** A one-line result of the last action, e.g. "rev-… approved". */
      notice?: string;
    }
  | { type: 'error'; message: string; fix: string }
  /** The whole output of one request, part by part, or why it could not be read. */
  | { type: 'output'; id: string; parts: OutputPart[] }
  | { type: 'outputError'; id: string; message: string };

/** Webview → extension: user actions. */
export type FromReviewWebview =
  | { type: 'ready' }
  | { type: 'refresh' }
  | { type: 'decide'; id: string; decision: ReviewDecision; comment: string }
  | { type: 'output'; id: string };

/** Validates a message from the webview (it is untrusted input); undefined when malformed. */
export function parseFromReviewWebview(raw: unknown): FromReviewWebview | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const m = raw as Record<string, unknown>;
  if (m.type === 'ready' || m.type === 'refresh') return { type: m.type };
  if (m.type === 'output' && typeof m.id === 'string') return { type: 'output', id: m.id };
  if (
    m.type === 'decide' &&
    typeof m.id === 'string' &&
    typeof m.comment === 'string' &&
    (m.decision === 'approve' || m.decision === 'reject' || m.decision === 'request_changes')
  )
    return { type: 'decide', id: m.id, decision: m.decision, comment: m.comment };
  return undefined;
}
