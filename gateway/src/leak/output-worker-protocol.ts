// Why: the messages between the gateway and its output-check worker, typed once for both sides.
import type { OutputLeakItem } from '@privet/core';
import type { LeakIndexSnapshot } from './leak-index.js';

/** Gateway → worker: a new index to check with, or a batch of outputs to check. */
export type CheckWorkerRequest =
  | { type: 'index'; generation: number; snapshot: LeakIndexSnapshot }
  | { type: 'check'; id: number; generation: number; items: OutputLeakItem[] };

/** Worker → gateway: one verdict per output, or why the batch could not be checked (no values). */
export type CheckWorkerReply =
  | { type: 'result'; id: number; rawValue: boolean[] }
  | { type: 'failed'; id: number; message: string };
