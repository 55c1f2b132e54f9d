// Why: publishing a synthetic view spends a steward-owned budget that never comes back, so — like a
// DP dry run — a steward sees what publishing now would rebuild and charge, and whether it fits,
// before anything is spent. Read-only: it hashes the source files and reads manifests, the master
// key (never creating it) and ledger totals; it reserves nothing and writes no audit entry. A rebuild
// whose inputs match a release already charged is still charged in the plan (publish reserves it
// first), but is named as expected to be refunded: publish refunds it if the bytes match. The plan
// also notes the columns of the planned views' source files the policy leaves out (never loaded),
// by name only, so a steward sees them before publishing, not once a job has started.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Policy, PublishPlan, PublishPlanBudget, PublishPlanView } from '@privet/core';
import { ZERO, type Rational } from '@privet/core/dp/rational';
import type { AuditLog } from '../audit/log.js';
import type { Db } from '../audit/sqlite.js';
import { loadOrCreateMasterKey, masterKeyPath } from '../keys.js';
import { fileSha256 } from '../store/engine.js';
import { exact, PublicationLedger, publicationPlanHash } from './charge.js';
import { PublishError, UnreadableManifestError } from './errors.js';
import { chargedReleaseOf, type ChargedRelease } from './identical-release.js';
import { upToDate } from './kept-view.js';
import { readManifest } from './layout.js';
import { requestedViews } from './select-views.js';
import { sourceVersion } from './source-version.js';
import { synthesisInputsHash } from './synthetic.js';
import {
  publishedSources,
  undeclaredColumns,
  undeclaredColumnsNote,
  type UndeclaredColumns,
} from './undeclared-columns.js';

/** Exact decimal text of a rational (δ as a double's shortest text: they are tiny). */
const show = (r: Rational, isDelta = false): string =>
  isDelta ? String(r.toNumber()) : r.toDisplayString(6);

/**
 * Why a synthetic view would be rebuilt, or undefined when it is kept. `fileHash` is the source
 * file's plain SHA-256 (undefined: missing) and `version` its keyed version (undefined: this state
 * folder has no master key yet, so nothing keyed was published from it).
 */
function rebuildReason(
  stateDir: string,
  name: string,
  fileHash: string | undefined,
  version: string | undefined,
  inputsHash: string,
): string | undefined {
  let manifest;
  try {
    manifest = readManifest(stateDir, name);
  } catch (err) {
    if (err instanceof UnreadableManifestError) return 'manifest unreadable (rebuilt to repair it)';
    throw err;
  }
  if (!manifest) return 'not published yet';
  if (fileHash === undefined) return 'source file missing';
  if (upToDate(stateDir, name, version ?? '', inputsHash, fileHash)) return undefined;
  if (manifest.sourceHash !== version && manifest.sourceHash !== fileHash)
    return 'source data changed';
  return 'view declaration changed';
}

/** A planned synthetic rebuild whose inputs match a release a committed charge already paid for. */
export interface ExpectedRefund {
  view: string;
  /** The charge that paid for a release from the same view, source and inputs. */
  release: ChargedRelease;
}

/** The plan, with what only the CLI shows so far (the protocol's PublishPlan has no field for it). */
export interface DetailedPublishPlan {
  plan: PublishPlan;
  /** Rebuilds charged in the plan whose charge publish is expected to refund (same inputs). */
  expectedRefunds: ExpectedRefund[];
  /** Per source the planned views read, the file columns the policy does not declare (plan.notes). */
  undeclared: UndeclaredColumns[];
}

/**
 * What `publishViews` would do now for every masked and synthetic view (or only `viewNames`, as
 * `privet publish --view` would), and what it would cost.
 */
export async function planPublication(
  policy: Policy,
  policyDir: string,
  stateDir: string,
  records: { db: Db; audit: AuditLog },
  viewNames?: readonly string[],
): Promise<PublishPlan> {
  return (await planPublicationDetails(policy, policyDir, stateDir, records, viewNames)).plan;
}

/**
 * planPublication, and which rebuilds are expected to be refunded: the same view, source, inputs
 * hash and source version as a release a committed charge paid for (the plan hash the charge and
 * the release record, identical-release.ts). The charge still counts in full towards `fits`:
 * publish reserves it before the rebuild, and refunds it only when the rebuilt bytes match. Also
 * the source columns the policy does not declare, read (names only) from the files of the planned
 * views' sources and noted in `plan.notes` as `privet publish` prints them.
 */
export async function planPublicationDetails(
  policy: Policy,
  policyDir: string,
  stateDir: string,
  records: { db: Db; audit: AuditLog },
  viewNames?: readonly string[],
): Promise<DetailedPublishPlan> {
  const selected = requestedViews(policy, viewNames);
  // Read, never created here: without a key file nothing keyed was published from this folder.
  const masterKey = existsSync(masterKeyPath(stateDir))
    ? loadOrCreateMasterKey(stateDir)
    : undefined;
  const hashes = new Map<string, string | undefined>();
  const sourceHash = async (source: string): Promise<string | undefined> => {
    if (!hashes.has(source)) {
      const decl = policy.sources[source];
      const path = decl ? resolve(policyDir, decl.path) : '';
      hashes.set(source, decl && existsSync(path) ? await fileSha256(path) : undefined);
    }
    return hashes.get(source);
  };
  const views: PublishPlanView[] = [];
  const expectedRefunds: ExpectedRefund[] = [];
  const problems: PublishPlan['problems'] = [];
  const charges = new Map<string, { epsilon: Rational; delta: Rational; views: string[] }>();
  for (const [name, view] of selected) {
    if (view.tier === 'dp') continue;
    const hash = await sourceHash(view.source);
    if (hash === undefined)
      problems.push({
        message: `source "${view.source}" of view "${name}" has no readable file`,
        fix: `create it or fix sources.${view.source}.path (relative to the policy file)`,
      });
    if (view.tier === 'masked') {
      views.push({
        view: name,
        tier: 'masked',
        source: view.source,
        action: 'rebuild',
        reason: 'masked views are rebuilt every time (no budget)',
      });
      continue;
    }
    const version = hash !== undefined && masterKey ? sourceVersion(masterKey, hash) : undefined;
    const inputsHash = synthesisInputsHash(policy, name, view);
    const reason = rebuildReason(stateDir, name, hash, version, inputsHash);
    if (reason === undefined) {
      views.push({
        view: name,
        tier: 'synthetic',
        source: view.source,
        action: 'keep',
        reason: 'unchanged: kept, charged nothing',
      });
      continue;
    }
    const release =
      version === undefined
        ? undefined
        : chargedReleaseOf(records.db, stateDir, {
            view: name,
            source: view.source,
            planHash: publicationPlanHash(inputsHash, version),
          });
    if (release) expectedRefunds.push({ view: name, release });
    const epsilon = exact(view.epsilon);
    const delta = exact(view.delta);
    const c = charges.get(view.source) ?? { epsilon: ZERO, delta: ZERO, views: [] };
    charges.set(view.source, {
      epsilon: c.epsilon.add(epsilon),
      delta: c.delta.add(delta),
      views: [...c.views, name],
    });
    views.push({
      view: name,
      tier: 'synthetic',
      source: view.source,
      action: 'rebuild',
      reason,
      charge: { epsilon: show(epsilon), delta: show(delta, true) },
      ...(release
        ? { expectedRefund: { reservation: release.reservation, recordedAt: release.recordedAt } }
        : {}),
    });
  }
  const ledger = new PublicationLedger(records.db, records.audit, policy);
  const budgets: PublishPlanBudget[] = [];
  for (const [source, c] of charges) {
    let state;
    try {
      state = ledger.state(source, c.views[0]);
    } catch (err) {
      if (!(err instanceof PublishError)) throw err;
      problems.push({ message: err.message.split('. Fix: ')[0]!, fix: err.fix });
      continue;
    }
    const usedE = state.epsilon.spent.add(state.epsilon.reserved);
    const usedD = state.delta.spent.add(state.delta.reserved);
    const afterE = usedE.add(c.epsilon);
    const afterD = usedD.add(c.delta);
    const fits = !afterE.gt(state.epsilon.total) && !afterD.gt(state.delta.total);
    if (!fits)
      problems.push({
        message: `rebuilding ${c.views.join(', ')} needs ε=${show(c.epsilon)}, δ=${show(c.delta, true)} but the publication budget of "${source}" has ε=${show(state.epsilon.total.sub(usedE))}, δ=${show(state.delta.total.sub(usedD), true)} left`,
        fix: `lower the views' epsilon/delta or raise publication_budgets for "${source}"`,
      });
    budgets.push({
      source,
      epsilon: { total: show(state.epsilon.total), used: show(usedE), after: show(afterE) },
      delta: {
        total: show(state.delta.total, true),
        used: show(usedD, true),
        after: show(afterD, true),
      },
      fits,
    });
  }
  const undeclared = await undeclaredColumns(
    policy,
    policyDir,
    publishedSources(policy, viewNames),
  );
  const notes = undeclared.map(undeclaredColumnsNote);
  return {
    plan: {
      views,
      budgets,
      fits: problems.length === 0,
      problems,
      ...(notes.length > 0 ? { notes } : {}),
    },
    expectedRefunds,
    undeclared,
  };
}
