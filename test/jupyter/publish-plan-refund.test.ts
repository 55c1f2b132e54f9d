/**
 * The publishing plan a steward confirms in JupyterLab's PublishBox names a synthetic rebuild whose inputs match a release already charged as expected to be
 * refunded, next to its charge — the charge still counts, as publish reserves it first.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PublishPlan } from '@privet/core/protocol';
import { html, load, text } from './render.js';

const { PlanView } = await load<{ PlanView: (props: { plan: PublishPlan }) => unknown }>(
  'panel/PublishBox.tsx',
);

/** A charged release with the same inputs. */
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
    budgets: [
      {
        source: 'people',
        epsilon: { total: '3', used: '1', after: '2' },
        delta: { total: '1e-6', used: '1e-7', after: '2e-7' },
        fits: true,
      },
    ],
    fits: true,
    problems: [],
  };
}

test('JupyterLab: the plan row says the charge is expected to be refunded, with the release time', () => {
  const markup = html(PlanView, { plan: planWith(refund) });
  const shown = text(markup);
  assert.match(shown, /ε 1, δ 1e-7 Expected to be refunded: same inputs as the release of/);
  assert.ok(shown.includes('2026-12-01T10:11:12Z'), shown);
  assert.ok(shown.includes('refunded only if the rebuilt file is byte-identical'), shown);
  assert.ok(markup.includes('data-expected-refund="pub-7"'), markup);
  assert.ok(!text(html(PlanView, { plan: planWith() })).includes('refunded'));
});
