// Why: SQLite and the OS report a full disk or a damaged database in their own words ("database
// disk image is malformed", "ENOSPC: no space left on device, write"), naming neither the file nor
// a way out. These helpers turn such errors into a message with the path and the fix, from the
// error's code only: they never quote the failing statement or the data it carried.
import { dirname } from 'node:path';

/** The storage failures a steward can fix, by the error's code (undefined for any other error). */
export type StorageTrouble = 'full' | 'unreadable' | 'cannot-open' | 'read-only' | 'io';

/** The code of an error from SQLite or the OS, if it has one. */
function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Which fixable storage failure `error` is, from its code. */
export function storageTrouble(error: unknown): StorageTrouble | undefined {
  const code = codeOf(error);
  if (code === undefined) return undefined;
  if (code === 'ENOSPC' || code === 'EDQUOT' || code.startsWith('SQLITE_FULL')) return 'full';
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) return 'unreadable';
  if (code.startsWith('SQLITE_CANTOPEN')) return 'cannot-open';
  if (code.startsWith('SQLITE_READONLY')) return 'read-only';
  if (code.startsWith('SQLITE_IOERR')) return 'io';
  return undefined;
}

/** A storage failure told plainly: what happened, to which file or folder, and how to fix it. */
export class StorageError extends Error {
  /** The kind of failure (not the SQLite or OS code, which is in the message and `cause`). */
  readonly code: `storage_${StorageTrouble}`;
  /** What happened, without the fix (for callers that report the two apart). */
  readonly what: string;
  /** The file or folder concerned. */
  readonly path: string;
  /** How to fix it. */
  readonly fix: string;

  constructor(trouble: StorageTrouble, what: string, path: string, fix: string, cause: unknown) {
    super(`${what}. Fix: ${fix}`, { cause });
    this.name = 'StorageError';
    this.code = `storage_${trouble}`;
    this.what = what;
    this.path = path;
    this.fix = fix;
  }
}

/** What to do about a full disk: the same for every command. */
export const DISK_FULL_FIX =
  'free space on that disk and run the command again; nothing was published or charged past the ' +
  'last committed step';

/** A full disk while writing `where` (a file or folder), with the fix. */
export function diskFullError(error: unknown, where: string): StorageError {
  return new StorageError(
    'full',
    `the disk holding ${where} is full (${codeOf(error) ?? 'ENOSPC'})`,
    where,
    DISK_FULL_FIX,
    error,
  );
}

/**
 * `error` as a StorageError naming the database `dbPath` (or the file an OS error names) and the
 * fix, when it is a fixable storage failure; otherwise `error` itself, unchanged.
 */
export function databaseError(error: unknown, dbPath: string): unknown {
  const trouble = storageTrouble(error);
  if (trouble === undefined || error instanceof StorageError) return error;
  const code = codeOf(error) ?? 'error';
  const dir = dirname(dbPath);
  const osPath = (error as { path?: unknown }).path;
  switch (trouble) {
    case 'full':
      return diskFullError(error, typeof osPath === 'string' ? osPath : dir);
    case 'unreadable':
      return new StorageError(
        trouble,
        `the gateway database ${dbPath} is unreadable: it is corrupt, truncated or not a SQLite database (${code})`,
        dbPath,
        'restore it from a backup, or move it aside to start a new state folder (with an empty ' +
          `ledger and audit log); \`privet audit verify --state ${dir}\` says what is damaged`,
        error,
      );
    case 'cannot-open':
      return new StorageError(
        trouble,
        `cannot open the gateway database ${dbPath} (${code})`,
        dbPath,
        `check that ${dir} is a folder this user may read and write, and that the privet.db files in it are readable and writable`,
        error,
      );
    case 'read-only':
      return new StorageError(
        trouble,
        `the gateway database ${dbPath} cannot be written (${code})`,
        dbPath,
        `give this user write access to ${dir} and the privet.db files in it (or remount the disk read-write)`,
        error,
      );
    case 'io':
      return new StorageError(
        trouble,
        `reading or writing the gateway database ${dbPath} failed (${code})`,
        dbPath,
        'check the disk (free space, errors in the system log), then run the command again',
        error,
      );
  }
}

/**
 * True for SQLite's answer that another connection holds the lock it needs (SQLITE_BUSY or
 * SQLITE_LOCKED, once the busy timeout ran out): nothing is damaged, a retry can succeed.
 */
export function isDatabaseBusy(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** What to do about a busy database: the same wherever it was hit. */
export const DATABASE_BUSY_FIX =
  'retry in a moment; if it stays busy, let the process holding a long write transaction on it ' +
  'finish (a `privet` command on this state folder, such as publish or token issue, or a second ' +
  'gateway), or stop it';

/** A database another connection kept locked past the busy timeout: what, which file, retry. */
export class DatabaseBusyError extends Error {
  /** Always `storage_busy` (the SQLite code is in the message and `cause`). */
  readonly code = 'storage_busy';
  /** What happened, without the fix (for callers that report the two apart). */
  readonly what: string;
  /** The database file. */
  readonly path: string;
  /** How to fix it. */
  readonly fix: string;

  constructor(what: string, path: string, fix: string, cause: unknown) {
    super(`${what}. Fix: ${fix}`, { cause });
    this.name = 'DatabaseBusyError';
    this.what = what;
    this.path = path;
    this.fix = fix;
  }
}

/** A busy or locked database `dbPath` met while the gateway was `doing` something, with the fix. */
export function databaseBusyError(
  error: unknown,
  dbPath: string,
  doing: string,
): DatabaseBusyError {
  return new DatabaseBusyError(
    `the gateway database ${dbPath} was busy (${codeOf(error) ?? 'SQLITE_BUSY'}) while ${doing}: another connection held its lock past the busy timeout`,
    dbPath,
    DATABASE_BUSY_FIX,
    error,
  );
}
