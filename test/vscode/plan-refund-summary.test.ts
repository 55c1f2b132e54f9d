/**
 * VS Code's publish confirmation text names a synthetic rebuild whose inputs match a release
 * already charged as expected to be refunded, next to its charge.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PublishPlan } from '@privet/core/protocol';
import { planSummary } from '../../vscode-ext/src/synthetic/publish.js';

const refund = { reservation: 'pub-7', recordedAt: '2026-12-01T10:11:12.345Z' };

/** A plan rebuilding `people_synth` (charged ε 1), with `expectedRefund` when given. */
function planWith(expectedRefund?: typeof refund): PublishPlan {
  return {
    views: [
      {
        view: 'people_synth',
        tier: 'synthetic',
        source: 'people',
        action: 'rebuild',
        reason: 'source data changed',
        charge: { epsilon: '1', delta: '1e-7' },
        ...(expectedRefund ? { expectedRefund } : {}),
      },
    ],
    budgets: [],
    fits: true,
    problems: [],
  };
}

test('VS Code: the confirmation text says the charge is expected to be refunded', () => {
  const summary = planSummary(planWith(refund));
  assert.match(
    summary,
    /people_synth: rebuild \(source data changed\) — charges ε 1, δ 1e-7 \(expected to be refunded: same inputs as the release of 2026-12-01T10:11:12Z; refunded only if the rebuilt file is byte-identical\)/,
  );
  assert.ok(!planSummary(planWith()).includes('refunded'));
});
