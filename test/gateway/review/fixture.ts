/**
 * A started gateway for the reviewer-workflow, export and leak-check tests: one raw source with
 * identifier columns, and users for every four-eyes case (`ria` is analyst AND reviewer and a
 * member of the experiment; `bob` is an analyst outside it).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DpQueryResponse, DpRelease } from '@privet/core';
import { startGateway, type RunningGateway } from '../../../gateway/src/http/server.js';
import { privet, type CliRun } from '../run-cli.js';

/** The experiment ana and ria work in (approved by the steward). */
export const EXPERIMENT = 'exp-review';

/** Users with tokens. */
export type User = 'ana' | 'bob' | 'rev' | 'ria' | 'stu';

/** Raw rows of the fixture source (tests check identifiers never come back). */
export const PEOPLE = Array.from({ length: 30 }, (_, i) => ({
  person_id: 5000 + i,
  email: `person${i}@example${i % 3}.org`,
  phone: `+1 415-555-${String(1000 + i)}`,
  /** A full name no pattern rule recognises: only the raw-value index finds it. */
  name: `${['Ada', 'Bo', 'Cyra'][i % 3]!} Lindqvist${i}`,
  city: ['Lyon', 'Oslo', 'Pune'][i % 3]!,
  income: 20000 + i * 991,
}));

const POLICY = `version: 1
name: review-test
sources:
  people:
    path: people.csv
    format: csv
    privacy_unit: person_id
    columns:
      person_id: { type: integer, identifier: true }
      email: { type: string, identifier: true }
      phone: { type: string, identifier: true }
      name: { type: string, identifier: true }
      city: { type: string }
      income: { type: integer, bounds: [0, 100000] }
views:
  people_masked:
    tier: masked
    source: people
    columns:
      person_id: { op: token, join_group: person }
      city: { op: keep }
      income: { op: keep }
  people_dp:
    tier: dp
    source: people
    columns: [person_id, city, income]
    contribution: { max_rows_per_unit: 1, max_groups_per_unit: 1 }
users:
  ana: { name: Ana Analyst, roles: [analyst] }
  bob: { name: Bob Outsider, roles: [analyst] }
  rev: { name: Rev Reviewer, roles: [reviewer] }
  ria: { name: Ria Both, roles: [analyst, reviewer] }
  stu: { name: Stu Steward, roles: [steward] }
budgets:
  - { source: people, epsilon: '5.0', scope: experiment }
retention: { derived_artefacts_days: 1, audit_log_days: 30 }
export: { require_review_for_flagged: true, images: review, small_cell_threshold: 10 }
`;

/** A running test gateway. */
export interface ReviewGateway {
  gateway: RunningGateway;
  dir: string;
  stateDir: string;
  tokens: Record<User, string>;
  /** Sends JSON (or nothing) with the user's bearer token. */
  call(method: string, path: string, user?: User, body?: unknown): Promise<Response>;
  stop(): Promise<void>;
}

/**
 * Writes the source and policy, starts a gateway on 127.0.0.1, approves the experiment.
 * `extraViews` is YAML of more views (indented as entries of `views:`).
 */
export async function startReviewGateway(extraViews = ''): Promise<ReviewGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'privet-review-'));
  const policyPath = join(dir, 'policy.yaml');
  writeFileSync(policyPath, POLICY.replace('\nusers:\n', `\n${extraViews}users:\n`));
  writeFileSync(
    join(dir, 'people.csv'),
    'person_id,email,phone,name,city,income\n' +
      PEOPLE.map(
        (p) => `${p.person_id},${p.email},${p.phone},${p.name},${p.city},${p.income}`,
      ).join('\n') +
      '\n',
  );
  const stateDir = join(dir, 'state');
  const gateway = await startGateway({
    policyPath,
    stateDir,
    port: 0,
    issueTokensFor: ['ana', 'bob', 'rev', 'ria', 'stu'],
    // The default lookups with a day-long window: a spent allowance does not refill mid-test.
    leakLimits: { calls: 100_000, candidates: 10_000, windowMs: 86_400_000 },
  });
  gateway.services.experiments.propose(
    { user: 'ana', roles: ['analyst'] },
    {
      id: EXPERIMENT,
      title: 'Income by city',
      purpose: 'Compare incomes across cities',
      dataCategories: ['income'],
      views: ['people_masked', 'people_dp'],
      analyses: ['counts', 'means'],
      expectedOutputs: ['tables'],
      members: ['ria'],
    },
  );
  gateway.services.experiments.approve({ user: 'stu', roles: ['steward'] }, EXPERIMENT, 'ok');
  const tokens = gateway.tokens as Record<User, string>;
  return {
    gateway,
    dir,
    stateDir,
    tokens,
    call: (method, path, user, body) =>
      fetch(gateway.url + '/api/v1' + path, {
        method,
        headers: {
          ...(user ? { Authorization: `Bearer ${tokens[user]}` } : {}),
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      }),
    stop: async () => {
      await gateway.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A display output with a small-cell count table (flagged), parameterized by the small count. */
export function smallCellTable(small: number): {
  output_type: 'display_data';
  data: Record<string, string>;
  metadata: Record<string, unknown>;
} {
  return {
    output_type: 'display_data',
    data: {
      'text/html': `<table><tr><th>city</th><th>count</th></tr><tr><td>Lyon</td><td>${small}</td></tr><tr><td>Oslo</td><td>40</td></tr></table>`,
    },
    metadata: {},
  };
}

/** A display output naming a raw email (blocked by the identifier rule). */
export function emailOutput(email: string): {
  output_type: 'display_data';
  data: Record<string, string>;
  metadata: Record<string, unknown>;
} {
  return { output_type: 'display_data', data: { 'text/plain': `Contact: ${email}` }, metadata: {} };
}

/** A plain passing output. */
export const PASSING = {
  output_type: 'execute_result',
  data: { 'text/plain': 'mean income 41234.5' },
  metadata: {},
  execution_count: 3,
} as const;

/** Spends a small DP count query as `ana` in EXPERIMENT and returns the release it answered. */
export async function spendCountQuery(g: ReviewGateway): Promise<DpRelease> {
  const q = await g.call('POST', '/dp/query', 'ana', {
    experiment: EXPERIMENT,
    sql: 'SELECT COUNT(*) AS n FROM people_dp',
    epsilon: '0.1',
    dryRun: false,
  });
  if (q.status !== 200) throw new Error(`the DP query failed with ${q.status}`);
  return ((await q.json()) as DpQueryResponse).release;
}

/** Runs `privet export create` on the gateway host for `user` in the experiment, writing `out`. */
export function exportCreate(
  g: ReviewGateway,
  notebook: string,
  out: string,
  user = 'ana',
): CliRun {
  const policy = join(g.dir, 'policy.yaml');
  return privet(
    'export',
    'create',
    '--notebook',
    notebook,
    '--experiment',
    EXPERIMENT,
    '--user',
    user,
    '--policy',
    policy,
    '--state',
    g.stateDir,
    '--out',
    out,
  );
}
