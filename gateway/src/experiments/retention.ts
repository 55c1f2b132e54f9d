// Why: dissolution only schedules the deletion of an experiment's derived artefacts (the policy may
// keep them N days), so something must run the schedule. `privet serve` runs it at start — which
// also repairs a crash between a dissolution and its purge — and then on a bounded interval; the
// same run prunes the audit log behind a checkpoint when `retention.audit_log_days` has passed.
// Each deletion is recorded in the audit log (`experiment.artefacts_deleted`, `audit.pruned`); a
// run that finds nothing due writes nothing, so an idle gateway does not grow its own log.
import type { Policy } from '@privet/core';
import type { AuditLog } from '../audit/log.js';
import { pruneAuditLog, type AuditPruneReport } from '../audit/retention.js';
import type { ExperimentService } from './service.js';

/** What the retention run needs. */
export interface RetentionOptions {
  experiments: ExperimentService;
  audit: AuditLog;
  policy: Policy;
  clock?: () => Date;
}

/** What one retention run did. */
export interface RetentionReport {
  artefacts: { experiment: string; files: number }[];
  audit: AuditPruneReport;
}

/** Shortest and longest allowed interval between runs, and the default (one hour). */
export const RETENTION_INTERVAL = { minMs: 1_000, maxMs: 86_400_000, defaultMs: 3_600_000 };

/** Deletes due artefacts of dissolved experiments and audit entries past the policy's retention. */
export async function runRetention(o: RetentionOptions): Promise<RetentionReport> {
  const artefacts = await o.experiments.purgeDueArtefacts();
  const now = (o.clock ?? (() => new Date()))();
  const audit = pruneAuditLog(o.audit, o.policy.retention.audit_log_days, now);
  return { artefacts, audit };
}

/** A running retention schedule. */
export interface RetentionSchedule {
  /** Resolves after the run made at start. */
  firstRun: Promise<RetentionReport | undefined>;
  /** Stops the schedule and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Runs retention now and then every `intervalMs` (clamped to 1 s … 24 h; runs never overlap).
 * A failing run is reported through `onError` and retried at the next interval.
 */
export function scheduleRetention(
  o: RetentionOptions & { intervalMs?: number; onError?: (error: unknown) => void },
): RetentionSchedule {
  const interval = Math.min(
    RETENTION_INTERVAL.maxMs,
    Math.max(RETENTION_INTERVAL.minMs, o.intervalMs ?? RETENTION_INTERVAL.defaultMs),
  );
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<RetentionReport | undefined> = Promise.resolve(undefined);
  const once = (): Promise<RetentionReport | undefined> => {
    current = runRetention(o).catch((error: unknown) => {
      o.onError?.(error);
      return undefined;
    });
    void current.then(() => {
      if (!stopped) {
        timer = setTimeout(once, interval);
        timer.unref();
      }
    });
    return current;
  };
  const firstRun = once();
  return {
    firstRun,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
