// Why: masked and synthetic views are staged by separate steps that need the same things — the
// options, the loaded sources, the master key, the batch so far — so they get them as one value.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadedSource, SourceEngine } from '../store/engine.js';
import { PublishError } from './errors.js';
import type { PublishBatch } from './publish-batch.js';
import type { LazyRecords } from './publish-records.js';
import type { PublishOptions, PublishProgress } from './publish-types.js';

/** What staging one view needs: the publish's options, engine, key, records and batch. */
export interface StagingContext {
  options: PublishOptions;
  engine: SourceEngine;
  /** The views folder. */
  root: string;
  masterKey: Uint8Array;
  /** SHA-256 of the policy file's text. */
  policyHash: string;
  progress: (event: PublishProgress) => void;
  records: LazyRecords;
  batch: PublishBatch;
}

/** The loaded source of view `name`; a PublishError when the engine did not load it. */
export function loadedSource(ctx: StagingContext, name: string, source: string): LoadedSource {
  const loaded = ctx.engine.sources[source];
  if (!loaded)
    throw new PublishError(name, `source "${source}" was not loaded`, 'check the policy');
  return loaded;
}

/** A new temp folder for view `name` inside the views folder, remembered for cleanup. */
export function newStagingDir(ctx: StagingContext, name: string): string {
  const dir = mkdtempSync(join(ctx.engine.allowedDirs[0] ?? ctx.root, `.tmp-${name}-`));
  ctx.batch.tempDirs.push(dir);
  return dir;
}
