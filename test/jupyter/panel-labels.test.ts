/**
 * What the data panel, the budget sidebar and held outputs say in words (UX audit 4): each view
 * card's buttons are named with the view (jupyter-ext panel/ViewCard.tsx), "1 group" not
 * "1 groups" (panel/DryRunView.tsx), charges in decimals as the gauges show amounts and the
 * experiment's id in parentheses (panel/BudgetApp.tsx), the held-output rules by label with the
 * rule id only in a tooltip (gate/HeldOutput.tsx), the experiment selector as JupyterLab's
 * HTMLSelect (panel/ExperimentPicker.tsx) and the SQL editors' keys line (panel/SqlEditor.tsx).
 * Rendered to HTML in Node (render.ts).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { countDryRun } from './dry-run-fixture.js';
import { html, load, text } from './render.js';

type Component = (props: Record<string, unknown>) => unknown;

const { ViewCard } = await load<{ ViewCard: Component }>('panel/ViewCard.tsx');
const { DryRunView, groupsText } = await load<{
  DryRunView: Component;
  groupsText: (groups: number) => string;
}>('panel/DryRunView.tsx');
const { BudgetView, amountText } = await load<{
  BudgetView: Component;
  amountText: (exact: string) => string;
}>('panel/BudgetApp.tsx');
const { RuleList } = await load<{ RuleList: Component }>('gate/HeldOutput.tsx');
const { ExperimentPicker } = await load<{ ExperimentPicker: Component }>(
  'panel/ExperimentPicker.tsx',
);
const { sqlKeysHint } = await load<{ sqlKeysHint: (stoppable: boolean) => string }>(
  'panel/SqlEditor.tsx',
);

const noop = (): void => undefined;
const fidelity = { isSteward: false, load: () => Promise.reject(new Error('unused')) };

describe('view cards: each button is named with its view', () => {
  test('Preview and Use in notebook keep their text and say which view', () => {
    const view = { name: 'people_masked', tier: 'masked', source: 'people', published: true };
    const markup = html(ViewCard, {
      view: { ...view, columns: [], rows: 10 },
      unusable: null,
      onPreview: noop,
      onUseInNotebook: noop,
      fidelity,
    });
    assert.match(markup, /aria-label="Preview: people_masked"[^>]*>Preview</);
    assert.match(markup, /aria-label="Use in notebook: people_masked"[^>]*>Use in notebook</);
  });

  test('DP query says which DP view', () => {
    const markup = html(ViewCard, {
      view: { name: 'visits_dp', tier: 'dp', source: 'visits', published: true, columns: [] },
      unusable: null,
      onPreview: noop,
      onUseInNotebook: noop,
      onDpQuery: noop,
      fidelity,
    });
    assert.match(markup, /aria-label="DP query: visits_dp"[^>]*>DP query</);
  });
});

describe('view cards: a view whose manifest cannot be read says so', () => {
  test('"unreadable" beside its name, and what happened with the fix inside', () => {
    const unreadable = {
      message: 'view "people_synthetic" cannot be served: its manifest is not valid JSON',
      fix: 'a steward publishes it again',
    };
    const markup = html(ViewCard, {
      view: {
        name: 'people_synthetic',
        tier: 'synthetic',
        source: 'people',
        published: false,
        columns: [],
        unreadable,
      },
      unusable: null,
      onPreview: noop,
      onUseInNotebook: noop,
      fidelity,
    });
    const shown = text(markup);
    assert.match(shown, /unreadable/);
    assert.doesNotMatch(shown, /not published/);
    assert.match(shown, /its manifest is not valid JSON\. Fix: a steward publishes it again\./);
  });
});

describe('dry run: groups counted in words', () => {
  test('one group is "1 group", more are "groups"', () => {
    assert.equal(groupsText(1), '1 group');
    assert.equal(groupsText(3), '3 groups');
    const one = text(html(DryRunView, { dryRun: { ...countDryRun('3', true), groups: 1 } }));
    assert.match(one, /· 1 group \b/);
    assert.doesNotMatch(one, /1 groups/);
  });
});

describe('budget sidebar: amounts and the experiment heading', () => {
  const figure = (value: number, t: string) => ({ value, text: t });
  const budget = {
    experiment: 'demo',
    budgets: [
      {
        source: 'people',
        scope: 'experiment',
        total: { epsilon: figure(3, '3'), delta: figure(0, '0') },
        spent: { epsilon: figure(0.5, '0.5'), delta: figure(0, '0') },
        reserved: { epsilon: figure(0, '0'), delta: figure(0, '0') },
        remaining: { epsilon: figure(2.5, '2.5'), delta: figure(0, '0') },
      },
    ],
    charges: [
      {
        reservationId: 'r1',
        user: 'ana',
        epsilon: '1/2',
        delta: '1/100000',
        status: 'committed',
        query: 'SELECT count(*) FROM people_dp',
        reservedAt: '2024-05-01T10:00:00Z',
      },
    ],
  };
  const shown = () =>
    text(
      html(BudgetView, {
        experiment: { id: 'demo', title: 'Clinic demo', state: 'approved' },
        budget: { state: 'ready', value: budget },
        retry: noop,
      }),
    );

  test('a charge written as a fraction shows as a decimal, like the gauges', () => {
    assert.equal(amountText('1/2'), '0.5');
    assert.equal(amountText('0.3'), '0.3');
    assert.equal(amountText('not a number'), 'not a number');
    assert.match(shown(), /· ana · ε 0\.5, δ 0\.00001 · committed/);
  });

  test('the heading puts the experiment id in parentheses', () => {
    assert.match(shown(), /^Clinic demo \( demo \) · approved/);
  });
});

describe('held output: rules by label, the id in a tooltip', () => {
  test('the rule id is not printed after its label, and li[data-rule] stays', () => {
    const finding = { rule: 'raw-value', severity: 'high', mime: 'text/plain', message: 'x' };
    const markup = html(RuleList, { findings: [finding] });
    assert.match(markup, /<li data-rule="raw-value">/);
    assert.match(markup, /title="Rule raw-value"/);
    assert.doesNotMatch(text(markup), /raw-value/);
  });
});

describe('experiment selector: JupyterLab HTMLSelect', () => {
  test('the select is in a jp-HTMLSelect (its arrow and focus ring), named Experiment', () => {
    const experiment = { id: 'demo', title: 'Clinic demo', state: 'approved', views: [] };
    const markup = html(ExperimentPicker, {
      experiments: [experiment],
      selected: experiment,
      loading: false,
      error: null,
      onRefresh: noop,
      context: { select: noop },
    });
    assert.match(
      markup,
      /<div class="jp-HTMLSelect jp-DefaultStyle [^"]*"><select aria-label="Experiment"/,
    );
  });
});

describe('SQL editors: how to leave by keyboard', () => {
  test('Esc then Tab, and Esc stops a running query first', () => {
    assert.equal(sqlKeysHint(false), 'Esc then Tab leaves the editor');
    assert.match(sqlKeysHint(true), /^Esc stops the query; Esc again then Tab leaves the editor$/);
  });
});
