/**
 * The DP query box shows the per-query limits of the budgets its views charge before any dry run
 * (jupyter-ext panel/usePerQueryLimits.ts): read once from the experiment's budget, one line per
 * limited source, nothing without sources or when the read fails. Rendered with react-dom's
 * client renderer on the fake DOM, with a fake gateway client.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as React from 'react';
import type { BudgetResponse } from '@privet/core/protocol';
import { load } from './render.js';
import {
  createRoot,
  document,
  findAll,
  FakeElement,
  shown,
  type Component,
} from './react-fake-dom.js';

const { DpQueryBox } = await load<{ DpQueryBox: Component }>('panel/DpQueryBox.tsx');
const { perQueryLimitLines } = await load<{
  perQueryLimitLines: (budget: BudgetResponse, sources: readonly string[]) => string[];
}>('panel/usePerQueryLimits.ts');

/** A budget response: people limited to ε 1 (and δ 1e-8) per query, visits unlimited. */
const BUDGET = {
  experiment: 'exp1',
  budgets: [
    {
      source: 'people',
      perQuery: {
        epsilon: { text: '1', exact: '1' },
        delta: { text: '1e-8', exact: '1/100000000' },
      },
    },
    { source: 'visits' },
  ],
  charges: [],
} as unknown as BudgetResponse;

/** Lets the box's awaits run. */
const settle = () => React.act(() => new Promise<void>((resolve) => setTimeout(resolve, 1)));

/** The box rendered with `sources` and a client answering budget() with `answer`. */
async function box(sources: string[] | undefined, answer: () => Promise<BudgetResponse>) {
  const container = new FakeElement('div', document);
  const root = createRoot(container);
  const asked: string[] = [];
  const client = {
    budget: (experiment: string) => {
      asked.push(experiment);
      return answer();
    },
    dpQuery: () => new Promise(() => undefined),
  };
  const props = {
    client,
    experiment: 'exp1',
    views: ['people_dp'],
    ...(sources ? { sources } : {}),
    onRelease: () => Promise.resolve(),
  };
  await React.act(async () => root.render(React.createElement(DpQueryBox, props)));
  await settle();
  const lines = () => findAll(container, (e) => e.tagName === 'LI').map((li) => shown(li));
  const lists = () =>
    findAll(container, (e) => e.getAttribute('aria-label') === 'Per-query limits').length;
  return { asked, lines, lists, unmount: () => React.act(async () => root.unmount()) };
}

describe('DP query box: per-query limits before a dry run', () => {
  test('one line per limited source its views read', async () => {
    const b = await box(['people', 'visits'], () => Promise.resolve(BUDGET));
    assert.deepEqual(b.asked, ['exp1'], 'the budget is read once');
    assert.deepEqual(b.lines(), ['At most ε 1 and δ 1e-8 per query on people']);
    assert.equal(b.lists(), 1);
    await b.unmount();
  });

  test('nothing shown without sources, for an unlimited source, or when the read fails', async () => {
    const none = await box(undefined, () => Promise.resolve(BUDGET));
    assert.deepEqual(none.asked, [], 'no sources: no read');
    assert.equal(none.lists(), 0);
    await none.unmount();
    const unlimited = await box(['visits'], () => Promise.resolve(BUDGET));
    assert.equal(unlimited.lists(), 0);
    await unlimited.unmount();
    const failed = await box(['people'], () => Promise.reject(new Error('gateway down')));
    assert.equal(failed.lists(), 0);
    await failed.unmount();
  });

  test('perQueryLimitLines keeps the order of the budget and only the sources asked', () => {
    assert.deepEqual(perQueryLimitLines(BUDGET, ['visits']), []);
    assert.deepEqual(perQueryLimitLines(BUDGET, ['people']), [
      'At most ε 1 and δ 1e-8 per query on people',
    ]);
  });
});
