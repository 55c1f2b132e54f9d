// Why: publishing is all or nothing, a crash included. Every requested view is staged first (masked
// views verified, synthetic views reserved and synthesized), then the batch is journaled, audited,
// charged and swapped in (commit-batch.ts); any failure on the way undoes the batch
// (failed-publish.ts). The publish lock keeps two publishes of one state folder apart.
import { mkdirSync } from 'node:fs';
import { isIndexedIdentifier } from '@privet/core/policy/lookup';
import { loadOrCreateMasterKey } from '../keys.js';
import { openSourceEngine } from '../store/engine.js';
import { commitBatch } from './commit-batch.js';
import { settleFailedPublish } from './failed-publish.js';
import { recoverViews, viewsDir } from './layout.js';
import { acquirePublishLock } from './lock.js';
import { newBatch } from './publish-batch.js';
import { LazyRecords } from './publish-records.js';
import type { PublishOptions, PublishResult } from './publish-types.js';
import { selectViews } from './select-views.js';
import { sha256 } from './sha256.js';
import { stageMaskedView } from './stage-masked-view.js';
import { keepOrStageSyntheticView } from './stage-synthetic-view.js';
import type { StagingContext } from './staging-context.js';
import { buildIdentifierIndex } from './verify.js';

/**
 * Publishes the policy's masked and synthetic views into `<stateDir>/views/`; all or nothing, a
 * crash included: the swap is journaled (journal.ts) and the next publish, or the gateway's start
 * (recover.ts), finishes an interrupted batch.
 */
export async function publishViews(options: PublishOptions): Promise<PublishResult[]> {
  const { policy, stateDir } = options;
  const selected = selectViews(policy, options.viewNames);
  const progress = options.onProgress ?? (() => {});
  const actor = options.actor ?? 'cli';
  const root = viewsDir(stateDir);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const release = acquirePublishLock(stateDir);
  const records = new LazyRecords(stateDir, policy, options.records);
  const batch = newBatch();
  try {
    recoverViews(stateDir, () => records.open());
    const masterKey = loadOrCreateMasterKey(stateDir);
    // Every source with identifier columns is loaded too: a published value must equal no raw
    // identifier of any source, not only of the sources the views being published read.
    const withIdentifiers = Object.entries(policy.sources)
      .filter(([, src]) => Object.keys(src.columns).some((c) => isIndexedIdentifier(src, c)))
      .map(([name]) => name);
    const sourceNames = [
      ...new Set([
        ...[...selected.masked, ...selected.synthetic].map(([, v]) => v.source),
        ...withIdentifiers,
      ]),
    ];
    const engine = await openSourceEngine(policy, options.policyDir, {
      allowedDirs: [root],
      sourceNames,
    });
    try {
      await buildIdentifierIndex(engine.connection, Object.values(engine.sources));
      const ctx: StagingContext = {
        options,
        engine,
        root,
        masterKey,
        policyHash: sha256(options.policyText),
        progress,
        records,
        batch,
      };
      for (const [name, view] of selected.masked) await stageMaskedView(ctx, name, view);
      for (const [name, view] of selected.synthetic)
        await keepOrStageSyntheticView(ctx, name, view);
    } finally {
      engine.close();
    }
    commitBatch({ stateDir, actor, records, progress, batch });
    return [...batch.staged.map((s) => s.result), ...batch.kept];
  } catch (err) {
    throw settleFailedPublish({ stateDir, actor, records, batch }, err);
  } finally {
    records.close();
    release();
  }
}
