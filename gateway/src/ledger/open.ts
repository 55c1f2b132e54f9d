/**
 * Opens the gateway's record services on one SQLite file: audit log, experiments and ledger, all
 * sharing one connection so an action and its audit entry commit together.
 */
import type { Policy } from '@privet/core';
import { AuditLog } from '../audit/log.js';
import { openDurableDb, type Db } from '../audit/sqlite.js';
import { directoryArtefactStore, type ArtefactStore } from '../experiments/artefacts.js';
import { ExperimentService } from '../experiments/service.js';
import { ReviewService } from '../review/service.js';
import { Ledger } from './ledger.js';

/** Where and how to open the services. */
export interface OpenServicesOptions {
  /** The state database, e.g. `<stateDir>/privet.db`. */
  dbPath: string;
  policy: Policy;
  /** Folder holding `experiments/<id>/` artefacts (used unless `artefacts` is given). */
  stateDir: string;
  artefacts?: ArtefactStore;
  clock?: () => Date;
  reservationTtlMs?: number;
  busyTimeoutMs?: number;
}

/** The opened services. */
export interface Services {
  db: Db;
  audit: AuditLog;
  experiments: ExperimentService;
  ledger: Ledger;
  /** Output review requests, decisions and approvals (bound to content hashes). */
  reviews: ReviewService;
  /** Refunds this process's pending reservations and closes the database. */
  close(): void;
}

/** Opens (creating if needed) the state database and the services on it. */
export function openServices(o: OpenServicesOptions): Services {
  const db = openDurableDb(
    o.dbPath,
    o.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: o.busyTimeoutMs },
  );
  const clock = o.clock ?? (() => new Date());
  const audit = new AuditLog(db, clock);
  const experiments = new ExperimentService({
    audit,
    policy: o.policy,
    artefacts: o.artefacts ?? directoryArtefactStore(o.stateDir),
    clock,
  });
  const ledger = new Ledger({
    audit,
    policy: o.policy,
    clock,
    ...(o.reservationTtlMs === undefined ? {} : { reservationTtlMs: o.reservationTtlMs }),
  });
  const reviews = new ReviewService({ audit, policy: o.policy, clock });
  return {
    db,
    audit,
    experiments,
    ledger,
    reviews,
    close() {
      ledger.close();
      db.close();
    },
  };
}
