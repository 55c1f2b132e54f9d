// Why: an error that reaches the top of `privet` is printed as it is; a full disk or a damaged state
// database from SQLite or the OS would then name no file and no fix. This names both, from the
// error's code and the command's --state folder (never from the data the failing write carried).
import { join } from 'node:path';
import {
  DISK_FULL_FIX,
  StorageError,
  databaseError,
  diskFullError,
  storageTrouble,
} from './storage-errors.js';

/** What the failed command was pointed at, to name it in the message. */
export interface CliErrorContext {
  /** The command's --state folder, when it has one. */
  stateDir?: string;
}

/** The message `privet` prints (after "privet: ") for an error that reached its top level. */
export function cliErrorMessage(error: unknown, context: CliErrorContext = {}): string {
  if (error instanceof StorageError) return error.message;
  const trouble = storageTrouble(error);
  if (trouble === undefined) return error instanceof Error ? error.message : String(error);
  const code = (error as { code: string }).code;
  if (trouble === 'full') {
    const osPath = (error as { path?: unknown }).path;
    const where = typeof osPath === 'string' ? osPath : context.stateDir;
    return where !== undefined
      ? diskFullError(error, where).message
      : `a disk this command writes to is full (${code}). Fix: ${DISK_FULL_FIX}`;
  }
  if (context.stateDir !== undefined) {
    const wrapped = databaseError(error, join(context.stateDir, 'privet.db'));
    if (wrapped instanceof Error) return wrapped.message;
  }
  return (
    `a database this command uses could not be read or written (${code}). Fix: check the disk ` +
    'and the --state folder, then run the command again'
  );
}
