// Why: the worker side of request bodies handed over as bytes (output-worker-protocol.ts `open`):
// parsing and validating 16–32 MB of JSON, and serializing what goes back, cost the gateway's event
// loop tens of milliseconds each, so they happen here. A body is kept between the step that reads
// what the main thread needs (experiment, lookups, DP releases) and the step that checks it.
import type { CreateExportRequest, OutputLeakItem, SubmitReviewRequest } from '@privet/core';
import { filterWithLookups, notebookOutputs, type ExportLookups } from '../export/lookups.js';
import { rawValueLookups } from '../export/filter.js';
import { parseExportRequest } from '../export/request.js';
import { parseJsonBody } from '../http/json-body.js';
import { HttpError } from '../http/errors.js';
import { releaseClaimsOf } from '../review/release-snapshot.js';
import { checkSubmitted, type SubmitCheck } from '../review/submit-check.js';
import { submitBody } from '../review/validate.js';
import type {
  ExportedLines,
  OpenedExport,
  OpenedReview,
  OpenedReviewRules,
} from './output-worker-protocol.js';

/** Most bodies kept at once (each is one request in flight; the main thread closes every one). */
const MAX_OPEN = 64;

/** A parsed, validated body waiting for its next step. */
type Kept =
  | { kind: 'export'; request: CreateExportRequest }
  | { kind: 'review'; request: SubmitReviewRequest };

const kept = new Map<number, Kept>();

/** Parses and validates a body, keeps it under `handle`, and says what the main thread needs. */
export function openBody(
  handle: number,
  kind: 'export' | 'review',
  bytes: Uint8Array,
): OpenedExport | OpenedReview {
  if (kept.size >= MAX_OPEN)
    throw new HttpError(
      'rate_limited',
      'the gateway is checking too many large requests at once',
      'send the request again in a moment',
    );
  const body = parseJsonBody(bytes);
  if (kind === 'export') {
    const request = parseExportRequest(body);
    kept.set(handle, { kind, request });
    return {
      kind,
      experiment: request.experiment,
      name: request.name,
      lookups: rawValueLookups(request.notebook),
      releaseClaims: releaseClaimsOf(notebookOutputs(request.notebook)),
    };
  }
  const request = submitBody(body);
  kept.set(handle, { kind, request });
  const { output, ...rest } = request;
  return { kind, request: rest, releaseClaims: releaseClaimsOf([output]) };
}

/** Takes the kept body `handle` of `kind` (it is no longer kept). */
function take<K extends Kept['kind']>(handle: number, kind: K): Extract<Kept, { kind: K }> {
  const body = kept.get(handle);
  kept.delete(handle);
  if (body?.kind !== kind)
    throw new HttpError(
      'internal',
      "the gateway lost this request's body (its output-check worker restarted)",
      'send the request again',
    );
  return body as Extract<Kept, { kind: K }>;
}

/** Drops a kept body (a request refused before its check). */
export function closeBody(handle: number): void {
  kept.delete(handle);
}

/** Filters the kept export; the notebook comes back as UTF-8 JSON bytes (transferable). */
export async function filterOpenedExport(
  handle: number,
  lookups: ExportLookups,
  rawValues: (items: OutputLeakItem[]) => Promise<boolean[]>,
): Promise<{ lines: ExportedLines; notebookJson: Uint8Array }> {
  const { request } = take(handle, 'export');
  const { notebook, ...lines } = await filterWithLookups(request.notebook, lookups, rawValues);
  return { lines, notebookJson: new TextEncoder().encode(JSON.stringify(notebook)) };
}

/** Checks the kept review output; the output comes back as its JSON text (as stored). */
export async function checkOpenedReview(
  handle: number,
  rules: OpenedReviewRules,
  rawValue: (item: OutputLeakItem) => boolean,
): Promise<{ checked: SubmitCheck; outputJson: string }> {
  const { request } = take(handle, 'review');
  const checked = await checkSubmitted(
    { output: request.output, streamContext: request.streamContext ?? '', ...rules },
    rawValue,
  );
  return { checked, outputJson: JSON.stringify(request.output) };
}
