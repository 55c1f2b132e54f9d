/** Builds the view listing users see: policy metadata plus each published view's manifest. */
import type { ColumnProvenance, Policy, View, ViewSummary } from '@privet/core';
import { describeOperator } from '@privet/core/mask/index';
import { readManifest } from '../publish/index.js';
import { HttpError } from './errors.js';
import { declared } from '@privet/core/policy/lookup';

function policyColumns(policy: Policy, view: View): ColumnProvenance[] {
  const source = policy.sources[view.source];
  if (view.tier === 'masked') {
    return Object.entries(view.columns)
      .filter(([, op]) => op.op !== 'drop')
      .map(([name, op]) => ({
        name,
        type: source?.columns[name]?.type ?? 'unknown',
        operator: describeOperator(op),
      }));
  }
  return view.columns.map((name) => ({
    name,
    type: source?.columns[name]?.type ?? 'unknown',
    operator: view.tier === 'dp' ? 'dp aggregates only' : 'synthesized',
  }));
}

/** Summarises one view for listing; reads its manifest when it has been published. */
export function summarizeView(policy: Policy, stateDir: string, name: string): ViewSummary {
  const view = declared(policy.views, name);
  if (!view) {
    throw new HttpError(
      'not_found',
      `no view named "${name}"`,
      'list the views with GET /api/v1/views and use one of their names',
    );
  }
  const manifest = view.tier === 'dp' ? undefined : readManifest(stateDir, name);
  const summary: ViewSummary = {
    name,
    tier: view.tier,
    source: view.source,
    published: manifest !== undefined,
    columns: manifest ? manifest.columns : policyColumns(policy, view),
  };
  const shown = new Set(summary.columns.map((c) => c.name));
  const dropped = Object.keys(policy.sources[view.source]?.columns ?? {}).filter(
    (c) => !shown.has(c),
  );
  if (dropped.length > 0) summary.droppedColumns = dropped;
  if (view.description) summary.description = view.description;
  if (manifest) {
    summary.rows = manifest.rows;
    summary.manifest = manifest;
  }
  return summary;
}

/** Summarises every view of the policy, in policy order. */
export function listViews(policy: Policy, stateDir: string): ViewSummary[] {
  return Object.keys(policy.views).map((name) => summarizeView(policy, stateDir, name));
}
