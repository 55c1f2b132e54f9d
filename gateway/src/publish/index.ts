/**
 * `publish`: materializes every masked and synthetic view of the policy as Parquet + Arrow IPC +
 * manifest (synthetic views also get fidelity.json/.svg). All requested views are staged and
 * verified first; only when every one passed are they fsynced, journaled and swapped in (each by
 * atomic renames; recovery finishes a batch a crash interrupted once its audit entries and charges
 * committed, and drops it otherwise, see prepared.ts), so a failing view leaves every previously
 * published version intact and no temporary folders behind. Synthetic views charge their source's
 * publication budget: reserved before synthesis, committed after staging and before the swap,
 * refunded on failure. A synthetic view whose inputs (view and column declarations, source version)
 * are unchanged is kept as is and charged nothing. Every masked view gets a `publish` audit entry
 * (its Parquet hash and row counts) before the swap, in one transaction with the charges; if the
 * publish fails after that (a swap), every view audited or charged gets a follow-up `publish` entry
 * with step `failed` (see failure.ts), and views already swapped in are put back to their previous
 * version.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MaskedView, Policy, SyntheticView, ViewManifest } from '@privet/core';
import { rhoForEpsilonDelta } from '@privet/core/synth/budget';
import { SynthError } from '@privet/core/synth/errors';
import { AuditLog } from '../audit/log.js';
import { immediate, openDurableDb, type Db } from '../audit/sqlite.js';
import { PublicationLedger } from './charge.js';
import {
  sourceDeclarations,
  stageSyntheticView,
  synthesisInputsHash,
  type DeclarationDigests,
} from './synthetic.js';
import { syntheticColumns } from './synthetic-columns.js';
import { openSourceEngine } from '../store/engine.js';
import { loadOrCreateMasterKey } from '../keys.js';
import { parquetToArrowStream } from './arrow.js';
import { PublishError, UnreadableManifestError } from './errors.js';
import { sourceVersion } from './source-version.js';
import { auditPublishFailure, type AuditedView } from './failure.js';
import {
  prepareBatch,
  readManifest,
  recoverViews,
  swapInBatch,
  viewFiles,
  viewsDir,
} from './layout.js';
import { journalPath } from './journal.js';
import { cleanUpFailedPublish, incompleteCleanupError } from './cleanup.js';
import { writeFileDurably } from '../durable-file.js';
import { acquirePublishLock } from './lock.js';
import { materializeView } from './materialize.js';
import { compileView } from './plan.js';
import { buildIdentifierIndex, checkIdentifierCopies, verifyParquet } from './verify.js';
import {
  declared,
  indexedIdentifierColumns,
  isIndexedIdentifier,
} from '@privet/core/policy/lookup';
import { linkingTokens } from '@privet/core/policy/linking';

export { readManifest, viewFiles, viewsDir, type ViewFiles } from './layout.js';
export { PublishError, UnreadableManifestError } from './errors.js';
export { PublicationLedger, PUBLICATION_KEY } from './charge.js';

/** Progress of a publish, for CLIs and logs (no data values). */
export interface PublishProgress {
  view: string;
  step:
    | 'mask'
    | 'verify'
    | 'arrow'
    | 'reserve'
    | 'synthesize'
    | 'staged'
    | 'charged'
    | 'swapped'
    | 'unchanged';
  rows?: number;
  rowsSuppressed?: number;
  /** Synthesis stage (`one-way`, `select`, `estimate`, `sample`, `fidelity`) and its fraction. */
  stage?: string;
  fraction?: number;
}

/** The record database a publish charges (the gateway passes its open services). */
export interface PublishRecords {
  db: Db;
  audit: AuditLog;
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
  /** Publish only these views (default: every masked and synthetic view). */
  viewNames?: string[];
  onProgress?: (event: PublishProgress) => void;
  /** Ledger database to charge; default: `<stateDir>/privet.db`, opened only when needed. */
  records?: PublishRecords;
  /** Who publishes (audit actor of the charges and masked-view entries); default `cli`. */
  actor?: string;
}

/** One published view. */
export interface PublishResult {
  view: string;
  rows: number;
  rowsSuppressed: number;
  manifest: ViewManifest;
  /** True for a synthetic view kept as published (same inputs): not rebuilt, not charged. */
  unchanged?: boolean;
}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

type Selected = { masked: [string, MaskedView][]; synthetic: [string, SyntheticView][] };

/**
 * The views `names` asks for (an unknown or dp view is refused, as `privet publish --view` refuses
 * it), or without names every view of the policy.
 */
export function requestedViews(
  policy: Policy,
  names?: readonly string[],
): [string, Policy['views'][string]][] {
  if (!names) return Object.entries(policy.views);
  return names.map((name): [string, Policy['views'][string]] => {
    const view = declared(policy.views, name);
    if (!view)
      throw new PublishError(
        name,
        'no such view in the policy',
        `use one of ${Object.keys(policy.views).join(', ')}`,
      );
    if (view.tier === 'dp')
      throw new PublishError(
        name,
        'is a dp view: it answers aggregate queries and has nothing to publish',
        'publish masked or synthetic views only',
      );
    return [name, view];
  });
}

function selectViews(policy: Policy, names?: string[]): Selected {
  const entries = requestedViews(policy, names);
  return {
    masked: entries.filter((e): e is [string, MaskedView] => e[1].tier === 'masked'),
    synthetic: entries.filter((e): e is [string, SyntheticView] => e[1].tier === 'synthetic'),
  };
}

/**
 * The manifest of a synthetic view already published from exactly these inputs, if any: the same
 * keyed source `version` (source-version.ts), or, from a manifest written before versions were
 * keyed, the plain `legacyFileHash` of the same file. An unreadable manifest is not up to date.
 */
export function upToDate(
  stateDir: string,
  name: string,
  version: string,
  inputsHash: string,
  legacyFileHash?: string,
): ViewManifest | undefined {
  let m: ViewManifest | undefined;
  try {
    m = readManifest(stateDir, name);
  } catch (err) {
    // Unreadable: not up to date, so the publish rebuilds it (and thereby repairs it).
    if (err instanceof UnreadableManifestError) return undefined;
    throw err;
  }
  const privacy = m?.privacy as { inputsHash?: unknown } | undefined;
  const sameSource =
    m?.sourceHash === version || (legacyFileHash !== undefined && m?.sourceHash === legacyFileHash);
  const same =
    m?.tier === 'synthetic' &&
    sameSource &&
    privacy?.inputsHash === inputsHash &&
    existsSync(viewFiles(stateDir, name).parquet);
  return same ? m : undefined;
}

/**
 * Brings a kept manifest up to date (temp file, then rename) without touching its rows: the keyed
 * source version instead of a plain SHA-256, and the source declarations of its columns when it
 * was written before they were recorded (its unchanged inputs hash covers every column
 * declaration, so they are the ones it was synthesized from). Nothing is charged.
 */
function refreshKeptManifest(
  stateDir: string,
  m: ViewManifest,
  version: string,
  declarations: Record<string, DeclarationDigests>,
): ViewManifest {
  const recorded = (m.privacy as { sourceDeclarations?: unknown } | undefined)?.sourceDeclarations;
  if (m.sourceHash === version && recorded !== undefined) return m;
  const updated: ViewManifest = {
    ...m,
    sourceHash: version,
    ...(recorded === undefined
      ? { privacy: { ...m.privacy, sourceDeclarations: declarations } }
      : {}),
  };
  const path = viewFiles(stateDir, m.view).manifest;
  writeFileDurably(path, JSON.stringify(updated, null, 2) + '\n', 0o644);
  return updated;
}

/**
 * Publishes the policy's masked and synthetic views into `<stateDir>/views/`; all or nothing, a
 * crash included: the swap is journaled (journal.ts) and the next publish, or the gateway's start
 * (recover.ts), finishes an interrupted batch.
 */
export async function publishViews(options: PublishOptions): Promise<PublishResult[]> {
  const { policy, stateDir } = options;
  const selected = selectViews(policy, options.viewNames);
  const views = selected.masked;
  const progress = options.onProgress ?? (() => {});
  const root = viewsDir(stateDir);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const release = acquirePublishLock(stateDir);
  const staged: { view: string; dir: string; result: PublishResult; reservation?: string }[] = [];
  const tempDirs: string[] = [];
  let ownDb: Db | undefined;
  let records = options.records;
  const openRecords = (): PublishRecords => {
    if (!records) {
      ownDb = openDurableDb(join(stateDir, 'privet.db'));
      records = { db: ownDb, audit: new AuditLog(ownDb) };
    }
    return records;
  };
  let charges: PublicationLedger | undefined;
  const openCharges = (): PublicationLedger => {
    if (charges) return charges;
    const { db, audit } = openRecords();
    charges = new PublicationLedger(db, audit, policy);
    return charges;
  };
  const reservations: { id: string; view: string }[] = [];
  /** The reservation of a synthetic view whose synthesis failed after drawing noise (charged). */
  let failedAfterNoise: string | undefined;
  const kept: PublishResult[] = [];
  // Views the audit log already names as published or charged: a failure is recorded for each.
  const audited: AuditedView[] = [];
  /** True once this publish wrote its batch journal (a failure then removes it). */
  let journaled = false;
  try {
    recoverViews(stateDir, openRecords);
    const masterKey = loadOrCreateMasterKey(stateDir);
    // Every source with identifier columns is loaded too: a published value must equal no raw
    // identifier of any source, not only of the sources the views being published read.
    const withIdentifiers = Object.entries(policy.sources)
      .filter(([, src]) => Object.keys(src.columns).some((c) => isIndexedIdentifier(src, c)))
      .map(([name]) => name);
    const sourceNames = [
      ...new Set([
        ...[...views, ...selected.synthetic].map(([, v]) => v.source),
        ...withIdentifiers,
      ]),
    ];
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
          sourceHash: sourceVersion(masterKey, source.hash),
          policyHash,
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
                  linkedBy: linkingTokens(
                    view,
                    source.declaration.privacy_unit,
                    checked.repeatedTokens,
                  ),
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
      for (const [name, view] of selected.synthetic) {
        const source = engine.sources[view.source];
        if (!source)
          throw new PublishError(
            name,
            `source "${view.source}" was not loaded`,
            'check the policy',
          );
        const columns = syntheticColumns(policy, name, view);
        const inputsHash = synthesisInputsHash(policy, name, view);
        const version = sourceVersion(masterKey, source.hash);
        const found = upToDate(stateDir, name, version, inputsHash, source.hash);
        if (found) {
          const declarations = sourceDeclarations(policy, view);
          const current = refreshKeptManifest(stateDir, found, version, declarations);
          kept.push({
            view: name,
            rows: current.rows,
            rowsSuppressed: 0,
            manifest: current,
            unchanged: true,
          });
          progress({ view: name, step: 'unchanged', rows: current.rows });
          continue;
        }
        progress({ view: name, step: 'reserve' });
        const reservation = openCharges().reserve({
          view: name,
          source: view.source,
          epsilon: view.epsilon,
          delta: view.delta,
          rho: rhoForEpsilonDelta(view.epsilon, view.delta).toString(),
          actor: options.actor ?? 'cli',
          planHash: `${inputsHash}:${version}`,
        });
        reservations.push({ id: reservation, view: name });
        const dir = mkdtempSync(join(engine.allowedDirs[0] ?? root, `.tmp-${name}-`));
        tempDirs.push(dir);
        // Once the synthesis has drawn noise, a failure is a DP outcome: its reservation is then
        // charged, not refunded (see the catch below).
        let drewNoise = false;
        const made = await stageSyntheticView({
          c: engine.connection,
          name,
          view,
          policy,
          columns,
          sourceTable: source.table,
          unitColumn: source.declaration.privacy_unit,
          sourceHash: version,
          policyHash: sha256(options.policyText),
          inputsHash,
          masterKey,
          dir,
          reservation,
          onProgress: (stage, fraction) =>
            progress({ view: name, step: 'synthesize', stage, fraction }),
          onNoise: () => (drewNoise = true),
        }).catch((err: unknown) => {
          if (drewNoise) failedAfterNoise = reservation;
          throw err;
        });
        const rows = made.manifest.rows;
        staged.push({
          view: name,
          dir,
          reservation,
          result: { view: name, rows, rowsSuppressed: 0, manifest: made.manifest },
        });
        // No row count yet: without a declared `rows:` it is a noisy estimate, a DP outcome. Shown
        // before the charge commits, a later view's failure would refund what was seen; it is
        // shown with the 'charged' step instead.
        progress({ view: name, step: 'staged' });
      }
    } finally {
      engine.close();
    }
    // Journaled as `prepared` before anything is audited or charged: recovery rolls the batch
    // forward once the transaction below committed and drops it otherwise (prepared.ts), so after
    // a crash at any point every entry written below names the live version or is followed by a
    // `failed` entry.
    const suffix = randomUUID().replaceAll('-', '');
    if (staged.length > 0) {
      const head = openRecords().audit.head();
      prepareBatch(
        stateDir,
        staged.map((s) => ({
          view: s.view,
          dir: s.dir,
          audit: {
            tier: s.result.manifest.tier,
            parquetHash: s.result.manifest.parquetHash,
            publishedAt: s.result.manifest.publishedAt,
            ...(s.reservation ? { reservation: s.reservation } : {}),
          },
        })),
        suffix,
        { actor: options.actor ?? 'cli', auditHead: head?.seq ?? -1 },
      );
      journaled = true;
    }
    // One transaction: every masked view's `published` entry (hash and counts, no values; before
    // any view is renamed into place: analysts download them, so a published view is never
    // unaudited) and every charge (a view is never visible unpaid), all or none.
    const masked = staged.filter((s) => s.result.manifest.tier === 'masked');
    const paid = staged.filter((s) => s.reservation !== undefined);
    if (staged.length > 0) {
      const { db, audit } = openRecords();
      immediate(db, () => {
        for (const s of masked) {
          const m = s.result.manifest;
          audit.append({
            actor: options.actor ?? 'cli',
            action: 'publish',
            subject: s.view,
            details: {
              step: 'published',
              tier: 'masked',
              source: m.source,
              sourceHash: m.sourceHash,
              policyHash: m.policyHash,
              parquetHash: m.parquetHash,
              rows: m.rows,
              rowsSuppressed: m.rowsSuppressed,
            },
          });
        }
        for (const s of paid) openCharges().commit(s.reservation ?? '', s.view);
      });
      audited.push(...masked.map((s) => ({ view: s.view, manifest: s.result.manifest })));
    }
    for (const s of paid) {
      audited.push({ view: s.view, manifest: s.result.manifest, reservation: s.reservation });
      reservations.splice(
        reservations.findIndex((r) => r.id === s.reservation),
        1,
      );
      progress({ view: s.view, step: 'charged', rows: s.result.rows });
    }
    swapInBatch(stateDir, staged, suffix);
    audited.length = 0; // every audited version is live now: nothing left to correct
    for (const s of staged) {
      progress({
        view: s.view,
        step: 'swapped',
        rows: s.result.rows,
        rowsSuppressed: s.result.rowsSuppressed,
      });
    }
    return [...staged.map((s) => s.result), ...kept];
  } catch (err) {
    // Each step on its own (cleanup.ts): a refund failing on a full disk still lets the temp
    // folders go, and the error says what was left undone.
    const cleanup = cleanUpFailedPublish({
      err,
      journal: journaled ? journalPath(root) : undefined,
      tempDirs,
      reservations,
      failedAfterNoise,
      charges,
    });
    tryRecoverViews(stateDir);
    let failure: unknown = err;
    try {
      if (audited.length > 0)
        recordFailure(stateDir, openRecords(), options.actor ?? 'cli', audited, err);
    } catch (auditErr) {
      failure = auditErr;
    }
    if (cleanup.problems.length > 0) throw incompleteCleanupError(failure, cleanup.problems);
    if (failure !== err) throw failure;
    const chargedView = cleanup.chargedView;
    // Say so when the failed view was charged: the publisher must not expect the budget back.
    if (chargedView !== undefined) {
      const { what, fix } = whatAndFix(err);
      throw new PublishError(
        chargedView,
        `${what} — its publication budget was charged, as the synthesis had drawn noise before it failed`,
        fix,
      );
    }
    throw err;
  } finally {
    ownDb?.close();
    release();
  }
}

/** What a failure says happened and how to fix it, from the error's own fields when it has them. */
function whatAndFix(err: unknown): { what: string; fix: string } {
  if (err instanceof SynthError || err instanceof PublishError) return err;
  return {
    what: err instanceof Error ? err.message : 'the synthesis failed',
    fix: 'fix the cause and publish again',
  };
}

/** Puts the views folder in order after a failure (best effort: the next publish does it again). */
function tryRecoverViews(stateDir: string): void {
  try {
    recoverViews(stateDir);
  } catch {
    // The failure entries then report what is on disk; the next publish runs recoverViews first.
  }
}

/** Appends the `failed` follow-ups; if that fails too, throws both errors together. */
function recordFailure(
  stateDir: string,
  records: PublishRecords,
  actor: string,
  audited: readonly AuditedView[],
  err: unknown,
): void {
  try {
    auditPublishFailure(records, stateDir, actor, audited, err);
  } catch (auditErr) {
    const text = (e: unknown) => (e instanceof Error ? e.message : String(e));
    throw new AggregateError(
      [err, auditErr],
      `${text(err)}; also, the audit entries recording that ${audited.map((a) => a.view).join(', ')} ` +
        `did not go live could not be written (${text(auditErr)}). Fix: check the state database ` +
        `(privet audit verify), then publish again`,
    );
  }
}
