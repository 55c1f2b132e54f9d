/**
 * A row changed outside the gateway tells no stranger that its id exists: every route an analyst
 * can name an experiment in answers a non-member exactly as for an id that does not exist, while
 * the audit log still records the changed row (once per request). Members and stewards are told
 * the row was changed, with how to fix it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiError } from '@privet/core';
import { smallCellTable } from './review/fixture.js';
import { startTestGateway, type TestGateway } from './http/fixture.js';

let t: TestGateway;
let tokens: Record<'ana' | 'rev' | 'stu', string>;
/** The steward's experiment (ana is not in it) and ana's own; both rows are changed. */
const SECRET = 'secret-exp';
const OWN = 'ana-own';
const json = { 'Content-Type': 'application/json' };

const proposal = (id: string) => ({
  id,
  title: 'Audit study',
  purpose: 'Counts by city',
  dataCategories: ['income'],
  views: ['people_masked', 'people_dp'],
  analyses: ['counts'],
  expectedOutputs: ['tables'],
});

before(async () => {
  t = await startTestGateway();
  tokens = t.gateway.tokens as typeof tokens;
  const { experiments, db } = t.gateway.services;
  experiments.propose({ user: 'stu', roles: ['steward'] }, proposal(SECRET));
  experiments.propose({ user: 'ana', roles: ['analyst'] }, proposal(OWN));
  // Edited in the database file, outside the gateway.
  db.prepare(`UPDATE experiments SET purpose = 'widened' WHERE id IN (?, ?)`).run(SECRET, OWN);
});
after(async () => t.stop());

async function send(
  method: string,
  path: string,
  body?: unknown,
  token = tokens.ana,
): Promise<Response> {
  return t.call(method, `/api/v1${path}`, {
    token,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: json }),
  });
}

type Probe = (id: string, token?: string) => Promise<Response>;

/** Every request that names an experiment, for experiment `id`. */
const probes: [string, Probe][] = [
  ['record', (id, token) => send('GET', `/experiments/${id}`, undefined, token)],
  ['budget', (id, token) => send('GET', `/experiments/${id}/budget`, undefined, token)],
  ['record audit', (id, token) => send('GET', `/experiments/${id}/audit`, undefined, token)],
  ...(['approve', 'reject', 'start', 'evaluate', 'dissolve'] as const).map(
    (step): [string, Probe] => [
      `${step} step`,
      (id, token) => send('POST', `/experiments/${id}/${step}`, { note: 'probe' }, token),
    ],
  ),
  [
    'view rows',
    (id, token) => send('GET', `/views/people_masked/arrow?experiment=${id}`, undefined, token),
  ],
  ...([true, false] as const).map((dryRun): [string, Probe] => [
    dryRun ? 'DP dry run' : 'DP query',
    (id, token) =>
      send(
        'POST',
        '/dp/query',
        { experiment: id, sql: 'SELECT COUNT(*) FROM people_dp', epsilon: 0.1, dryRun },
        token,
      ),
  ]),
  [
    'leak check',
    (id, token) => send('POST', '/leak-check', { experiment: id, candidates: ['x'] }, token),
  ],
  [
    'output leak check',
    (id, token) =>
      send(
        'POST',
        '/leak-check/outputs',
        {
          experiment: id,
          outputs: [{ output: { output_type: 'stream', name: 'stdout', text: 'n 4\n' } }],
        },
        token,
      ),
  ],
  [
    'review request',
    (id, token) =>
      send(
        'POST',
        '/reviews',
        { experiment: id, output: smallCellTable(2), justification: 'two sites' },
        token,
      ),
  ],
  [
    'review status',
    (id, token) => send('POST', '/reviews/status', { experiment: id, contentHashes: [] }, token),
  ],
  [
    'export',
    (id, token) =>
      send(
        'POST',
        '/exports',
        {
          experiment: id,
          name: 'a.ipynb',
          notebook: { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] },
        },
        token,
      ),
  ],
];

/** Audit entries appended while `act` ran. */
async function entriesDuring(act: () => Promise<unknown>) {
  const { audit } = t.gateway.services;
  const from = audit.head()!.seq + 1;
  await act();
  return audit.entries({ fromSeq: from, limit: 10_000 });
}

describe('a changed row of someone else’s experiment', () => {
  test('answers exactly as an unknown id does, on every route', async () => {
    for (const [what, probe] of probes) {
      const changed = await probe(SECRET);
      const unknown = await probe('no-such-exp');
      assert.equal(changed.status, unknown.status, `${what}: same status`);
      const a = (await changed.json()) as ApiError;
      const b = (await unknown.json()) as ApiError;
      assert.deepEqual(
        JSON.parse(JSON.stringify(a).replaceAll(SECRET, 'ID')),
        JSON.parse(JSON.stringify(b).replaceAll('no-such-exp', 'ID')),
        `${what}: same body`,
      );
      assert.doesNotMatch(JSON.stringify(a), /audit verify|changed outside|stu/, what);
    }
  });

  test('is still recorded: the changed row, who asked, which service, and what they were told', async () => {
    for (const [what, probe] of probes) {
      const entries = await entriesDuring(() => probe(SECRET));
      const recorded = entries.filter(
        (e) => e.details['reason'] === 'experiment.record-mismatch' && e.actor === 'ana',
      );
      assert.equal(recorded.length, 1, `${what}: ${JSON.stringify(entries)}`);
      const entry = recorded[0]!;
      assert.equal(entry.details['requested'], SECRET, what);
      assert.equal(typeof entry.details['service'], 'string', what);
      assert.equal(entry.details['answered'] !== undefined, true, `${what}: told something else`);
      // Not filed in the stranger's record (no planting there, no probing which ids exist).
      assert.equal(entry.experiment, null, what);
      assert.doesNotMatch(JSON.stringify(entry), /widened/);
    }
  });
});

describe('a changed row of one’s own experiment', () => {
  test('is refused as changed, with how to fix it, on every route, and audited once', async () => {
    for (const [what, probe] of probes) {
      let response!: Response;
      const entries = await entriesDuring(async () => (response = await probe(OWN)));
      assert.equal(response.status, 403, what);
      const { error } = (await response.json()) as ApiError;
      assert.match(error.message, new RegExp(`experiment "${OWN}" is refused: its row`), what);
      assert.match(error.fix, /privet audit verify/, what);
      assert.doesNotMatch(error.message + error.fix, /widened/, what);
      const recorded = entries.filter((e) => e.details['reason'] === 'experiment.record-mismatch');
      assert.equal(recorded.length, 1, `${what}: ${JSON.stringify(entries)}`);
      assert.equal(recorded[0]!.experiment, OWN, what);
      assert.equal(recorded[0]!.actor, 'ana', what);
    }
  });

  test('a steward is told too', async () => {
    for (const path of [`/experiments/${SECRET}`, `/experiments/${OWN}`]) {
      const response = await send('GET', path, undefined, tokens.stu);
      assert.equal(response.status, 403);
      assert.match(((await response.json()) as ApiError).error.fix, /privet audit verify/);
    }
    const exported = await probes.find(([w]) => w === 'export')![1](SECRET, tokens.stu);
    assert.equal(exported.status, 403);
  });
});
