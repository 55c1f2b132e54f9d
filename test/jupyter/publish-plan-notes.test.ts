/**
 * The publishing plan a steward confirms in JupyterLab's PublishBox lists the plan's notes (per
 * source, the columns the policy leaves out, never loaded) as the publish job does: a hint list,
 * plain text, nothing without notes — so they are seen before Publish, not once the job runs.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PublishPlan } from '@privet/core/protocol';
import { html, load, text } from './render.js';

const { PlanView } = await load<{ PlanView: (props: { plan: PublishPlan }) => unknown }>(
  'panel/PublishBox.tsx',
);

const PEOPLE_NOTE =
  'source `people`: 1 column in people.parquet is not in the policy and is never loaded: `notes` — ' +
  'declare it under sources.people.columns to use it';
/** A note whose (escaped by the gateway) name looks like markup: shown as text, never as HTML. */
const MARKUP_NOTE =
  'source `visits`: 1 column in visits.csv is not in the policy and is never loaded: `<img src=x>` — ' +
  'declare it under sources.visits.columns to use it';

/** A plan keeping `people_masked` (nothing charged), with `notes` when given. */
function planWith(notes?: string[]): PublishPlan {
  return {
    views: [
      {
        view: 'people_masked',
        tier: 'masked',
        source: 'people',
        action: 'rebuild',
        reason: 'masked views are rebuilt every time (no budget)',
      },
    ],
    budgets: [],
    fits: true,
    problems: [],
    ...(notes ? { notes } : {}),
  };
}

test('JupyterLab: the plan lists its notes as a hint list of plain text', () => {
  const markup = html(PlanView, { plan: planWith([PEOPLE_NOTE, MARKUP_NOTE]) });
  const list = /<ul class="jp-Privet-hint jp-Privet-publishNotes"[^>]*>(.*?)<\/ul>/.exec(markup);
  assert.ok(list, markup);
  assert.match(list[0], /aria-label="Notes on the sources"/);
  const items = [...list[1]!.matchAll(/<li>(.*?)<\/li>/g)].map((m) => text(m[1]!));
  assert.deepEqual(items, [PEOPLE_NOTE, MARKUP_NOTE]);
  assert.ok(!markup.includes('<img'), 'a name is text, not markup');
  assert.doesNotMatch(list[0], /style=/);
  // After what the plan does and costs.
  assert.ok(markup.indexOf('nothing is charged') < markup.indexOf('jp-Privet-publishNotes'));
});

test('JupyterLab: a plan without notes shows no list', () => {
  for (const plan of [planWith(), planWith([])]) {
    const markup = html(PlanView, { plan });
    assert.ok(!markup.includes('jp-Privet-publishNotes'), markup);
    assert.ok(!markup.includes('<ul'), markup);
    assert.ok(!text(markup).includes('never loaded'));
  }
});
