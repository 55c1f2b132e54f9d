import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashExperimentRecord, type LifecycleState } from '@privet/core/record/index';
import { artefactDir } from '../../../gateway/src/experiments/index.js';
import { ServiceError } from '../../../gateway/src/audit/index.js';
import { approvedExperiment, demoPolicy, makeEnv, proposal, who, type Env } from './fixture.js';

let env: Env;
beforeEach(() => {
  env = makeEnv();
});
afterEach(() => env.close());

const alice = (): ReturnType<typeof who> => who(env.policy, 'alice');
const sam = (): ReturnType<typeof who> => who(env.policy, 'sam');

/** Drives a fresh experiment into `state` through the real API. */
async function into(id: string, state: LifecycleState): Promise<void> {
  env.experiments.propose(alice(), proposal(id));
  if (state === 'proposal') return;
  if (state === 'rejected') return void env.experiments.reject(sam(), id, 'no');
  env.experiments.approve(sam(), id);
  if (state === 'approved') return;
  if (state === 'dissolved') return void (await env.experiments.dissolve(sam(), id));
  env.experiments.start(alice(), id);
  if (state === 'running') return;
  env.experiments.evaluate(alice(), id);
}

type Move = (id: string) => Promise<unknown>;
const moves: Record<string, [LifecycleState, Move]> = {
  approve: ['approved', async (id) => env.experiments.approve(sam(), id)],
  reject: ['rejected', async (id) => env.experiments.reject(sam(), id, 'no')],
  start: ['running', async (id) => env.experiments.start(alice(), id)],
  evaluate: ['evaluation', async (id) => env.experiments.evaluate(alice(), id)],
  dissolve: ['dissolved', async (id) => env.experiments.dissolve(alice(), id)],
};
const allowed = new Set([
  'proposal:approve',
  'proposal:reject',
  'approved:start',
  'approved:dissolve',
  'running:evaluate',
  'running:dissolve',
  'evaluation:dissolve',
]);
const states: LifecycleState[] = [
  'proposal',
  'approved',
  'running',
  'evaluation',
  'dissolved',
  'rejected',
];

describe('experiment lifecycle', () => {
  test('every allowed transition succeeds and every other one is refused, all audited', async () => {
    let n = 0;
    for (const from of states) {
      for (const [name, [to, move]] of Object.entries(moves)) {
        const id = `e${n++}`;
        await into(id, from);
        assert.equal(env.experiments.get(sam(), id).state, from);
        const before = env.audit.entries({ experiment: id, limit: 10_000 }).length;
        if (allowed.has(`${from}:${name}`)) {
          await move(id);
          assert.equal(env.experiments.get(sam(), id).state, to, `${from} -${name}-> ${to}`);
          const last = env.audit.entries({ experiment: id, limit: 10_000 }).at(-1);
          // The entry binds the record as it stands after the move (and a rejection's reason).
          const recordHash = await hashExperimentRecord(env.experiments.get(sam(), id));
          const said = name === 'reject' ? { reason: 'no' } : {};
          assert.deepEqual(last?.details, { from, to, recordHash, ...said });
        } else {
          await assert.rejects(
            move(id),
            (e: unknown) => e instanceof ServiceError && e.reason === 'experiment.bad-transition',
            `${from} -${name}-> must be refused`,
          );
          assert.equal(env.experiments.get(sam(), id).state, from);
          const last = env.audit.entries({ experiment: id, limit: 10_000 }).at(-1);
          assert.equal(last?.action, 'experiment.refused');
        }
        assert.equal(env.audit.entries({ experiment: id, limit: 10_000 }).length, before + 1);
      }
    }
    assert.equal((await env.audit.verify()).ok, true);
  });

  test('four eyes: only a steward approves, never their own or a proposal they work in', () => {
    const sue = who(env.policy, 'sue');
    env.experiments.propose(sam(), proposal('own', { members: [] }));
    assert.throws(() => env.experiments.approve(sam(), 'own'), /four-eyes/);
    env.experiments.propose(alice(), proposal('member', { members: ['sam'] }));
    assert.throws(() => env.experiments.approve(sam(), 'member'), /four-eyes/);
    assert.throws(() => env.experiments.reject(sam(), 'member', 'x'), /four-eyes/);
    env.experiments.propose(alice(), proposal('plain'));
    assert.throws(() => env.experiments.approve(alice(), 'plain'), /only a steward/);
    assert.throws(
      () => env.experiments.approve(who(env.policy, 'rita'), 'plain'),
      /only a steward/,
    );
    // Claiming a role the policy does not grant does not help.
    assert.throws(
      () => env.experiments.approve({ user: 'bob', roles: ['steward'] }, 'plain'),
      /only a steward/,
    );
    assert.equal(env.experiments.approve(sue, 'own').decidedBy, 'sue');
    assert.equal(env.experiments.approve(sue, 'member').state, 'approved');
    assert.equal(env.experiments.get(sam(), 'plain').state, 'proposal');
  });

  test('only the owner or a steward starts, evaluates or dissolves', async () => {
    approvedExperiment(env, 'x', false);
    assert.throws(() => env.experiments.start(who(env.policy, 'bob'), 'x'), /only the owner/);
    assert.throws(() => env.experiments.start(who(env.policy, 'rita'), 'x'), /only the owner/);
    env.experiments.start(alice(), 'x');
    await assert.rejects(env.experiments.dissolve(who(env.policy, 'bob'), 'x'), /only the owner/);
    assert.equal((await env.experiments.dissolve(sam(), 'x', 'done')).state, 'dissolved');
  });

  test('proposals are validated against the policy', () => {
    assert.throws(
      () => env.experiments.propose(alice(), proposal('a', { views: ['nope'] })),
      /not declared in the policy/,
    );
    assert.throws(
      () => env.experiments.propose(alice(), proposal('a', { members: ['zed'] })),
      /not a user/,
    );
    assert.throws(() => env.experiments.propose(alice(), proposal('../etc')), /not valid/);
    // Members that take in every steward (or reviewer) would leave nobody to approve (or decide).
    const holders = (role: string): string[] =>
      Object.entries(env.policy.users)
        .filter(([, grant]) => grant.roles.some((r) => r === role))
        .map(([user]) => user);
    assert.ok(holders('steward').length >= 2 && holders('reviewer').length >= 1);
    assert.throws(
      () =>
        env.experiments.propose(alice(), proposal('all-stewards', { members: holders('steward') })),
      /no steward outside the experiment is left to approve it/,
    );
    assert.throws(
      () =>
        env.experiments.propose(
          alice(),
          proposal('all-reviewers', { members: holders('reviewer') }),
        ),
      /no reviewer outside the experiment is left to decide its review requests/,
    );
    const [oneSteward] = holders('steward');
    env.experiments.propose(alice(), proposal('one-steward', { members: [oneSteward!] }));
    assert.throws(
      () => env.experiments.propose(alice(), proposal('a', { purpose: ' ' })),
      /purpose/,
    );
    assert.throws(
      () => env.experiments.propose(who(env.policy, 'rita'), proposal('a')),
      /may not propose/,
    );
    env.experiments.propose(alice(), proposal('a'));
    assert.throws(() => env.experiments.propose(alice(), proposal('a')), /already exists/);
    const generated = env.experiments.propose(alice(), proposal('b', { id: undefined }));
    assert.match(generated.id, /^exp-[0-9a-f]{10}$/);
    assert.deepEqual(generated.members, ['bob']);
  });

  test('analysts see only their experiments; stewards and reviewers see all', () => {
    env.experiments.propose(alice(), proposal('mine', { members: [] }));
    assert.deepEqual(
      env.experiments.list(alice()).map((e) => e.id),
      ['mine'],
    );
    assert.deepEqual(env.experiments.list(who(env.policy, 'bob')), []);
    assert.throws(() => env.experiments.get(who(env.policy, 'bob'), 'mine'), /no experiment/);
    assert.equal(env.experiments.list(who(env.policy, 'rita')).length, 1);
  });
});

describe('view access', () => {
  test('only members, only approved or running, only approved views', async () => {
    const bob = who(env.policy, 'bob');
    env.experiments.propose(alice(), proposal('v'));
    assert.throws(
      () => env.experiments.assertCanUseView(alice(), 'v', 'patients_dp'),
      /still a proposal/,
    );
    env.experiments.approve(sam(), 'v');
    assert.equal(env.experiments.assertCanUseView(alice(), 'v', 'patients_dp').id, 'v');
    env.experiments.start(alice(), 'v');
    assert.equal(env.experiments.assertCanUseView(bob, 'v', 'patients_masked').id, 'v');
    assert.throws(
      () => env.experiments.assertCanUseView(alice(), 'v', 'visits_dp'),
      /not among the views approved/,
    );
    assert.throws(
      () => env.experiments.assertCanUseView(who(env.policy, 'sue'), 'v', 'patients_dp'),
      /not a member/,
    );
    assert.throws(
      () => env.experiments.assertCanUseView(who(env.policy, 'rita'), 'v', 'patients_dp'),
      /role analyst or steward/,
    );
    assert.throws(
      () => env.experiments.assertCanUseView(alice(), 'none', 'patients_dp'),
      /not a member of any experiment "none"/,
    );
    env.experiments.evaluate(alice(), 'v');
    assert.throws(
      () => env.experiments.assertCanUseView(alice(), 'v', 'patients_dp'),
      /in evaluation/,
    );
    await env.experiments.dissolve(alice(), 'v');
    assert.throws(() => env.experiments.assertCanUseView(alice(), 'v', 'patients_dp'), /dissolved/);
    const actions = env.audit.entries({ experiment: 'v', limit: 10_000 }).map((e) => e.action);
    assert.equal(actions.filter((a) => a === 'view.access').length, 2);
    assert.equal(actions.filter((a) => a === 'access.refused').length, 6);
  });
});

describe('dissolution', () => {
  function plant(id: string): string {
    const dir = artefactDir(env.dir, id);
    mkdirSync(join(dir, 'exports'), { recursive: true });
    writeFileSync(join(dir, 'result.arrow'), 'x');
    writeFileSync(join(dir, 'exports', 'table.csv'), 'y');
    return dir;
  }

  test('revokes access at once and deletes artefacts when the retention period ends', async () => {
    approvedExperiment(env, 'd');
    const dir = plant('d');
    const other = plant('keep');
    const e = await env.experiments.dissolve(alice(), 'd', 'finished');
    assert.equal(e.artefactsDueAt, '2026-03-31T09:00:00.000Z');
    assert.throws(() => env.experiments.assertCanUseView(alice(), 'd', 'patients_dp'), /revoked/);
    assert.ok(existsSync(dir), 'kept during the 30-day retention');
    env.now.t += 29 * 86_400_000;
    assert.deepEqual(await env.experiments.purgeDueArtefacts(), []);
    env.now.t += 86_400_000;
    assert.deepEqual(await env.experiments.purgeDueArtefacts(), [{ experiment: 'd', files: 2 }]);
    assert.ok(!existsSync(dir));
    assert.ok(existsSync(other), 'another experiment’s artefacts stay');
    assert.deepEqual(await env.experiments.purgeDueArtefacts(), [], 'purged once');
    const last = env.audit.entries({ experiment: 'd', limit: 10_000 }).at(-1);
    assert.equal(last?.action, 'experiment.artefacts_deleted');
    const purged = env.experiments.get(sam(), 'd');
    assert.deepEqual(last?.details, {
      files: 2,
      reviewOutputs: 0,
      reviewPreviews: 0,
      reviewFindings: 0,
      reviewComments: 0,
      recordHash: await hashExperimentRecord(purged),
    });
    assert.ok(purged.artefactsDeletedAt);
  });

  test('with 0 retention days artefacts go with the dissolution', async () => {
    env.close();
    env = makeEnv(demoPolicy(undefined, 0));
    approvedExperiment(env, 'z');
    const dir = plant('z');
    const e = await env.experiments.dissolve(sam(), 'z');
    assert.ok(!existsSync(dir));
    assert.equal(e.artefactsDeletedAt, e.dissolvedAt);
  });
});
