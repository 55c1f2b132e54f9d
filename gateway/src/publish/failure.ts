// Why: masked views get their `published` audit entry before they are swapped in (a crash must
// never leave a published view unaudited) and synthetic views are charged before too, so a publish
// that fails after that point has already told the log about versions that never went live. Each of
// those views then gets a follow-up `publish` entry, step `failed`, saying what readers see now —
// written after the views folder is back in order, from what is on disk. Hashes and names only.
import type { ViewManifest } from '@privet/core';
import type { AuditLog } from '../audit/log.js';
import { immediate, type Db } from '../audit/sqlite.js';
import { PublishError } from './errors.js';
import { readManifest } from './layout.js';

/** What a failure entry needs of a staged manifest (recovery has these from the batch journal). */
export type StagedManifest = Pick<ViewManifest, 'view' | 'tier' | 'parquetHash' | 'publishedAt'>;

/** A view of a failed publish that the audit log already names (published, or charged). */
export interface AuditedView {
  view: string;
  /** The manifest of the version that was staged (and audited or charged). */
  manifest: StagedManifest;
  /** The committed publication charge of a synthetic view. */
  reservation?: string;
}

/**
 * What readers see for a view after a failed publish: its `previous` version, `none` (never
 * published), the `new` version after all (putting the previous one back failed), or `unknown`.
 */
export type LiveVersion = 'previous' | 'none' | 'new' | 'unknown';

/** Which version of a view is in place now, compared with the manifest that was staged. */
function liveVersion(stateDir: string, staged: StagedManifest): LiveVersion {
  let current: ViewManifest | undefined;
  try {
    current = readManifest(stateDir, staged.view);
  } catch {
    return 'unknown';
  }
  if (!current) return 'none';
  const same =
    current.parquetHash === staged.parquetHash && current.publishedAt === staged.publishedAt;
  return same ? 'new' : 'previous';
}

/**
 * Why the publish failed, for the audit log: a text as given, what a PublishError says, else the
 * error's kind.
 */
function failureReason(err: unknown): string {
  if (typeof err === 'string') return err.slice(0, 500);
  if (err instanceof PublishError) return (err.message.split('. Fix: ')[0] ?? '').slice(0, 500);
  const code = (err as { code?: unknown } | undefined)?.code;
  const kind = err instanceof Error ? err.name : 'error';
  return typeof code === 'string' ? `${kind} (${code})` : kind;
}

/**
 * Appends one `failed` follow-up entry per audited view, in one transaction; `err` is the error,
 * or a text saying why the publish failed.
 */
export function auditPublishFailure(
  records: { db: Db; audit: AuditLog },
  stateDir: string,
  actor: string,
  views: readonly AuditedView[],
  err: unknown,
): void {
  const reason = failureReason(err);
  immediate(records.db, () => {
    for (const v of views) {
      const live = liveVersion(stateDir, v.manifest);
      records.audit.append({
        actor,
        action: 'publish',
        subject: v.view,
        details: {
          step: 'failed',
          tier: v.manifest.tier,
          parquetHash: v.manifest.parquetHash,
          ...(v.reservation ? { reservation: v.reservation, charge: 'kept' } : {}),
          live,
          reason,
        },
      });
    }
  });
}
