/**
 * Validation of reviewer-workflow request bodies. Every refusal says which field is wrong and how
 * to fix it, and never repeats the field's value (it may hold output data).
 */
import type {
  NotebookOutput,
  ReviewCommentRequest,
  ReviewDecision,
  ReviewDecisionRequest,
  ReviewStatusRequest,
  SubmitReviewRequest,
} from '@privet/core';
import { HttpError } from '../http/errors.js';
import { EXPERIMENT_ID } from '../experiments/artefacts.js';
import { textRefusal, type TextShape } from '../text/control-chars.js';

const VIEW_NAME = /^[a-z][a-z0-9_]{0,62}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const OUTPUT_TYPES = new Set(['stream', 'display_data', 'execute_result', 'error']);
const DECISIONS: readonly ReviewDecision[] = ['approve', 'reject', 'request_changes'];

/** Most content hashes one status call may ask about. */
export const MAX_STATUS_HASHES = 1000;
/** Longest justification or comment accepted, in characters. */
export const MAX_TEXT = 4000;

function bad(message: string, fix: string): HttpError {
  return new HttpError('bad_request', message, fix);
}

/** The body as a plain object, or a 400. */
export function objectBody(body: unknown, shape: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw bad(
      'the body must be a JSON object',
      `send ${shape} with Content-Type: application/json`,
    );
  return body as Record<string, unknown>;
}

/** A valid experiment id from a body field. */
export function experimentField(b: Record<string, unknown>): string {
  if (typeof b.experiment !== 'string' || !EXPERIMENT_ID.test(b.experiment))
    throw bad(
      '"experiment" is missing or malformed',
      'name an experiment id as listed by GET /api/v1/experiments',
    );
  return b.experiment;
}

/**
 * A text field; `shape` says which control characters it refuses (undefined: none, for text that
 * is output data rather than something a person wrote, such as a stream's earlier parts).
 */
function text(
  b: Record<string, unknown>,
  key: string,
  max: number,
  required: boolean,
  shape: TextShape | undefined,
): string {
  const v = b[key];
  if (v === undefined && !required) return '';
  if (typeof v !== 'string' || (required && v.trim() === ''))
    throw bad(
      `"${key}" must be a non-empty string`,
      `explain in "${key}" (at most ${max} characters)`,
    );
  if (v.length > max) throw bad(`"${key}" is longer than ${max} characters`, 'shorten it');
  const refusal = shape && textRefusal(`"${key}"`, v, shape);
  if (refusal) throw bad(refusal.message, refusal.fix);
  return v;
}

function optionalIndex(b: Record<string, unknown>, key: string): number | undefined {
  const v = b[key];
  if (v === undefined) return undefined;
  if (!Number.isSafeInteger(v) || (v as number) < 0)
    throw bad(`"${key}" must be a non-negative integer`, `send the ${key} as nbformat counts it`);
  return v as number;
}

/** Checks the shape of an nbformat output (the review check itself runs on it later). */
export function outputField(value: unknown, where = '"output"'): NotebookOutput {
  const o = value as { output_type?: unknown } | null;
  if (
    typeof o !== 'object' ||
    o === null ||
    Array.isArray(o) ||
    !OUTPUT_TYPES.has(String(o.output_type))
  )
    throw bad(
      `${where} is not an nbformat output`,
      'send the output object exactly as the kernel produced it (output_type stream, display_data, execute_result or error)',
    );
  return o as unknown as NotebookOutput;
}

/** A validated SubmitReviewRequest. */
export function submitBody(body: unknown): SubmitReviewRequest {
  const b = objectBody(body, '{ experiment, output, justification }');
  const out: SubmitReviewRequest = {
    experiment: experimentField(b),
    output: outputField(b.output),
    justification: text(b, 'justification', MAX_TEXT, true, 'lines'),
  };
  const notebook = text(b, 'notebook', 1000, false, 'line');
  if (notebook) out.notebook = notebook;
  const cellId = text(b, 'cellId', 200, false, 'line');
  if (cellId) out.cellId = cellId;
  // The cell's code, as its editor holds it: lines (CR LF on Windows) and tabs.
  const cellSource = text(b, 'cellSource', 100_000, false, 'lines');
  if (cellSource) out.cellSource = cellSource;
  const cellIndex = optionalIndex(b, 'cellIndex');
  if (cellIndex !== undefined) out.cellIndex = cellIndex;
  // Output the kernel wrote (progress bars rewrite lines with CR, colours are ESC sequences): the
  // review check reads it as data, and it is never shown as text a person wrote.
  const streamContext = text(b, 'streamContext', 65_536, false, undefined);
  if (streamContext) {
    if (out.output.output_type !== 'stream')
      throw bad(
        '"streamContext" was sent with an output that is not a stream',
        'send streamContext only with a stream output (the earlier parts of that stream)',
      );
    out.streamContext = streamContext;
  }
  const outputIndex = optionalIndex(b, 'outputIndex');
  if (outputIndex !== undefined) out.outputIndex = outputIndex;
  if (b.viewsUsed !== undefined) {
    const views = b.viewsUsed;
    if (
      !Array.isArray(views) ||
      views.length > 50 ||
      !views.every((v) => typeof v === 'string' && VIEW_NAME.test(v))
    )
      throw bad(
        '"viewsUsed" must be a list of view names',
        'send at most 50 lower_snake_case names',
      );
    out.viewsUsed = [...new Set(views as string[])];
  }
  return out;
}

/** A validated ReviewDecisionRequest. */
export function decisionBody(body: unknown): ReviewDecisionRequest {
  const b = objectBody(body, '{ decision, comment }');
  if (!DECISIONS.includes(b.decision as ReviewDecision))
    throw bad('"decision" is missing or unknown', `use one of ${DECISIONS.join(', ')}`);
  const comment = text(b, 'comment', MAX_TEXT, false, 'lines');
  return { decision: b.decision as ReviewDecision, ...(comment.trim() ? { comment } : {}) };
}

/** A validated ReviewCommentRequest. */
export function commentBody(body: unknown): ReviewCommentRequest {
  return { text: text(objectBody(body, '{ text }'), 'text', MAX_TEXT, true, 'lines') };
}

/** A validated ReviewStatusRequest. */
export function statusBody(body: unknown): ReviewStatusRequest {
  const b = objectBody(body, '{ experiment, contentHashes }');
  const hashes = b.contentHashes;
  if (
    !Array.isArray(hashes) ||
    hashes.length > MAX_STATUS_HASHES ||
    !hashes.every((h) => typeof h === 'string' && SHA256_HEX.test(h))
  )
    throw bad(
      '"contentHashes" must be a list of SHA-256 hex hashes',
      `send at most ${MAX_STATUS_HASHES} hashes from outputContentHash()`,
    );
  return { experiment: experimentField(b), contentHashes: hashes as string[] };
}
