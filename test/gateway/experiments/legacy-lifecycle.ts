/**
 * What a gateway from before record hashes left for an experiment: its row (running, approved by
 * sam) and the entries of its lifecycle (proposed → approved → started), none carrying a record
 * hash. Shared by the tests of sealing such rows at start and of `privet audit verify` on them.
 */
import type { Experiment } from '@privet/core/record/index';
import {
  ensureExperimentSchema,
  insertExperiment,
} from '../../../gateway/src/experiments/store.js';
import { proposal, type Env } from './fixture.js';

/** When the older gateway created the rows. */
export const LEGACY_AT = '2026-02-01T09:00:00.000Z';

/** An experiment row as the older gateway stored it: alice's, bob a member, running. */
export function legacyExperiment(id: string): Experiment {
  return {
    ...proposal(id),
    id,
    views: ['patients_dp'],
    owner: 'alice',
    members: ['bob'],
    state: 'running',
    createdAt: LEGACY_AT,
    updatedAt: LEGACY_AT,
    decidedBy: 'sam',
    decisionNote: 'ok',
  };
}

/** Writes one experiment's row and its lifecycle entries as the older gateway did. */
export function writeLegacyLifecycle(env: Env, id: string): void {
  ensureExperimentSchema(env.db);
  insertExperiment(env.db, legacyExperiment(id));
  const entry = { actor: 'alice', experiment: id } as const;
  env.audit.append({
    ...entry,
    action: 'experiment.proposed',
    details: { views: ['patients_dp'], members: ['bob'], analyses: proposal(id).analyses },
  });
  env.audit.append({
    ...entry,
    actor: 'sam',
    action: 'experiment.approved',
    details: { from: 'proposal', to: 'approved' },
  });
  env.audit.append({
    ...entry,
    action: 'experiment.started',
    details: { from: 'approved', to: 'running' },
  });
}
