/**
 * Someone else's experiment looks exactly like one that does not exist: every route an analyst
 * can name an experiment in, lifecycle steps included, answers both alike (nothing names the
 * owner), refused probes are not
 * filed in the stranger's record, and names of built-in object properties are no views or users.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiError, AuditResponse } from '@privet/core';
import { PASSING, smallCellTable } from '../review/fixture.js';
import { EXPERIMENT, startTestGateway, type TestGateway } from './fixture.js';

let t: TestGateway;
let tokens: Record<'ana' | 'rev' | 'stu', string>;
const SECRET = 'secret-exp';
const json = { 'Content-Type': 'application/json' };

before(async () => {
  t = await startTestGateway();
  tokens = t.gateway.tokens as typeof tokens;
  // The steward's own experiment: ana is not in it.
  t.gateway.services.experiments.propose(
    { user: 'stu', roles: ['steward'] },
    {
      id: SECRET,
      title: 'Steward audit',
      purpose: 'A study ana is not part of',
      dataCategories: ['income'],
      views: ['people_masked', 'people_dp'],
      analyses: ['counts'],
      expectedOutputs: ['tables'],
    },
  );
});
after(async () => t.stop());

async function send(method: string, path: string, body?: unknown): Promise<Response> {
  return t.call(method, `/api/v1${path}`, {
    token: tokens.ana,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: json }),
  });
}

/** Every request that names an experiment, for experiment `id`. */
const probes: [string, (id: string) => Promise<Response>][] = [
  ['record', (id) => send('GET', `/experiments/${id}`)],
  // Lifecycle steps: a role refusal here once named the owner ("only the owner (stu) or …").
  ...(['approve', 'reject', 'start', 'evaluate', 'dissolve'] as const).map(
    (step): [string, (id: string) => Promise<Response>] => [
      `${step} step`,
      (id) => send('POST', `/experiments/${id}/${step}`, { note: 'probe' }),
    ],
  ),
  ['view rows', (id) => send('GET', `/views/people_masked/arrow?experiment=${id}`)],
  [
    'DP dry run',
    (id) =>
      send('POST', '/dp/query', {
        experiment: id,
        sql: 'SELECT COUNT(*) FROM people_dp',
        epsilon: 0.1,
        dryRun: true,
      }),
  ],
  [
    'DP query',
    (id) =>
      send('POST', '/dp/query', {
        experiment: id,
        sql: 'SELECT COUNT(*) FROM people_dp',
        epsilon: 0.1,
        dryRun: false,
      }),
  ],
  ['leak check', (id) => send('POST', '/leak-check', { experiment: id, candidates: ['x'] })],
  [
    'review request',
    (id) =>
      send('POST', '/reviews', {
        experiment: id,
        output: smallCellTable(2),
        justification: 'two sites',
      }),
  ],
  ['review status', (id) => send('POST', '/reviews/status', { experiment: id, contentHashes: [] })],
  [
    'export',
    (id) =>
      send('POST', '/exports', {
        experiment: id,
        name: 'a.ipynb',
        notebook: { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] },
      }),
  ],
];

describe("someone else's experiment", () => {
  test('answers exactly as an unknown id does, on every route', async () => {
    for (const [what, probe] of probes) {
      const secret = await probe(SECRET);
      const unknown = await probe('no-such-exp');
      assert.equal(secret.status, unknown.status, `${what}: same status`);
      assert.ok(secret.status === 404 || secret.status === 400, `${what}: ${secret.status}`);
      const a = (await secret.json()) as ApiError;
      const b = (await unknown.json()) as ApiError;
      assert.deepEqual(
        JSON.parse(JSON.stringify(a).replaceAll(SECRET, 'ID')),
        JSON.parse(JSON.stringify(b).replaceAll('no-such-exp', 'ID')),
        `${what}: same body`,
      );
      assert.ok(!JSON.stringify(a).includes('stu'), `${what}: the owner is not named`);
    }
  });
  test('proposing with its id answers as proposing with a free id (a generated id is given)', async () => {
    const proposal = (id: string) => ({
      id,
      title: 'My study',
      purpose: 'Income by city',
      dataCategories: ['income'],
      views: ['people_dp'],
      analyses: ['counts'],
      expectedOutputs: ['tables'],
    });
    const free = await send('POST', '/experiments', proposal('ana-free-id'));
    const taken = await send('POST', '/experiments', proposal(SECRET));
    assert.equal(free.status, 201);
    assert.equal(taken.status, 201, 'no 409 "already exists" for an experiment ana cannot see');
    const got = (await taken.json()) as { id: string; owner: string };
    assert.match(got.id, /^exp-[0-9a-f]{10}$/);
    assert.equal(got.owner, 'ana');
    // Her own experiment's id is named as taken: she can see it anyway.
    const again = await send('POST', '/experiments', proposal('ana-free-id'));
    assert.equal(again.status, 409);
    // The steward's experiment is untouched.
    const secret = await t.call('GET', `/api/v1/experiments/${SECRET}`, { token: tokens.stu });
    assert.equal(((await secret.json()) as { owner: string }).owner, 'stu');
  });
  test("refused probes are not filed in the stranger's record; stewards still see them", async () => {
    const before = (await (
      await t.call('GET', `/api/v1/experiments/${SECRET}/audit`, { token: tokens.stu })
    ).json()) as AuditResponse;
    assert.ok(
      before.entries.every((e) => e.actor !== 'ana'),
      JSON.stringify(before.entries.filter((e) => e.actor === 'ana').map((e) => e.action)),
    );
    const all = (await (
      await t.call('GET', '/api/v1/audit?limit=500', { token: tokens.stu })
    ).json()) as AuditResponse;
    const refused = all.entries.filter((e) => e.actor === 'ana' && e.details.requested === SECRET);
    assert.ok(refused.length >= 2, 'view and leak-check refusals are in the global log');
    assert.ok(refused.every((e) => (e.experiment ?? undefined) === undefined));
  });
  test('members still have their refusals filed in their own record', async () => {
    const res = await send('POST', '/reviews', {
      experiment: EXPERIMENT,
      output: PASSING,
      justification: 'nothing to hold',
    });
    assert.equal(res.status, 409);
    const own = (await (
      await t.call('GET', `/api/v1/experiments/${EXPERIMENT}/audit`, { token: tokens.ana })
    ).json()) as AuditResponse;
    assert.ok(own.entries.some((e) => e.action === 'review' && e.details.event === 'refused'));
  });
});

describe('names of built-in object properties', () => {
  test('are no views: 404 with the usual message, never a 500', async () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      for (const path of [`/views/${name}`, `/views/${name}/arrow?experiment=${EXPERIMENT}`]) {
        const res = await send('GET', path);
        assert.ok([400, 403, 404].includes(res.status), `${path}: ${res.status}`);
      }
      const fidelity = await t.call('GET', `/api/v1/views/${name}/fidelity`, {
        token: tokens.stu,
      });
      assert.ok([400, 404].includes(fidelity.status), `${name}/fidelity: ${fidelity.status}`);
      assert.doesNotMatch(await fidelity.text(), /undefined/);
    }
  });
  test('are no views or users in a proposal', async () => {
    const base = {
      title: 't',
      purpose: 'p',
      dataCategories: ['c'],
      analyses: ['a'],
      expectedOutputs: ['o'],
    };
    const view = await send('POST', '/experiments', {
      ...base,
      id: 'proto-view',
      views: ['constructor'],
    });
    assert.equal(view.status, 400);
    assert.match(((await view.json()) as ApiError).error.message, /constructor/);
    const member = await send('POST', '/experiments', {
      ...base,
      id: 'proto-member',
      views: ['people_masked'],
      members: ['constructor'],
    });
    assert.equal(member.status, 400);
  });
});
