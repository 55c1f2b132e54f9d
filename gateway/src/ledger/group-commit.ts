// Why: with synchronous=FULL every transaction waits for an fsync (≈2 ms on our CI disks), which
// caps one process at a few hundred durable commits per second however fast the ledger logic is.
// Jobs submitted while the event loop is busy are instead run together in one durable transaction
// (group commit), and every caller's promise settles only after that transaction — and its fsync —
// returned. A caller therefore still holds a durable charge before it may release its value; it
// merely shares the fsync with the other callers of the same turn. Jobs report expected refusals
// as values; if one throws, the shared transaction rolls back (nothing of it was written) and each
// job reruns alone in its own transaction, so only the failing one fails. Savepoints per job would
// do the same in one pass but cost a statement journal each (measured 3–5× slower).
import { immediate, type Db } from '../audit/sqlite.js';

interface Job {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Runs synchronous write jobs in shared (by default durable) transactions, one per event-loop turn. */
export class GroupCommit {
  private readonly db: Db;
  private readonly maxBatch: number;
  private readonly durable: boolean;
  private queue: Job[] = [];
  private scheduled = false;

  /**
   * Batches on `db`; at most `maxBatch` jobs share one transaction. `durable: false` commits the
   * shared transaction without fsync (for reservations, which release nothing; see ledger.ts).
   */
  constructor(db: Db, options: { durable?: boolean; maxBatch?: number } = {}) {
    this.db = db;
    this.durable = options.durable ?? true;
    this.maxBatch = Math.max(1, options.maxBatch ?? 500);
  }

  /** Runs `job` in the next shared transaction; settles after that transaction committed. */
  submit<T>(job: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run: job, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Runs every queued job now (e.g. before the database closes). */
  flush(): void {
    this.scheduled = false;
    while (this.queue.length > 0) this.runBatch(this.queue.splice(0, this.maxBatch));
  }

  private runBatch(batch: Job[]): void {
    let values: unknown[];
    try {
      values = immediate(this.db, () => batch.map((job) => job.run()), { durable: this.durable });
    } catch {
      // One job threw, so the whole shared transaction rolled back and nothing of it was written.
      // Run each job alone in its own durable transaction so that only the failing one fails.
      for (const job of batch) {
        try {
          job.resolve(immediate(this.db, job.run, { durable: this.durable }));
        } catch (error) {
          job.reject(error);
        }
      }
      return;
    }
    batch.forEach((job, i) => job.resolve(values[i]));
  }
}
