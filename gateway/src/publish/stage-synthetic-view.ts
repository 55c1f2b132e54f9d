// Why: a synthetic view spends publication budget, so it is kept as is when its inputs are unchanged
// (nothing spent), and otherwise its charge is reserved before any synthesis work (an overspend is
// refused before anything is written) and the view is synthesized into a temp folder; the charge
// commits later, with the batch (commit-batch.ts).
import type { SyntheticView } from '@privet/core';
import { rhoForEpsilonDelta } from '@privet/core/synth/budget';
import { publicationPlanHash } from './charge.js';
import { refreshKeptManifest, upToDate } from './kept-view.js';
import { sourceVersion } from './source-version.js';
import { loadedSource, newStagingDir, type StagingContext } from './staging-context.js';
import { syntheticColumns } from './synthetic-columns.js';
import { sourceDeclarations, stageSyntheticView, synthesisInputsHash } from './synthetic.js';

/** Keeps synthetic view `name` when its inputs are unchanged, else reserves and stages it. */
export async function keepOrStageSyntheticView(
  ctx: StagingContext,
  name: string,
  view: SyntheticView,
): Promise<void> {
  const { policy, stateDir } = ctx.options;
  const progress = ctx.progress;
  const batch = ctx.batch;
  const source = loadedSource(ctx, name, view.source);
  const columns = syntheticColumns(policy, name, view);
  const inputsHash = synthesisInputsHash(policy, name, view);
  const version = sourceVersion(ctx.masterKey, source.hash);
  const found = upToDate(stateDir, name, version, inputsHash, source.hash);
  if (found) {
    const declarations = sourceDeclarations(policy, view);
    const current = refreshKeptManifest(stateDir, found, version, declarations);
    batch.kept.push({
      view: name,
      rows: current.rows,
      rowsSuppressed: 0,
      manifest: current,
      unchanged: true,
    });
    progress({ view: name, step: 'unchanged', rows: current.rows });
    return;
  }
  progress({ view: name, step: 'reserve' });
  const planHash = publicationPlanHash(inputsHash, version);
  const reservation = ctx.records.charges().reserve({
    view: name,
    source: view.source,
    epsilon: view.epsilon,
    delta: view.delta,
    rho: rhoForEpsilonDelta(view.epsilon, view.delta).toString(),
    actor: ctx.options.actor ?? 'cli',
    planHash,
  });
  batch.reservations.push({ id: reservation, view: name });
  const dir = newStagingDir(ctx, name);
  // Once the synthesis has drawn noise, a failure is a DP outcome: its reservation is then
  // charged, not refunded (see failed-publish.ts).
  let drewNoise = false;
  const made = await stageSyntheticView({
    c: ctx.engine.connection,
    name,
    view,
    policy,
    columns,
    sourceTable: source.table,
    unitColumn: source.declaration.privacy_unit,
    sourceHash: version,
    policyHash: ctx.policyHash,
    inputsHash,
    masterKey: ctx.masterKey,
    dir,
    reservation,
    onProgress: (stage, fraction) => progress({ view: name, step: 'synthesize', stage, fraction }),
    onNoise: () => (drewNoise = true),
  }).catch((err: unknown) => {
    if (drewNoise) batch.failedAfterNoise = reservation;
    throw err;
  });
  const rows = made.manifest.rows;
  batch.staged.push({
    view: name,
    dir,
    reservation,
    planHash,
    result: { view: name, rows, rowsSuppressed: 0, manifest: made.manifest },
  });
  // No row count yet: without a declared `rows:` it is a noisy estimate, a DP outcome. Shown
  // before the charge commits, a later view's failure would refund what was seen; it is
  // shown with the 'charged' step instead.
  progress({ view: name, step: 'staged' });
}
