/** Shared set-up for experiment and ledger tests: the demo policy, a temp state dir, services. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePolicy, type Policy, type Role } from '@privet/core';
import { AuditLog, openDurableDb, type Db } from '../../../gateway/src/audit/index.js';
import {
  ExperimentService,
  directoryArtefactStore,
  type Actor,
  type ProposalInput,
} from '../../../gateway/src/experiments/index.js';

/** The demo policy plus a second steward (for four-eyes tests); budgets overridable. */
export function demoPolicy(budgets?: Policy['budgets'], retentionDays = 30): Policy {
  const path = new URL('../../../gateway/demo/policy.yaml', import.meta.url);
  const policy = parsePolicy(readFileSync(path, 'utf8'), 'gateway/demo/policy.yaml');
  policy.users.sue = { name: 'Sue Steward', roles: ['steward'] };
  if (budgets) policy.budgets = budgets;
  policy.retention.derived_artefacts_days = retentionDays;
  return policy;
}

/** An actor with the roles the demo policy gives the user. */
export function who(policy: Policy, user: string): Actor {
  return { user, roles: [...(policy.users[user]?.roles ?? (['analyst'] as Role[]))] };
}

/** A test environment: temp dir, DB, audit log, experiments, a settable clock. */
export interface Env {
  dir: string;
  dbPath: string;
  db: Db;
  policy: Policy;
  audit: AuditLog;
  experiments: ExperimentService;
  now: { t: number };
  close(): void;
}

/** Opens a fresh environment in a temp dir. */
export function makeEnv(policy: Policy = demoPolicy()): Env {
  const dir = mkdtempSync(join(tmpdir(), 'privet-exp-'));
  const dbPath = join(dir, 'state.db');
  const db = openDurableDb(dbPath);
  const now = { t: Date.parse('2026-03-01T09:00:00.000Z') };
  const clock = (): Date => new Date(now.t);
  const audit = new AuditLog(db, clock);
  const artefacts = directoryArtefactStore(dir);
  const experiments = new ExperimentService({ audit, policy, artefacts, clock });
  return {
    dir,
    dbPath,
    db,
    policy,
    audit,
    experiments,
    now,
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A valid proposal for the demo policy. */
export function proposal(id: string, extra: Partial<ProposalInput> = {}): ProposalInput {
  return {
    id,
    title: 'Income by diagnosis',
    purpose: 'Check whether mean income differs between diagnoses, for a staffing report.',
    dataCategories: ['health', 'income'],
    views: ['patients_dp', 'patients_masked'],
    analyses: ['dp_mean', 'dp_count'],
    expectedOutputs: ['report table'],
    members: ['bob'],
    ...extra,
  };
}

/** Proposes (as alice) and approves (as sam) an experiment; optionally starts it. */
export function approvedExperiment(env: Env, id: string, start = true): void {
  env.experiments.propose(who(env.policy, 'alice'), proposal(id));
  env.experiments.approve(who(env.policy, 'sam'), id, 'ok');
  if (start) env.experiments.start(who(env.policy, 'alice'), id);
}
