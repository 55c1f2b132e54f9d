/**
 * The DP dry run panel (jupyter-ext panel/DryRunView.tsx) says what a query that the budget cannot
 * pay is short of, per source and resource, with the gateway ledger's own fix.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EPSILON_SHORT_FIX } from '@privet/core/client/budget-shortfall';
import { countDryRun } from './dry-run-fixture.js';
import { html, load, text } from './render.js';

type Component = (props: Record<string, unknown>) => unknown;
const { DryRunView } = await load<{ DryRunView: Component }>('panel/DryRunView.tsx');

test('a dry run the budget cannot pay names what is short and the ledger’s fix', () => {
  const shown = text(html(DryRunView, { dryRun: countDryRun('0.25', false) }));
  assert.match(shown, /Not affordable: the query needs ε=0\.5 on people \(0\.25 left\)\./);
  assert.ok(shown.includes(`Fix: ${EPSILON_SHORT_FIX}.`), shown);
});

test('an affordable dry run shows no refusal', () => {
  assert.doesNotMatch(text(html(DryRunView, { dryRun: countDryRun('3', true) })), /Not affordable/);
});

test("the budget row names the policy's per-query limit, and a query above it says so", () => {
  const base = countDryRun('3', false);
  const limited = { ...base, budget: [{ ...base.budget[0]!, perQuery: { epsilon: '1/4' } }] };
  const markup = html(DryRunView, { dryRun: limited });
  assert.match(text(markup), /people · at most ε 0\.25 per query/);
  assert.match(
    text(markup),
    /Not affordable: the query needs ε=0\.5 on people \(at most 0\.25 per query\)\./,
  );
  const unlimited = html(DryRunView, { dryRun: countDryRun('3', true) });
  assert.doesNotMatch(unlimited, /per query/);
});
