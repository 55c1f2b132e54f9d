/**
 * The budget sidebar (jupyter-ext panel/BudgetApp.tsx) after the user selects another experiment
 * shows "Loading…" at once and never the former experiment's gauges and charges under the new
 * heading, also when the new budget cannot be loaded; a failed refresh of the same experiment
 * keeps its figures and says near the top, under the experiment, what happened, how to fix it and
 * that they may be out of date. Rendered with react-dom's client renderer on a small fake DOM
 * (react-fake-dom.ts), so effects
 * run as in JupyterLab.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as React from 'react';
import { Signal } from '@lumino/signaling';
import { load } from './render.js';

import { createRoot, document, FakeElement, shown, type Component } from './react-fake-dom.js';
const { BudgetApp } = await load<{ BudgetApp: Component }>('panel/BudgetApp.tsx');
const { ExperimentContext } = await load<{
  ExperimentContext: new () => { select(experiment: object | null): void };
}>('experiment.ts');

/** An experiment as the data panel selects it. */
const experiment = (id: string, title: string) => ({
  id,
  title,
  purpose: 'p',
  state: 'running',
  views: ['people_dp'],
});
const alpha = experiment('exp-alpha', 'Alpha study');
const beta = experiment('exp-beta', 'Beta study');

const figure = (value: number, text: string) => ({ value, text });
/** Alpha's budget: ε 1.25 of 3 spent on `people`, one committed charge. */
const alphaBudget = {
  experiment: 'exp-alpha',
  budgets: [
    {
      source: 'people',
      scope: 'experiment',
      total: { epsilon: figure(3, '3'), delta: figure(0, '0') },
      spent: { epsilon: figure(1.25, '1.25'), delta: figure(0, '0') },
      reserved: { epsilon: figure(0, '0'), delta: figure(0, '0') },
      remaining: { epsilon: figure(1.75, '1.75'), delta: figure(0, '0') },
    },
  ],
  charges: [
    {
      reservationId: 'r1',
      user: 'ana',
      epsilon: '1.25',
      delta: '0',
      status: 'committed',
      query: 'SELECT count(*) FROM people_dp',
      reservedAt: '2024-05-01T10:00:00Z',
    },
  ],
};
/** The gateway's error when it is down, with its fix (as GatewayError carries one). */
const gatewayDown = (): Error =>
  Object.assign(new Error('could not reach the Privet gateway at http://gw'), {
    fix: 'start the gateway (npm start)',
  });

/** An analyst signed in with a client whose budget answers come from `answers`, in order. */
function analyst(answers: ((id: string) => Promise<unknown>)[]) {
  const client = {
    budget: (id: string) =>
      (answers.shift() ?? (() => Promise.reject(new Error('unexpected'))))(id),
    experimentAudit: () => Promise.resolve({ entries: [] }),
    listReviews: () => Promise.resolve({ reviews: [] }),
  };
  return {
    signedIn: { client, token: 'pvt_test', user: { user: 'ana', name: 'Ana', roles: ['analyst'] } },
    changed: new Signal<object, unknown>({}),
    restoreProblem: null,
    restoreProblemChanged: new Signal<object, unknown>({}),
  };
}
const alphaAnswer = (): Promise<unknown> => Promise.resolve(alphaBudget);
const down = (): Promise<unknown> => Promise.reject(gatewayDown());
/** An answer that has not come yet (the gateway is slow). */
const never = (): Promise<unknown> => new Promise(() => undefined);

/** The sidebar: renders BudgetApp at a tick, and its text. */
function sidebar(session: ReturnType<typeof analyst>) {
  const container = new FakeElement('div', document);
  const root = createRoot(container);
  const context = new ExperimentContext();
  return {
    container,
    context,
    text: () => shown(container),
    render: (tick: number) =>
      React.act(async () =>
        root.render(React.createElement(BudgetApp, { session, context, tick })),
      ),
    select: (e: object) => React.act(async () => context.select(e)),
    unmount: () => React.act(async () => root.unmount()),
  };
}
/** The part of the sidebar's text before the experiment record. */
const budgetPart = (text: string): string => text.split('Experiment record')[0]!;

describe("budget sidebar: another experiment never shows the last one's budget", () => {
  test('switching shows "Loading…" at once, without the former gauges and charges', async () => {
    const bar = sidebar(analyst([alphaAnswer, never]));
    await bar.select(alpha);
    await bar.render(0);
    assert.match(bar.text(), /Alpha study .* ε spent 1\.25 of 3/);
    await bar.select(beta);
    const text = budgetPart(bar.text());
    assert.match(text, /Beta study \( exp-beta \)/);
    assert.match(text, /Loading the privacy budget…/);
    assert.doesNotMatch(text, /people|1\.25|SELECT count/, "none of Alpha's figures");
    await bar.unmount();
  });

  test('a failed load of the new experiment shows its error with Retry under it, no old figures', async () => {
    const bar = sidebar(analyst([alphaAnswer, down]));
    await bar.select(alpha);
    await bar.render(0);
    await bar.select(beta);
    const text = budgetPart(bar.text());
    assert.match(
      text,
      /Beta study \( exp-beta \) · running could not reach the Privet gateway at http:\/\/gw Fix: start the gateway \(npm start\) Retry/,
    );
    assert.doesNotMatch(text, /people|1\.25|SELECT count|out of date/);
    await bar.unmount();
  });
});

describe('budget sidebar: a failed refresh of the same experiment', () => {
  test('keeps the figures, marked as possibly out of date near the top with the error and fix', async () => {
    const bar = sidebar(analyst([alphaAnswer, down, alphaAnswer]));
    await bar.select(alpha);
    await bar.render(0);
    await bar.render(1); // the sidebar's timer, while the gateway restarts
    const text = budgetPart(bar.text());
    assert.match(
      text,
      /^Privacy budget Alpha study \( exp-alpha \) · running Could not refresh the budget figures and charges: could not reach the Privet gateway at http:\/\/gw Fix: start the gateway \(npm start\) The budget figures and charges shown may be out of date/,
    );
    assert.match(text, /people ε spent 1\.25 of 3 .* SELECT count/, 'the figures stay');
    await bar.render(2); // the gateway is back
    assert.doesNotMatch(bar.text(), /Could not refresh|out of date|could not reach/);
    assert.match(bar.text(), /people ε spent 1\.25 of 3/);
    await bar.unmount();
  });
});
