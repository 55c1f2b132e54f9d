// Why: the CLI, the HTTP jobs and the tests drive a publish through these shapes only, so they live
// apart from the code that runs it: what a publish is asked to do, what it reports while it runs and
// what it returns.
import type { Policy, ViewManifest } from '@privet/core';
import type { AuditLog } from '../audit/log.js';
import type { Db } from '../audit/sqlite.js';

/** Progress of a publish, for CLIs and logs (no data values). */
export interface PublishProgress {
  view: string;
  step:
    | 'mask'
    | 'verify'
    | 'arrow'
    | 'reserve'
    | 'synthesize'
    | 'staged'
    | 'charged'
    | 'swapped'
    | 'unchanged';
  rows?: number;
  rowsSuppressed?: number;
  /** Synthesis stage (`one-way`, `select`, `estimate`, `sample`, `fidelity`) and its fraction. */
  stage?: string;
  fraction?: number;
}

/** The record database a publish charges (the gateway passes its open services). */
export interface PublishRecords {
  db: Db;
  audit: AuditLog;
}

/** Options of publishViews. */
export interface PublishOptions {
  policy: Policy;
  /** The policy file's text (its SHA-256 goes into every manifest). */
  policyText: string;
  /** Folder of the policy file: source paths are relative to it. */
  policyDir: string;
  /** Gateway state folder (master key, views). */
  stateDir: string;
  /** Publish only these views (default: every masked and synthetic view). */
  viewNames?: string[];
  onProgress?: (event: PublishProgress) => void;
  /** Ledger database to charge; default: `<stateDir>/privet.db`, opened only when needed. */
  records?: PublishRecords;
  /** Who publishes (audit actor of the charges and masked-view entries); default `cli`. */
  actor?: string;
}

/** One published view. */
export interface PublishResult {
  view: string;
  rows: number;
  rowsSuppressed: number;
  manifest: ViewManifest;
  /** True for a synthetic view kept as published (same inputs): not rebuilt, not charged. */
  unchanged?: boolean;
}
