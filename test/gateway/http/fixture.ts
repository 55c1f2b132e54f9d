/** A started gateway over the small HTTP-test policy, with one token per role. */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPolicyFile } from '../../../gateway/src/policy-file.js';
import { publishViews } from '../../../gateway/src/publish/index.js';
import {
  startGateway,
  type GatewayOptions,
  type RunningGateway,
} from '../../../gateway/src/http/server.js';

/** A running test gateway and where it keeps its files. */
export interface TestGateway {
  gateway: RunningGateway;
  dir: string;
  /** Sends a request with an optional bearer token. */
  call(
    method: string,
    path: string,
    init?: { token?: string; body?: string; headers?: Record<string, string> },
  ): Promise<Response>;
  stop(): Promise<void>;
}

/** The approved experiment the analyst `ana` works in. */
export const EXPERIMENT = 'exp1';

/** The people rows the fixture writes (tests check they never leave unmasked). */
export const PEOPLE = Array.from({ length: 40 }, (_, i) => ({
  person_id: 1000 + i,
  email: `person${i}@example${i % 3}.org`,
  city: ['Lyon', 'Oslo', 'Pune', 'Lima'][i % 4]!,
  income: 20000 + i * 997,
}));

/** Writes the fixture's people.csv in `dir`: PEOPLE, then `moreLines` (CSV rows) if any. */
export function writePeople(dir: string, moreLines: readonly string[] = []): void {
  const rows = PEOPLE.map((p) => `${p.person_id},${p.email},${p.city},${p.income}`);
  writeFileSync(
    join(dir, 'people.csv'),
    `person_id,email,city,income\n${[...rows, ...moreLines].join('\n')}\n`,
  );
}

/** Publishes `viewNames` from the fixture's policy in `dir` (as a steward's `privet publish`). */
export async function publishFixtureViews(dir: string, viewNames: string[]): Promise<void> {
  const loaded = loadPolicyFile(join(dir, 'policy.yaml'));
  await publishViews({
    policy: loaded.policy,
    policyText: loaded.text,
    policyDir: loaded.dir,
    stateDir: join(dir, 'state'),
    viewNames,
  });
}

/** Writes the fixture data, publishes people_masked, starts a gateway with tokens for ana, rev, stu. */
export async function startTestGateway(
  corsOrigins: string[] = [],
  more: Pick<GatewayOptions, 'log' | 'logDestination'> = {},
): Promise<TestGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'privet-http-'));
  const policyPath = join(dir, 'policy.yaml');
  copyFileSync(
    fileURLToPath(new URL('../../fixtures/http/policy.yaml', import.meta.url)),
    policyPath,
  );
  writePeople(dir);
  const stateDir = join(dir, 'state');
  await publishFixtureViews(dir, ['people_masked']);
  const gateway = await startGateway({
    policyPath,
    stateDir,
    port: 0,
    corsOrigins,
    issueTokensFor: ['ana', 'rev', 'stu'],
    ...more,
  });
  // The analyst works inside an experiment approved by the steward (four eyes).
  approveExperiment(gateway, EXPERIMENT, ['people_masked', 'people_later', 'people_dp']);
  return {
    gateway,
    dir,
    call: (method, path, init = {}) =>
      fetch(gateway.url + path, {
        method,
        headers: {
          ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}),
          ...(init.headers ?? {}),
        },
        ...(init.body !== undefined ? { body: init.body } : {}),
      }),
    stop: async () => {
      await gateway.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Ana proposes experiment `id` requesting `views`, and stu (steward) approves it. */
export function approveExperiment(gateway: RunningGateway, id: string, views: string[]): void {
  gateway.services.experiments.propose(
    { user: 'ana', roles: ['analyst'] },
    {
      id,
      title: id === EXPERIMENT ? 'Income by city' : `Experiment ${id}`,
      purpose: 'Test queries over the fixture',
      dataCategories: ['income'],
      views,
      analyses: ['counts', 'means'],
      expectedOutputs: ['tables'],
    },
  );
  gateway.services.experiments.approve({ user: 'stu', roles: ['steward'] }, id, 'ok');
}
