// Why: the messages between the gateway and its output-check worker, typed once for both sides.
import type { ApiErrorCode, OutputLeakItem, SubmitReviewRequest } from '@privet/core';
import type { ExportLookups } from '../export/lookups.js';
import type { FilteredNotebook } from '../export/filter.js';
import type { SubmitCheck, SubmitCheckInput } from '../review/submit-check.js';
import type { LeakIndexSnapshot } from './leak-index.js';

/** [release id, SHA-256 of its content] of each DP release in a parsed body. */
export type ReleaseClaims = [string, string][];

/** What the worker read from an export body it parsed and keeps (nothing of the notebook's content). */
export interface OpenedExport {
  kind: 'export';
  experiment: string;
  name: string;
  /** Raw-value lookups the export spends (one per output and cell source). */
  lookups: number;
  releaseClaims: ReleaseClaims;
}

/** What the worker read from a review request body it parsed and keeps: all but the output. */
export interface OpenedReview {
  kind: 'review';
  request: Omit<SubmitReviewRequest, 'output'>;
  releaseClaims: ReleaseClaims;
}

/** What the stores answered for checking a kept review output (read on the main thread). */
export type OpenedReviewRules = Pick<SubmitCheckInput, 'exportRules' | 'releases' | 'viewsUsed'>;

/** A filtered export less its notebook (which comes as JSON bytes). */
export type ExportedLines = Omit<FilteredNotebook, 'notebook'>;

/**
 * Gateway → worker: a new index to check with, or a batch of outputs to check. A request body of
 * an export or a review is handed over as bytes (`open`): the worker parses and keeps it, answers
 * what the main thread needs to decide and read the stores, and the next step names it by the open
 * request's id — `export-opened` filters the notebook (rules, hashes and raw-value lookups) with
 * the stores' answers read for it, `review-opened` checks the output (rules, hash, raw-value
 * lookup); `close` drops a body no step took.
 */
export type CheckWorkerRequest =
  | { type: 'index'; generation: number; snapshot: LeakIndexSnapshot }
  | { type: 'check'; id: number; generation: number; items: OutputLeakItem[] }
  | { type: 'open'; id: number; generation: number; kind: 'export' | 'review'; bytes: Uint8Array }
  | { type: 'export-opened'; id: number; generation: number; body: number; lookups: ExportLookups }
  | {
      type: 'review-opened';
      id: number;
      generation: number;
      body: number;
      rules: OpenedReviewRules;
    }
  | { type: 'close'; body: number };

/**
 * Worker → gateway: one verdict per output, what an opened body says, the filtered export (its
 * notebook as JSON bytes), the submitted output's check (with its JSON text), or why the request
 * could not be answered (no values; an export's own refusal keeps its fix).
 */
export type CheckWorkerReply =
  | { type: 'result'; id: number; rawValue: boolean[] }
  | { type: 'opened'; id: number; opened: OpenedExport | OpenedReview }
  | { type: 'exported-json'; id: number; lines: ExportedLines; notebookJson: Uint8Array }
  | { type: 'reviewed-json'; id: number; checked: SubmitCheck; outputJson: string }
  | {
      type: 'failed';
      id: number;
      message: string;
      refusal?: { code: ApiErrorCode; message: string; fix: string };
    };
