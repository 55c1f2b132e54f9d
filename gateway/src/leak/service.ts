/**
 * POST /leak-check: an analyst in an approved or running experiment sends candidate strings from an
 * output and gets back only whether (and how many) matched a raw identifier value — never which,
 * never from which column. POST /leak-check/outputs: the notebook hosts send the outputs they are
 * about to show and get one verdict per output (the gateway draws the candidates itself). Limited per user (calls and candidates) and audited per call with
 * counts only; the index is built on first use, rebuilt when the raw identifier files change, and
 * lives only in this process's memory.
 */
import type { ExportLookups } from '../export/lookups.js';
import type { SubmitCheck } from '../review/submit-check.js';
import type {
  LeakCheckRequest,
  LeakCheckResponse,
  OutputLeakCheckRequest,
  OutputLeakCheckResponse,
  OutputLeakItem,
  Policy,
} from '@privet/core';
import {
  MAX_LEAK_CHECK_OUTPUTS,
  releaseLookupOutput,
  wholeRelease,
} from '@privet/core/review/index';
import type { AuditLog } from '../audit/log.js';
import { ServiceError } from '../audit/service-error.js';
import { experimentUseRefusal, hasRole, refusalFiling, type Actor } from '../experiments/access.js';
import { readChecked, refuseTampered } from '../experiments/record-refusal.js';
import { loadOrCreateMasterKey } from '../keys.js';
import { experimentField, objectBody, outputField } from '../review/validate.js';
import { HttpError } from '../http/errors.js';
import { buildLeakIndex, identifierSourcesStamp, type LeakIndex } from './index-build.js';
import { OutputCheckWorker, type OpenedBody } from './output-worker.js';
import type {
  ExportedLines,
  OpenedExport,
  OpenedReview,
  OpenedReviewRules,
} from './output-worker-protocol.js';
import { DEFAULT_LEAK_LIMITS, DualTokenBucket, type LeakRateLimits } from './rate-limit.js';

/** Most candidates in one call. */
export const MAX_CANDIDATES = 1000;
/** Longest candidate string, in characters. */
export const MAX_CANDIDATE_LENGTH = 1000;

/** A 429 that also tells the route what to put in Retry-After. */
export class RateLimitedError extends ServiceError {
  constructor(
    readonly retryAfterSeconds: number,
    limits: LeakRateLimits,
  ) {
    super(
      'rate_limited',
      'leak.rate-limited',
      `too many raw-value lookups: the limit is ${limits.calls} calls and ${limits.candidates} lookups (leak-check candidates, exported outputs and cell sources, review requests) per ${limits.windowMs / 1000} s per user`,
      `retry after ${retryAfterSeconds} s (leak checks: batch up to ${MAX_CANDIDATES} candidates per call)`,
    );
  }
}

/**
 * How long clean output checks are counted before one audit entry records them: the hosts check
 * every output they show, and an entry per call would bury the experiment's record.
 */
export const CLEAN_CHECKS_AUDIT_MS = 60_000;

/** Clean output checks of one user in one experiment since `since` (ms). */
interface CleanChecks {
  user: string;
  experiment: string;
  since: number;
  calls: number;
  checked: number;
}

/** What the leak service needs. */
export interface LeakServiceOptions {
  audit: AuditLog;
  policy: Policy;
  policyDir: string;
  stateDir: string;
  limits?: LeakRateLimits;
  now?: () => number;
  /**
   * True when the ledger committed DP release `id` with exactly `content`: an output that shows
   * only such a release is looked up by its text alone (`wholeRelease`, `releaseLookupOutput`).
   */
  releaseCommitted?: (id: string, content: string) => boolean;
}

/** Validates a LeakCheckRequest body. */
export function leakCheckBody(body: unknown): LeakCheckRequest {
  const b = objectBody(body, '{ experiment, candidates }');
  const experiment = experimentField(b);
  const c = b.candidates;
  if (
    !Array.isArray(c) ||
    !c.every((s) => typeof s === 'string' && s.length <= MAX_CANDIDATE_LENGTH)
  )
    throw new HttpError(
      'bad_request',
      '"candidates" must be a list of strings',
      `send strings of at most ${MAX_CANDIDATE_LENGTH} characters`,
    );
  if (c.length > MAX_CANDIDATES)
    throw new HttpError(
      'bad_request',
      `"candidates" has ${c.length} entries; at most ${MAX_CANDIDATES} are checked per call`,
      'split them over several calls',
    );
  return { experiment, candidates: c as string[] };
}

/** Validates an OutputLeakCheckRequest body (POST /leak-check/outputs). */
export function outputLeakCheckBody(body: unknown): OutputLeakCheckRequest {
  const b = objectBody(body, '{ experiment, outputs }');
  const experiment = experimentField(b);
  if (!Array.isArray(b.outputs) || b.outputs.length === 0)
    throw new HttpError(
      'bad_request',
      '"outputs" must be a non-empty list of { output, before? }',
      'send the outputs about to be shown, each as { output } (a stream also with "before")',
    );
  if (b.outputs.length > MAX_LEAK_CHECK_OUTPUTS)
    throw new HttpError(
      'bad_request',
      `"outputs" has ${b.outputs.length} entries; at most ${MAX_LEAK_CHECK_OUTPUTS} are checked per call`,
      'split them over several calls',
    );
  const outputs = b.outputs.map((entry: unknown, i) => {
    const e = objectBody(entry, `"outputs[${i}]": { output, before? }`);
    const output = outputField(e.output, `"outputs[${i}].output"`);
    if (e.before === undefined) return { output };
    if (typeof e.before !== 'string' || output.output_type !== 'stream')
      throw new HttpError(
        'bad_request',
        `"outputs[${i}].before" must be a string, sent only with a stream output`,
        'send "before" (the earlier writes of the same stream in the cell) only with stream outputs',
      );
    return { output, before: e.before };
  });
  return { experiment, outputs };
}

/** Answers leak checks from a keyed in-memory index of the raw identifier values. */
export class LeakService {
  private index: Promise<LeakIndex> | undefined;
  private readonly bucket: DualTokenBucket;
  private readonly now: () => number;
  private readonly lastRefusalAudit = new Map<string, number>();
  /** Clean output checks not audited yet, per user and experiment. */
  private readonly cleanChecks = new Map<string, CleanChecks>();
  /** Where outputs are checked off the event loop (POST /leak-check/outputs). */
  private readonly outputWorker = new OutputCheckWorker();

  constructor(private readonly o: LeakServiceOptions) {
    this.now = o.now ?? (() => Date.now());
    this.bucket = new DualTokenBucket(o.limits ?? DEFAULT_LEAK_LIMITS, this.now);
  }

  /**
   * The index, built on first use and rebuilt whenever the raw identifier files changed since it
   * was read (a failed build is retried on the next call).
   */
  async loadIndex(): Promise<LeakIndex> {
    const pending = this.index;
    if (pending) {
      const built = await pending.catch(() => undefined);
      const stale =
        built && built.stamp !== identifierSourcesStamp(this.o.policy, this.o.policyDir);
      if (stale && this.index === pending) this.index = undefined;
    }
    this.index ??= buildLeakIndex(
      this.o.policy,
      this.o.policyDir,
      loadOrCreateMasterKey(this.o.stateDir),
    ).catch((error: unknown) => {
      this.index = undefined;
      throw error;
    });
    return this.index;
  }

  /**
   * One verdict per item, in order: true when it shows a raw identifier value. Checked in the
   * output-check worker, in one batch (an export's outputs and cell sources).
   */
  async holdRawValues(items: OutputLeakItem[]): Promise<boolean[]> {
    if (items.length === 0) return [];
    const index = await this.loadIndex();
    return this.outputWorker.check(index, items);
  }

  /**
   * A request body parsed, validated and kept in the output-check worker (OutputCheckWorker.open);
   * no index is needed yet, so a malformed body is refused even when none can be built.
   */
  async openBody<K extends 'export' | 'review'>(
    kind: K,
    bytes: Uint8Array,
  ): Promise<OpenedBody<K extends 'export' ? OpenedExport : OpenedReview>> {
    return this.outputWorker.open(kind, bytes);
  }

  /** An opened export body filtered in the worker; its notebook comes back as JSON bytes. */
  async filterOpenedExport(
    handle: number,
    lookups: ExportLookups,
  ): Promise<{ lines: ExportedLines; notebookJson: Uint8Array }> {
    const index = await this.loadIndex();
    return this.outputWorker.filterOpenedExport(index, handle, lookups);
  }

  /** An opened review body's output checked in the worker; the output comes back as JSON text. */
  async checkOpenedReview(
    handle: number,
    rules: OpenedReviewRules,
  ): Promise<{ checked: SubmitCheck; outputJson: string }> {
    const index = await this.loadIndex();
    return this.outputWorker.checkOpenedReview(index, handle, rules);
  }

  /** Drops an opened body (a request refused before its check). */
  closeBody(handle: number): void {
    this.outputWorker.closeBody(handle);
  }

  /** Throws (and audits the refusal) unless `actor` is an analyst of the running `experiment`. */
  private refuseUnlessAnalystMember(actor: Actor, experiment: string, subject: string): void {
    const { audit, policy } = this.o;
    // A row that does not match the audit log is decided on as an unknown id, then refused as such
    // to those who may see the experiment (one audit entry either way).
    const read = readChecked(audit.db, experiment);
    const e = read.experiment;
    const refusal = !hasRole(actor, policy, 'analyst')
      ? new ServiceError(
          'forbidden',
          'leak.role',
          `${actor.user} may not run leak checks`,
          'sign in as an analyst',
        )
      : experimentUseRefusal(e, experiment, actor.user);
    if (read.tampered)
      throw refuseTampered({
        audit,
        policy,
        action: 'access.refused',
        actor,
        service: 'leak',
        tampered: read.tampered,
        unknown: refusal,
        subject,
      });
    if (!refusal) return;
    audit.append({
      actor: actor.user,
      action: 'access.refused',
      ...refusalFiling(e, actor, policy),
      subject,
      details: { reason: refusal.reason, requested: experiment.slice(0, 200) },
    });
    throw refusal;
  }

  /**
   * Spends `lookups` verdicts of the user's leak-check allowance, or throws 429. Each verdict an
   * analyst sees (a candidate here; an output or cell source at export or review) says whether a
   * value is in the raw data, so every path shares one allowance per user.
   */
  spend(actor: Actor, lookups: number, experiment: string, subject: string): void {
    const limits = this.o.limits ?? DEFAULT_LEAK_LIMITS;
    if (lookups > limits.candidates)
      throw new ServiceError(
        'bad_request',
        'leak.too-many',
        `${lookups} raw-value lookups at once (one per candidate, output or cell source) is more than the ${limits.candidates} allowed per ${limits.windowMs / 1000} s`,
        'split the notebook (or the candidates) and send the parts a minute apart',
      );
    const wait = this.bucket.take(actor.user, lookups);
    if (wait === 0) return;
    // One audit entry per user per minute of refusals: a flood must not turn into a flood of fsyncs.
    const last = this.lastRefusalAudit.get(actor.user) ?? -Infinity;
    if (this.now() - last >= 60_000) {
      this.lastRefusalAudit.set(actor.user, this.now());
      this.o.audit.append({
        actor: actor.user,
        action: 'access.refused',
        // Filed as its caller's refusal was (a row that does not match the audit log: nowhere);
        // every caller refused that row before it spent anything.
        ...refusalFiling(readChecked(this.o.audit.db, experiment).experiment, actor, this.o.policy),
        subject,
        details: { reason: 'leak.rate-limited', candidates: lookups },
      });
    }
    throw new RateLimitedError(wait, limits);
  }

  /**
   * Checks outputs a notebook host is about to show (one lookup each, from the shared allowance);
   * only one verdict per output comes back. A call that found a raw value is audited at once
   * (counts only); clean calls are counted and audited as one entry a minute.
   */
  async checkOutputs(
    actor: Actor,
    request: OutputLeakCheckRequest,
  ): Promise<OutputLeakCheckResponse> {
    this.refuseUnlessAnalystMember(actor, request.experiment, 'leak-check');
    this.spend(actor, request.outputs.length, request.experiment, 'leak-check');
    // One index (and one look at the raw files' stamp) for the whole batch, checked in the worker.
    // A committed DP release shown alone is looked up by its text, not its numbers (see
    // `releaseLookupOutput`: runs of noisy numbers read like phone-like ids to the index).
    const items = request.outputs.map((item) => {
      const whole = wholeRelease(item.output);
      return whole !== undefined && this.o.releaseCommitted?.(whole.id, whole.content) === true
        ? { output: releaseLookupOutput(whole.value) }
        : item;
    });
    const rawValue = await this.holdRawValues(items);
    const matches = rawValue.filter(Boolean).length;
    if (matches > 0)
      this.o.audit.append({
        actor: actor.user,
        action: 'leak.check',
        experiment: request.experiment,
        subject: 'leak-check',
        details: { event: 'output-check', checked: rawValue.length, matches },
      });
    else this.countCleanChecks(actor.user, request.experiment, rawValue.length);
    return { rawValue };
  }

  /** Stops the output-check worker (the gateway is closing). */
  close(): Promise<void> {
    return this.outputWorker.close();
  }

  /**
   * Audits every pending count of clean output checks now (the gateway calls this when it closes;
   * otherwise each count is audited once it is a minute old). A crash loses at most those counts.
   */
  flushCleanChecks(): void {
    for (const key of [...this.cleanChecks.keys()]) this.auditCleanChecks(key);
  }

  /** Counts a clean output check; every count a minute old or older is audited as one entry. */
  private countCleanChecks(user: string, experiment: string, checked: number): void {
    const key = `${user}\n${experiment}`;
    const count = this.cleanChecks.get(key) ?? {
      user,
      experiment,
      since: this.now(),
      calls: 0,
      checked: 0,
    };
    count.calls += 1;
    count.checked += checked;
    this.cleanChecks.set(key, count);
    for (const [k, c] of [...this.cleanChecks])
      if (this.now() - c.since >= CLEAN_CHECKS_AUDIT_MS) this.auditCleanChecks(k);
  }

  private auditCleanChecks(key: string): void {
    const c = this.cleanChecks.get(key);
    if (!c) return;
    this.cleanChecks.delete(key);
    this.o.audit.append({
      actor: c.user,
      action: 'leak.check',
      experiment: c.experiment,
      subject: 'leak-check',
      details: {
        event: 'output-checks',
        calls: c.calls,
        checked: c.checked,
        matches: 0,
        since: new Date(c.since).toISOString(),
      },
    });
  }

  /** Checks candidates for one analyst; only counts come back. */
  async check(actor: Actor, request: LeakCheckRequest): Promise<LeakCheckResponse> {
    const { audit } = this.o;
    this.refuseUnlessAnalystMember(actor, request.experiment, 'leak-check');
    this.spend(actor, request.candidates.length, request.experiment, 'leak-check');
    const index = await this.loadIndex();
    let matches = 0;
    for (const c of request.candidates) if (index.matches(c)) matches++;
    audit.append({
      actor: actor.user,
      action: 'leak.check',
      experiment: request.experiment,
      subject: 'leak-check',
      details: { event: 'leak-check', checked: request.candidates.length, matches },
    });
    return { leak: matches > 0, matches, checked: request.candidates.length };
  }
}
