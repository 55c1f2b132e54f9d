// Why: access is decided from the experiments table, which the hash chain does not cover. Each
// audit entry that changes an experiment records the SHA-256 of its record (`recordHash`, see
// experiments/seal.ts), so once the chain itself verified, every row must hash to the last value
// its entries recorded, and must have an audited proposal (and a decision, past the proposal). A
// row without any recorded hash is diagnosed against the older entries (a database from an older
// gateway not opened since, or a row inserted outside the gateway). Messages name experiment ids
// and fields, never the rows' contents. When every such row merely predates record hashes (it
// matches its older entries), the database is not upgraded yet, which is reported as such and
// not as tampering.
import type { Experiment } from '@privet/core/record/index';
import type { Db } from './sqlite.js';
import { hasTable } from './sqlite.js';
import { readExperiment } from '../experiments/store.js';
import { hasSealIndex, recordHashSync, SEAL_ACTIONS_SQL, SEAL_INDEX } from '../experiments/seal.js';
import { legacyDifferences, wasPruned } from '../experiments/seal-migrate.js';

/** How to fix experiment rows that do not match the audit log. */
export const RECORD_FIX =
  'restore each named experiment row (or the whole database) from a backup taken before the change ' +
  'and find out who had write access to the file; a row inserted outside the gateway is deleted. ' +
  'If the database was last opened by a gateway without record hashes, open it once with the ' +
  'current one (`privet serve` or any `privet experiment` command seals rows that match their ' +
  'audited proposal) and verify again';

interface SealEntry {
  seq: number;
  action: string;
  hash: string | null;
}

/** How to bring rows that only predate record hashes up to date. */
export const RECORD_UPGRADE_FIX =
  'start the gateway once with this version (`privet serve`, or any `privet experiment` command on ' +
  'this --state): it seals each row that matches its audited entries; then verify again';

/** One experiment row's problem: the entry it is about, and what is wrong. */
interface RecordProblem {
  index: number;
  message: string;
  /** True when the row only predates record hashes (not upgraded yet, not tampered). */
  notUpgraded: boolean;
}

const MAX_LISTED = 5;

/**
 * Checks every experiment row against the audit entries (call inside the verifier's read
 * transaction, after the chain verified); `count` is the position after the last entry.
 */
export function experimentRecordProblems(db: Db, count: number): RecordProblem | undefined {
  if (!hasTable(db, 'experiments')) return undefined;
  const by = hasSealIndex(db) ? `INDEXED BY ${SEAL_INDEX}` : '';
  const entriesOf = db.prepare<[string], SealEntry>(
    `SELECT seq, action, json_extract(details, '$.recordHash') AS hash FROM audit_log ${by}
     WHERE experiment = ? AND ${SEAL_ACTIONS_SQL} ORDER BY seq`,
  );
  const ids = db.prepare<[], { id: string }>('SELECT id FROM experiments ORDER BY id').all();
  const pruned = wasPruned(db);
  const problems: RecordProblem[] = [];
  for (const { id } of ids) {
    const problem = rowProblem(db, id, entriesOf.all(id), count, pruned);
    if (problem) problems.push(problem);
  }
  const first = problems[0];
  if (!first) return undefined;
  const listed = problems.slice(0, MAX_LISTED).map((p) => p.message);
  const more = problems.length > MAX_LISTED ? `; and ${problems.length - MAX_LISTED} more` : '';
  const notUpgraded = problems.every((p) => p.notUpgraded);
  const what = notUpgraded
    ? problems.length === 1
      ? 'an experiment row is not sealed yet'
      : `${problems.length} experiment rows are not sealed yet`
    : problems.length === 1
      ? 'an experiment row does not match the audit log'
      : `${problems.length} experiment rows do not match the audit log`;
  return { index: first.index, message: `${what}: ${listed.join('; ')}${more}`, notUpgraded };
}

function rowProblem(
  db: Db,
  id: string,
  entries: SealEntry[],
  count: number,
  pruned: boolean,
): RecordProblem | undefined {
  const where = `experiment "${id}"`;
  let e: Experiment | undefined;
  try {
    e = readExperiment(db, id)?.experiment;
  } catch {
    return {
      index: count,
      message: `${where}: its row is unreadable — it was edited`,
      notUpgraded: false,
    };
  }
  if (!e) return undefined;
  const sealed = entries.filter((x) => typeof x.hash === 'string').at(-1);
  if (!sealed) {
    const why = unsealedWhy(db, e);
    return { index: count, message: `${where}: ${why.message}`, notUpgraded: why.notUpgraded };
  }
  if (recordHashSync(e) !== sealed.hash) {
    return {
      index: sealed.seq,
      message: `${where}: its row differs from the state audit entry #${sealed.seq} (${sealed.action}) recorded for it — the row was changed outside the gateway`,
      notUpgraded: false,
    };
  }
  // Records sealed at an upgrade or carried over a prune stand for entries the log may no longer
  // hold, and a pruned log may have lost the proposal and decision of an experiment it still keeps.
  if (pruned || entries.some((x) => x.action === 'experiment.record-sealed')) return undefined;
  if (!entries.some((x) => x.action === 'experiment.proposed')) {
    return {
      index: sealed.seq,
      message: `${where}: the log holds no experiment.proposed entry for it — its entries were forged`,
      notUpgraded: false,
    };
  }
  const decided = entries.some(
    (x) => x.action === 'experiment.approved' || x.action === 'experiment.rejected',
  );
  if (e.state !== 'proposal' && !decided) {
    return {
      index: sealed.seq,
      message: `${where}: it is ${e.state}, but the log holds no approval or rejection of it — its entries were forged`,
      notUpgraded: false,
    };
  }
  return undefined;
}

/** Why a row has no recorded hash, as far as the older entries tell (and whether that is benign). */
function unsealedWhy(db: Db, e: Experiment): { message: string; notUpgraded: boolean } {
  const none = 'no audit entry records its state (none carries its record hash)';
  const diffs = legacyDifferences(db, e);
  if (diffs.includes('no audited proposal'))
    return {
      message: `${none}, and the log holds no proposal of it — the row was inserted outside the gateway`,
      notUpgraded: false,
    };
  if (diffs.length > 0)
    return {
      message: `${none}, and its row differs from its audited entries in ${diffs.join(', ')} — the row was changed outside the gateway`,
      notUpgraded: false,
    };
  return {
    message: `${none}: the database was last opened by a gateway without record hashes (the row matches its older entries)`,
    notUpgraded: true,
  };
}
