/** Opens a gateway state folder's ledger just to look up committed DP release ids (CLI use). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openDurableDb } from '../audit/sqlite.js';
import { ReleaseRegistry } from './releases.js';

/** The registry over `<stateDir>/privet.db` and a way to close it; refuses a missing state. */
export function openReleaseRegistry(stateDir: string): {
  registry: ReleaseRegistry;
  close(): void;
} {
  const dbPath = join(stateDir, 'privet.db');
  if (!existsSync(dbPath))
    throw new Error(
      `no gateway state at ${stateDir} (missing privet.db). Fix: pass the --state folder the gateway runs with`,
    );
  const db = openDurableDb(dbPath);
  return { registry: new ReleaseRegistry(db), close: () => db.close() };
}
