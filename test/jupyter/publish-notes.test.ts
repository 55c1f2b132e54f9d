/**
 * JupyterLab's publish box shows a publish job's notes (per source, the header columns the policy
 * leaves out, never loaded) as a hint list under the bar, from the job's start to its end: plain
 * text in the theme's hint colour, nothing shown without notes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PublishJob } from '@privet/core';
import { html, load, text } from './render.js';

const { PublishJobView } = await load<{
  PublishJobView: (props: { job: PublishJob; stalled: null; onCheckAgain: () => void }) => unknown;
}>('panel/PublishJobView.tsx');

const PEOPLE_NOTE =
  'source `people`: 1 column in people.csv is not in the policy and is never loaded: `notes` — ' +
  'declare it under sources.people.columns to use it';
/** A note whose (escaped by the gateway) name looks like markup: shown as text, never as HTML. */
const MARKUP_NOTE =
  'source `visits`: 1 column in visits.csv is not in the policy and is never loaded: `<img src=x>` — ' +
  'declare it under sources.visits.columns to use it';

/** A job in `state` with `notes` when given. */
function jobWith(state: PublishJob['state'], notes?: string[]): PublishJob {
  return {
    id: 'job-0123456789abcdef01234567',
    state,
    startedAt: '2026-12-01T10:00:00.000Z',
    progress: state === 'done' ? { phase: 'done', fraction: 1 } : { phase: 'start', fraction: 0 },
    ...(state === 'done'
      ? { finishedAt: '2026-12-01T10:00:05.000Z', result: { published: [] } }
      : {}),
    ...(notes ? { notes } : {}),
  };
}

/** Renders the job box of `job`. */
const render = (job: PublishJob): string =>
  html(PublishJobView, { job, stalled: null, onCheckAgain: () => undefined });

test('JupyterLab: a publish job shows its notes as a hint list, while running and when done', () => {
  for (const state of ['running', 'done'] as const) {
    const markup = render(jobWith(state, [PEOPLE_NOTE, MARKUP_NOTE]));
    const list = /<ul class="jp-Privet-hint jp-Privet-publishNotes"[^>]*>(.*?)<\/ul>/.exec(markup);
    assert.ok(list, markup);
    assert.match(list[0], /aria-label="Notes on the sources"/);
    const items = [...list[1]!.matchAll(/<li>(.*?)<\/li>/g)].map((m) => text(m[1]!));
    assert.deepEqual(items, [PEOPLE_NOTE, MARKUP_NOTE]);
    assert.ok(!markup.includes('<img'), 'a name is text, not markup');
    // Styled by the theme's classes only (base.css), no inline style of its own.
    assert.doesNotMatch(list[0], /style=/);
  }
});

test('JupyterLab: a publish job without notes shows no list', () => {
  const markup = render(jobWith('done'));
  assert.ok(!markup.includes('jp-Privet-publishNotes'), markup);
  assert.ok(!text(markup).includes('never loaded'));
  assert.ok(!render(jobWith('done', [])).includes('<ul'));
});
