// Why: a publish killed midway leaves its views folder for the next publish to repair, but the
// gateway serves views before anyone publishes again. Calling this at start finishes an interrupted
// batch (journal.ts) and clears leftovers, under the publish lock so that it never runs while a
// live publish (a `privet publish` on the same state folder) is swapping its own batch in.
import { existsSync } from 'node:fs';
import { cliErrorMessage } from '../cli-errors.js';
import { recoverViews, viewsDir } from './layout.js';
import { acquirePublishLock, PublishBusyError } from './lock.js';

/** What recoverPublishState did: the views an interrupted batch put live, or that a publish runs. */
export type PublishRecovery =
  | { state: 'recovered'; finished: string[] }
  | { state: 'busy'; message: string }
  | { state: 'failed'; message: string };

/**
 * Repairs a state folder's published views after a crash (call once at gateway start, before
 * serving views). When another publish holds the lock it does nothing: that publish owns the views
 * folder and repairs it itself.
 */
export function recoverPublishState(stateDir: string): PublishRecovery {
  if (!existsSync(viewsDir(stateDir))) return { state: 'recovered', finished: [] };
  let release: () => void;
  try {
    release = acquirePublishLock(stateDir);
  } catch (err) {
    if (err instanceof PublishBusyError) return { state: 'busy', message: err.message };
    throw err;
  }
  try {
    return { state: 'recovered', finished: recoverViews(stateDir) };
  } finally {
    release();
  }
}

/**
 * recoverPublishState for a gateway start: a failure (a journal it cannot read, a folder it cannot
 * write) is returned, not thrown, so the gateway still serves the complete versions on disk and
 * logs what to fix; the next publish runs the same recovery and fails loudly if it still cannot. A
 * storage failure (damaged database, full disk) is told with the file and the fix, as `privet`
 * tells it (cli-errors.ts).
 */
export function recoverPublishStateAtStart(stateDir: string): PublishRecovery {
  try {
    return recoverPublishState(stateDir);
  } catch (err) {
    return { state: 'failed', message: cliErrorMessage(err, { stateDir }) };
  }
}
