/**
 * `privet publish --plan` from source: on a fresh state folder it lists the rebuild and its charge
 * and leaves the folder untouched; after a publish the view is kept and nothing is charged; with a
 * publication budget too small it says so, with the fix, and exits 1.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { policyText, writeSource } from './fixture.js';
import { privet } from '../run-cli.js';

describe('privet publish --plan', () => {
  const dir = writeSource();
  const work = mkdtempSync(join(tmpdir(), 'privet-plan-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  test('shows the rebuild and its charge, spends nothing, then shows keep after a publish', () => {
    const policy = join(dir, 'policy.yaml');
    writeFileSync(policy, policyText({ publication: '3', seed: 'plan-cli' }));
    const state = join(work, 'state');
    const plan = privet('publish', '--policy', policy, '--state', state, '--plan');
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(
      plan.stdout,
      /rebuild people_synth \(synthetic\): not published yet; charges ε=1, δ=1e-7/,
    );
    assert.match(plan.stdout, /publication budget "people": ε 0 → 1 of 3/);
    assert.match(plan.stdout, /nothing was written or spent/);
    assert.equal(existsSync(state), false, 'the plan leaves the state folder untouched');

    const published = privet('publish', '--policy', policy, '--state', state);
    assert.equal(published.code, 0, published.stderr);
    const again = privet('publish', '--policy', policy, '--state', state, '--plan');
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /keep {4}people_synth \(synthetic\): unchanged/);
    assert.match(again.stdout, /nothing is charged/);
  });

  test('a publication budget too small: the problem and its fix, exit code 1', () => {
    const policy = join(dir, 'small.yaml');
    writeFileSync(policy, policyText({ publication: '0.5', seed: 'plan-cli' }));
    const r = privet('publish', '--policy', policy, '--state', join(work, 'small'), '--plan');
    assert.equal(r.code, 1);
    assert.match(r.stdout, /error: .*needs ε=1.*Fix: .*publication_budgets/);
    assert.match(r.stdout, /publishing would be refused/);
  });

  test('--view limits the plan to those views; an unknown or dp view is refused as without --plan', () => {
    const policy = join(dir, 'views.yaml');
    writeFileSync(
      policy,
      policyText({ publication: '3', seed: 'plan-cli' }).replace(
        '\nusers:',
        '\n  people_masked:\n    tier: masked\n    source: people\n    columns:\n' +
          '      city: { op: keep }\nusers:',
      ),
    );
    const state = join(work, 'views');
    const only = privet(
      'publish',
      '--policy',
      policy,
      '--state',
      state,
      '--plan',
      '--view',
      'people_masked',
    );
    assert.equal(only.code, 0, only.stderr);
    assert.match(only.stdout, /rebuild people_masked \(masked\)/);
    assert.doesNotMatch(only.stdout, /people_synth/, 'the other view is not planned');
    assert.match(only.stdout, /nothing is charged/);
    const all = privet('publish', '--policy', policy, '--state', state, '--plan');
    assert.match(all.stdout, /people_synth/);
    for (const plan of [true, false]) {
      const typo = privet(
        'publish',
        '--policy',
        policy,
        '--state',
        state,
        ...(plan ? ['--plan'] : []),
        '--view',
        'people_synht',
      );
      assert.equal(typo.code, 1, `${typo.stdout}${typo.stderr}`);
      assert.match(typo.stderr, /people_synht.*no such view in the policy.*Fix: use one of /);
      assert.doesNotMatch(typo.stdout, /nothing was written or spent/);
    }
    assert.equal(existsSync(state), false, 'refused before anything was written');
  });
});
