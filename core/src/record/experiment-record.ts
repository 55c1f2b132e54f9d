// Why: an approval must bind what was approved. The gateway keeps experiments in a table that
// anyone with write access to the file can edit, while the audit log is hash-chained. Every
// audit entry that changes an experiment (proposal, decision, start, evaluation, dissolution,
// artefact deletion) records the SHA-256 of the experiment's canonical record as it stands after
// the change (`recordHash`), so a row edited or inserted outside the gateway no longer matches its
// last audited hash: access checks refuse it and `privet audit verify` names it. The record holds
// every column, as every column decides something (who may use which view in which state, and when
// artefacts are purged); optional fields are null when absent, so the preimage has one form.
import { canonicalJson } from './canonical.js';
import type { AuditAction, Experiment, JsonValue } from './types.js';
import { sha256Hex } from '../hex.js';

/** Version tag of the record preimage (bumped if its fields ever change). */
export const EXPERIMENT_RECORD_VERSION = 1;

/** Audit actions whose entries carry the experiment's `recordHash` (its state after the entry). */
export const RECORD_SEAL_ACTIONS: readonly AuditAction[] = [
  'experiment.proposed',
  'experiment.approved',
  'experiment.rejected',
  'experiment.started',
  'experiment.evaluation',
  'experiment.dissolved',
  'experiment.artefacts_deleted',
  'experiment.record-sealed',
];

/** The exact text whose UTF-8 bytes are hashed for an experiment's record. */
export function experimentRecordPreimage(e: Experiment): string {
  const record: { [key: string]: JsonValue } = {
    v: EXPERIMENT_RECORD_VERSION,
    id: e.id,
    title: e.title,
    purpose: e.purpose,
    dataCategories: e.dataCategories,
    views: e.views,
    analyses: e.analyses,
    expectedOutputs: e.expectedOutputs,
    owner: e.owner,
    members: e.members,
    state: e.state,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
    decidedBy: e.decidedBy ?? null,
    decisionNote: e.decisionNote ?? null,
    dissolvedAt: e.dissolvedAt ?? null,
    artefactsDueAt: e.artefactsDueAt ?? null,
    artefactsDeletedAt: e.artefactsDeletedAt ?? null,
  };
  return canonicalJson(record);
}

/** SHA-256 (hex) of an experiment's canonical record, via Web Crypto. */
export async function hashExperimentRecord(e: Experiment): Promise<string> {
  return sha256Hex(experimentRecordPreimage(e));
}
