/**
 * `publish`: materializes every masked view of the policy as Parquet + Arrow IPC + manifest.
 * All requested views are staged and verified first; only when every one passed are they swapped
 * in (each by atomic renames), so a failing view leaves every previously published version intact
 * and no temporary folders behind.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MaskedView, Policy, ViewManifest } from '@privet/core';
import { openSourceEngine } from '../store/engine.js';
import { loadOrCreateMasterKey } from '../keys.js';
import { parquetToArrowStream } from './arrow.js';
import { PublishError } from './errors.js';
import { acquirePublishLock, recoverViews, swapIn, viewFiles, viewsDir } from './layout.js';
import { materializeView } from './materialize.js';
import { compileView } from './plan.js';
import { buildIdentifierIndex, verifyParquet } from './verify.js';

export { readManifest, viewFiles, viewsDir, type ViewFiles } from './layout.js';
export { PublishError } from './errors.js';

/** Progress of a publish, for CLIs and logs (no data values). */
export interface PublishProgress {
  view: string;
  step: 'mask' | 'verify' | 'arrow' | 'staged' | 'swapped';
  rows?: number;
  rowsSuppressed?: number;
}

/** Options of publishViews. */
export interface PublishOptions {
  policy: Policy;
  /** The policy file's text (its SHA-256 goes into every manifest). */
  policyText: string;
  /** Folder of the policy file: source paths are relative to it. */
  policyDir: string;
  /** Gateway state folder (master key, views). */
  stateDir: string;
  /** Publish only these masked views (default: every masked view). */
  viewNames?: string[];
  onProgress?: (event: PublishProgress) => void;
}

/** One published view. */
export interface PublishResult {
  view: string;
  rows: number;
  rowsSuppressed: number;
  manifest: ViewManifest;
}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function maskedViews(policy: Policy, names?: string[]): [string, MaskedView][] {
  const all = Object.entries(policy.views).filter(
    (e): e is [string, MaskedView] => e[1].tier === 'masked',
  );
  if (!names) return all;
  return names.map((name) => {
    const view = policy.views[name];
    if (!view)
      throw new PublishError(
        name,
        'no such view in the policy',
        `use one of ${Object.keys(policy.views).join(', ')}`,
      );
    if (view.tier !== 'masked')
      throw new PublishError(
        name,
        `is a ${view.tier} view, not masked`,
        'publish masked views only here',
      );
    return [name, view];
  });
}

/** Publishes the policy's masked views into `<stateDir>/views/`; all or nothing. */
export async function publishViews(options: PublishOptions): Promise<PublishResult[]> {
  const { policy, stateDir } = options;
  const views = maskedViews(policy, options.viewNames);
  const progress = options.onProgress ?? (() => {});
  const root = viewsDir(stateDir);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const release = acquirePublishLock(stateDir);
  const staged: { view: string; dir: string; result: PublishResult }[] = [];
  const tempDirs: string[] = [];
  try {
    recoverViews(stateDir);
    const masterKey = loadOrCreateMasterKey(stateDir);
    const sourceNames = [...new Set(views.map(([, v]) => v.source))];
    const engine = await openSourceEngine(policy, options.policyDir, {
      allowedDirs: [root],
      sourceNames,
    });
    try {
      const c = engine.connection;
      await buildIdentifierIndex(c, Object.values(engine.sources));
      const policyHash = sha256(options.policyText);
      for (const [name, view] of views) {
        const source = engine.sources[view.source];
        if (!source)
          throw new PublishError(
            name,
            `source "${view.source}" was not loaded`,
            'check the policy',
          );
        const dir = mkdtempSync(join(engine.allowedDirs[0] ?? root, `.tmp-${name}-`));
        tempDirs.push(dir);
        const files = viewFiles(stateDir, name, dir);
        const columns = await compileView(policy, name, view, masterKey);
        progress({ view: name, step: 'mask' });
        const made = await materializeView(c, name, view, source.table, columns, files.parquet);
        progress({
          view: name,
          step: 'verify',
          rows: made.rows,
          rowsSuppressed: made.rowsSuppressed,
        });
        const checked = await verifyParquet(c, name, view, columns, files.parquet, made.rows);
        progress({ view: name, step: 'arrow' });
        writeFileSync(files.arrow, await parquetToArrowStream(c, files.parquet));
        const manifest: ViewManifest = {
          view: name,
          tier: 'masked',
          source: view.source,
          sourceHash: source.hash,
          policyHash,
          parquetHash: sha256(readFileSync(files.parquet)),
          publishedAt: new Date().toISOString(),
          rows: made.rows,
          rowsSuppressed: made.rowsSuppressed,
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
                },
              }
            : {}),
        };
        writeFileSync(files.manifest, JSON.stringify(manifest, null, 2) + '\n');
        staged.push({
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
    } finally {
      engine.close();
    }
    const suffix = randomUUID().replaceAll('-', '');
    for (const s of staged) {
      swapIn(stateDir, s.view, s.dir, suffix);
      progress({
        view: s.view,
        step: 'swapped',
        rows: s.result.rows,
        rowsSuppressed: s.result.rowsSuppressed,
      });
    }
    return staged.map((s) => s.result);
  } catch (err) {
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
    throw err;
  } finally {
    release();
  }
}
