/**
 * The budget sidebar's gauges (jupyter-ext panel/BudgetApp.tsx) name the budget reserved by
 * queries still running in their text and in the meter's value text, not only as an orange bar
 * segment; and the DP query box says why Run is disabled in visible text that is Run's accessible
 * description (panel/DpQueryBox.tsx), not only in a tooltip.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { html, load, text } from './render.js';

type Component = (props: Record<string, unknown>) => unknown;
const { Gauge, BudgetView } = await load<{ Gauge: Component; BudgetView: Component }>(
  'panel/BudgetApp.tsx',
);
const { DpQueryBox, runHint } = await load<{
  DpQueryBox: Component;
  runHint(busy: boolean, priced: boolean, affordable: boolean): string;
}>('panel/DpQueryBox.tsx');

const figure = (value: number) => ({ value, text: String(value) });
/** A budget of ε 3 with `spent` spent and `reserved` reserved. */
const budget = (spent: number, reserved: number) => ({
  source: 'people',
  total: { epsilon: figure(3), delta: figure(0) },
  spent: { epsilon: figure(spent), delta: figure(0) },
  reserved: { epsilon: figure(reserved), delta: figure(0) },
  remaining: { epsilon: figure(3 - spent - reserved), delta: figure(0) },
});
const gauge = (spent: number, reserved: number): string =>
  html(Gauge, { label: 'ε', figure: 'epsilon', budget: budget(spent, reserved) });

describe("budget section: the policy's per-query limit", () => {
  const experiment = { id: 'exp1', title: 'Study', state: 'running' };
  const section = (perQuery?: object): string =>
    html(BudgetView, {
      experiment,
      budget: {
        state: 'ready',
        value: { budgets: [{ ...budget(1, 0), ...(perQuery ? { perQuery } : {}) }], charges: [] },
      },
      retry: () => undefined,
    });

  test('is said under the gauges when the policy sets one', () => {
    const markup = section({ epsilon: figure(0.5), delta: { value: 1e-8, text: '1e-8' } });
    assert.match(markup, /<p class="jp-Privet-perQuery">At most ε 0.5 and δ 1e-8 per query<\/p>/);
    assert.match(text(section({ epsilon: figure(0.5) })), /left 2.*At most ε 0.5 per query/);
  });

  test('is absent when it sets none', () => {
    assert.doesNotMatch(section(), /per query|jp-Privet-perQuery/);
  });
});

describe('budget gauge: reserved budget in words', () => {
  test('the label and the value text name what is reserved', () => {
    const markup = gauge(1, 0.5);
    assert.equal(text(markup), 'ε spent 1 of 3 · 0.5 reserved · left 1.5');
    assert.match(markup, /aria-valuetext="1 of 3 spent, 0.5 reserved"/);
  });

  test('nothing reserved: no reserved part', () => {
    const markup = gauge(1, 0);
    assert.equal(text(markup), 'ε spent 1 of 3 · left 2');
    assert.match(markup, /aria-valuetext="1 of 3 spent"/);
  });
});

describe('DP query box: why Run is disabled, visibly', () => {
  test('before a dry run the hint is shown and describes Run', () => {
    const markup = html(DpQueryBox, {
      client: {},
      experiment: 'exp1',
      views: ['people_dp'],
      onRelease: () => Promise.resolve(),
    });
    const id = /<div id="([^"]+)" class="jp-Privet-hint jp-Privet-runHint">Dry run first/.exec(
      markup,
    )?.[1];
    assert.ok(id, 'a visible hint');
    assert.match(markup, new RegExp(`<button[^>]*disabled=""[^>]*aria-describedby="${id}"`));
    assert.doesNotMatch(markup, /title="/, 'not only a tooltip');
  });

  test('the hint follows what Run would do', () => {
    assert.match(runHint(false, true, false), /^Not affordable: lower ε/);
    assert.match(runHint(false, true, true), /^Run spends the budget shown/);
    assert.match(runHint(true, true, true), /^Wait/);
  });
});
