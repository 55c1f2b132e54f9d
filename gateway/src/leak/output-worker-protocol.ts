// Why: the messages between the gateway and its output-check worker, typed once for both sides.
import type { ApiErrorCode, OutputLeakItem } from '@privet/core';
import type { ExportLookups } from '../export/lookups.js';
import type { FilteredNotebook } from '../export/filter.js';
import type { SubmitCheck, SubmitCheckInput } from '../review/submit-check.js';
import type { LeakIndexSnapshot } from './leak-index.js';

/**
 * Gateway → worker: a new index to check with, a batch of outputs to check, an export's notebook
 * to filter (rules, hashes and raw-value lookups) with the stores' answers read for it, or an
 * output submitted for review to check (rules, hash, raw-value lookup).
 */
export type CheckWorkerRequest =
  | { type: 'index'; generation: number; snapshot: LeakIndexSnapshot }
  | { type: 'check'; id: number; generation: number; items: OutputLeakItem[] }
  | { type: 'export'; id: number; generation: number; notebook: unknown; lookups: ExportLookups }
  | { type: 'review'; id: number; generation: number; input: SubmitCheckInput };

/**
 * Worker → gateway: one verdict per output, the filtered export, the submitted output's check, or
 * why the request could not be answered (no values; an export's own refusal keeps its fix).
 */
export type CheckWorkerReply =
  | { type: 'result'; id: number; rawValue: boolean[] }
  | { type: 'exported'; id: number; filtered: FilteredNotebook }
  | { type: 'reviewed'; id: number; checked: SubmitCheck }
  | {
      type: 'failed';
      id: number;
      message: string;
      refusal?: { code: ApiErrorCode; message: string; fix: string };
    };
