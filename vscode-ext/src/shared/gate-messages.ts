/**
 * Messages between the gate renderer (output webview) and the extension host: the renderer asks
 * whether a reviewer approved an output it would otherwise hold; the host answers from the
 * gateway's approvals of that output's exact content.
 */

/** The gate renderer's id (package.json `notebookRenderer`). */
export const GATE_RENDERER_ID = 'privet.gate';

/**
 * Renderer → host: was the output holding this item approved? The item is named by its MIME type
 * and text (the extension API does not expose the renderer's output ids), so the host finds the
 * outputs with that exact item.
 */
export interface ApprovalQuery {
  type: 'privet.approval?';
  requestId: number;
  mime: string;
  text: string;
}

/** Host → renderer: the answer to one query. */
export interface ApprovalAnswer {
  type: 'privet.approval';
  requestId: number;
  approved: boolean;
}

/** True for a well-formed ApprovalQuery. */
export function isApprovalQuery(message: unknown): message is ApprovalQuery {
  const m = message as Partial<ApprovalQuery> | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    m.type === 'privet.approval?' &&
    typeof m.requestId === 'number' &&
    typeof m.mime === 'string' &&
    typeof m.text === 'string'
  );
}

/** True for a well-formed ApprovalAnswer. */
export function isApprovalAnswer(message: unknown): message is ApprovalAnswer {
  const m = message as Partial<ApprovalAnswer> | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    m.type === 'privet.approval' &&
    typeof m.requestId === 'number' &&
    typeof m.approved === 'boolean'
  );
}

/**
 * Host → every renderer: what the host checks with changed (signed in, views loaded), so an item
 * held for want of an answer is asked about again (e.g. at start-up, before the stored token was
 * restored, the host could only say "no").
 */
export interface RecheckNotice {
  type: 'privet.recheck';
}

/** True for a RecheckNotice. */
export function isRecheckNotice(message: unknown): message is RecheckNotice {
  const m = message as Partial<RecheckNotice> | null;
  return typeof m === 'object' && m !== null && m.type === 'privet.recheck';
}
