// Why: a masked view is published only once its Parquet has been verified (identifier copies,
// suppression, k-anonymity), so staging masks, verifies and converts it in a temp folder and writes
// the manifest that the audit entry and readers rely on; nothing is live or audited yet.
import { readFileSync, writeFileSync } from 'node:fs';
import type { MaskedView, ViewManifest } from '@privet/core';
import { linkingTokens } from '@privet/core/policy/linking';
import { indexedIdentifierColumns } from '@privet/core/policy/lookup';
import { parquetToArrowStream } from './arrow.js';
import { viewFiles } from './layout.js';
import { materializeView } from './materialize.js';
import { compileView } from './plan.js';
import { sha256 } from './sha256.js';
import { sourceVersion } from './source-version.js';
import { loadedSource, newStagingDir, type StagingContext } from './staging-context.js';
import { checkIdentifierCopies, verifyParquet } from './verify.js';

/** Masks, verifies and stages masked view `name` (Parquet, Arrow, manifest) into the batch. */
export async function stageMaskedView(
  ctx: StagingContext,
  name: string,
  view: MaskedView,
): Promise<void> {
  const { policy, stateDir } = ctx.options;
  const c = ctx.engine.connection;
  const progress = ctx.progress;
  const source = loadedSource(ctx, name, view.source);
  const dir = newStagingDir(ctx, name);
  const files = viewFiles(stateDir, name, dir);
  const columns = await compileView(policy, name, view, ctx.masterKey);
  await checkIdentifierCopies(c, name, source, columns);
  progress({ view: name, step: 'mask' });
  const made = await materializeView(
    c,
    name,
    view,
    source.table,
    columns,
    files.parquet,
    source.declaration.privacy_unit,
  );
  progress({
    view: name,
    step: 'verify',
    rows: made.rows,
    rowsSuppressed: made.rowsSuppressed,
  });
  const checked = await verifyParquet(
    c,
    name,
    view,
    columns,
    files.parquet,
    made.rows,
    made.smallestClass,
  );
  progress({ view: name, step: 'arrow' });
  writeFileSync(files.arrow, await parquetToArrowStream(c, files.parquet));
  const manifest: ViewManifest = {
    view: name,
    tier: 'masked',
    source: view.source,
    sourceHash: sourceVersion(ctx.masterKey, source.hash),
    policyHash: ctx.policyHash,
    parquetHash: sha256(readFileSync(files.parquet)),
    publishedAt: new Date().toISOString(),
    rows: made.rows,
    rowsSuppressed: made.rowsSuppressed,
    leakChecked: indexedIdentifierColumns(policy),
    columns: columns.map((col) => ({
      name: col.name,
      type: col.type,
      operator: col.operator,
      ...(col.format === undefined ? {} : { format: col.format }),
    })),
    ...(view.k_anonymity
      ? {
          kAnonymity: {
            k: view.k_anonymity.k,
            quasiIdentifiers: [...view.k_anonymity.quasi_identifiers],
            smallestClass: checked.smallestClass,
            violations: checked.violations,
            privacyUnit: source.declaration.privacy_unit,
            linkedBy: linkingTokens(view, source.declaration.privacy_unit, checked.repeatedTokens),
          },
        }
      : {}),
  };
  writeFileSync(files.manifest, JSON.stringify(manifest, null, 2) + '\n');
  ctx.batch.staged.push({
    view: name,
    dir,
    result: { view: name, rows: made.rows, rowsSuppressed: made.rowsSuppressed, manifest },
  });
  progress({
    view: name,
    step: 'staged',
    rows: made.rows,
    rowsSuppressed: made.rowsSuppressed,
  });
}
