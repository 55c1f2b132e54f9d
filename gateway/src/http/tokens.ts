/**
 * Bearer tokens for the policy's users. Only SHA-256 hashes are stored (in `<stateDir>/tokens.json`,
 * mode 0600) with an expiry time; the plaintext is shown once, when issued. Tokens are 256-bit
 * CSPRNG values and expire (12 hours by default), so a leaked start link stops working.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { writeFileDurably } from '../durable-file.js';

const TOKEN_PREFIX = 'pvt_';

/** SHA-256 (hex) of a token, as stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** How long an issued token stays valid unless told otherwise: 12 hours. */
export const DEFAULT_TOKEN_TTL_MS = 12 * 3600 * 1000;

/** One user's stored token: its hash and when it expires (ISO 8601). */
export interface StoredToken {
  hash: string;
  expiresAt: string;
}

/** The stored tokens: user → hash (no expiry; written by older versions) or hash with expiry. */
export type TokenStore = Record<string, string | StoredToken>;

/** Parses a duration such as "90m", "12h" or "7d" into milliseconds; throws on anything else. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/.exec(text.trim());
  const unit = match
    ? { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3 }[match[2] as 's' | 'm' | 'h' | 'd']
    : 0;
  const ms = match ? Number(match[1]) * unit : NaN;
  if (!(ms > 0)) {
    throw new Error(
      `"${text}" is not a duration. Fix: use a number with s, m, h or d, e.g. 12h or 7d`,
    );
  }
  return ms;
}

function storePath(stateDir: string): string {
  return join(stateDir, 'tokens.json');
}

/** Runs before each `readTokenStore` of a state folder (token-audit.ts: reconciles the audit log). */
export type TokenReadHook = (stateDir: string) => void;
let readHook: TokenReadHook | undefined;

/** Sets (undefined: removes) the hook every `readTokenStore` runs first; its errors fail the read. */
export function setTokenReadHook(hook: TokenReadHook | undefined): void {
  readHook = hook;
}

/**
 * Reads the token store (empty when none was issued yet): what a running gateway does at start and
 * whenever the file changed. The read hook runs first, so a change is on the record before any
 * token it made is accepted.
 */
export function readTokenStore(stateDir: string): TokenStore {
  readHook?.(stateDir);
  const path = storePath(stateDir);
  if (!existsSync(path)) return {};
  return JSON.parse(readFileSync(path, 'utf8')) as TokenStore;
}

/** Thrown when tokens.json exists but is no token store; names the file, never its contents. */
export class TokenStoreError extends Error {
  /** The malformed file. */
  readonly path: string;
  /** How to fix it. */
  readonly fix: string;

  constructor(file: string, problem: string) {
    const path = resolve(file);
    const fix =
      `repair ${path} by hand, or run \`privet token issue --reset --user NAME…\`, which moves it ` +
      `aside to ${basename(path)}.malformed-<time> and issues fresh tokens (every token issued ` +
      `before stops working)`;
    super(`the token file ${path} is malformed (${problem}), so no token was issued. Fix: ${fix}`);
    this.name = 'TokenStoreError';
    this.path = path;
    this.fix = fix;
  }
}

/** Why a parsed token file is not a TokenStore (undefined when it is one). Names no user or hash. */
export function tokenStoreProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'it is not an object of users';
  for (const entry of Object.values(value as Record<string, unknown>)) {
    if (typeof entry === 'string') continue;
    if (typeof entry !== 'object' || entry === null)
      return 'an entry is neither a hash nor an object';
    const { hash, expiresAt } = entry as { hash?: unknown; expiresAt?: unknown };
    if (typeof hash !== 'string') return 'an entry has no hash';
    if (expiresAt !== undefined && (typeof expiresAt !== 'string' || isNaN(Date.parse(expiresAt))))
      return 'an entry has an invalid expiry time';
  }
  return undefined;
}

/**
 * Where JSON.parse stopped, from its message only: V8 may quote the text it choked on, and the
 * file's text (hashes, or a token pasted by hand) must never reach a terminal or log.
 */
function jsonProblem(text: string, err: SyntaxError): string {
  if (text.trim() === '') return 'it is empty';
  if (/Unexpected end of JSON input/.test(err.message)) return 'its JSON ends too early';
  const at = /at position (\d+)/.exec(err.message);
  if (!at) return 'it is not valid JSON';
  const position = Number(at[1]);
  if (position >= text.length) return 'its JSON ends too early';
  const before = text.slice(0, position).split('\n');
  const column = (before.at(-1)?.length ?? 0) + 1;
  return `it is not valid JSON: parsing stopped at line ${before.length}, column ${column}, position ${position}`;
}

/** Reads and checks the token store; throws TokenStoreError when the file is malformed. */
function readCheckedStore(path: string): TokenStore {
  if (!existsSync(path)) return {};
  const text = readFileSync(path, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    if (err instanceof SyntaxError) throw new TokenStoreError(path, jsonProblem(text, err));
    throw err;
  }
  const problem = tokenStoreProblem(value);
  if (problem) throw new TokenStoreError(path, problem);
  return value as TokenStore;
}

/**
 * Throws TokenStoreError when `<stateDir>/tokens.json` is malformed: the CLI checks before it opens
 * (and so creates) the state database, so a refused command leaves the folder as it was.
 */
export function checkTokenStore(stateDir: string): void {
  readCheckedStore(storePath(stateDir));
}

/** A name next to `path` for keeping a malformed file (`tokens.json.malformed-<time>`), unused. */
function asideName(path: string, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  let aside = `${path}.malformed-${stamp}`;
  for (let n = 1; existsSync(aside); n++) aside = `${path}.malformed-${stamp}-${n}`;
  return aside;
}

/** The text of tokens.json holding `store`, exactly as written. */
function storeText(store: TokenStore): string {
  return JSON.stringify(store, null, 2);
}

/** Writes `text` (a storeText) atomically and durably (temp file, fsync, rename), owner-only. */
function writeTokenStore(stateDir: string, text: string): void {
  mkdirSync(stateDir, { recursive: true });
  writeFileDurably(storePath(stateDir), text, 0o600);
}

/**
 * What tokens.json holds, as the audit log records it: the SHA-256 of its bytes, and each holder
 * with the expiry of their token (never a token or its hash), so a later check can tell whose
 * tokens an unaudited change touched.
 */
export interface TokenFileState {
  /** SHA-256 (hex) of the file's bytes; null when there is no file. */
  sha256: string | null;
  /** User → expiry (ISO 8601; null for a token without one). Absent when the file is malformed. */
  holders?: Record<string, string | null>;
}

/** The TokenFileState of file bytes (undefined: no file). */
function stateOfText(bytes: Buffer | undefined): TokenFileState {
  if (bytes === undefined) return { sha256: null, holders: {} };
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { sha256 };
  }
  if (tokenStoreProblem(value) !== undefined) return { sha256 };
  const holders: Record<string, string | null> = {};
  for (const [user, entry] of Object.entries(value as TokenStore))
    holders[user] = typeof entry === 'string' ? null : (entry.expiresAt ?? null);
  return { sha256, holders };
}

/** What `<stateDir>/tokens.json` holds now (its hash and holders; never a token or hash). */
export function readTokenFileState(stateDir: string): TokenFileState {
  const path = storePath(stateDir);
  return stateOfText(existsSync(path) ? readFileSync(path) : undefined);
}

/** Settings of `issueTokens`. */
export interface IssueOptions {
  /** Lifetime in milliseconds (default DEFAULT_TOKEN_TTL_MS). */
  ttlMs?: number;
  /** Clock (ms since the epoch) for tests. */
  now?: number;
  /**
   * Start a new store holding only these tokens, so every token issued before stops working. A
   * malformed file is kept aside as `tokens.json.malformed-<time>` instead of failing.
   */
  reset?: boolean;
}

/** Tokens just issued: plaintext per user (shown once) and their common expiry (ISO 8601). */
export interface IssuedTokens {
  tokens: Record<string, string>;
  expiresAt: string;
  /** Set by a reset: every earlier token is invalid; `malformedMovedTo` is where a bad file went. */
  reset?: { malformedMovedTo?: string };
}

/** Where a reset moves a malformed token file (undefined when the file is absent or well formed). */
function malformedAside(path: string, now: number): string | undefined {
  try {
    readCheckedStore(path);
    return undefined;
  } catch (err) {
    if (!(err instanceof TokenStoreError)) throw err;
    return asideName(path, now);
  }
}

/** A token change worked out but not written yet: what it does, and `write()` to do it. */
export interface PendingTokenChange<T> {
  value: T;
  /** What tokens.json holds once `write()` ran (for the audit entry). */
  after: TokenFileState;
  /** Writes tokens.json (and, for a reset, moves a malformed file aside first). */
  write(): void;
}

/**
 * Works out fresh tokens for `users`, replacing theirs (with `reset`: replacing every stored
 * token); nothing is written until `write()`. Throws TokenStoreError, naming the file but none of
 * its contents, when tokens.json is malformed (unless `reset`).
 */
export function prepareIssue(
  stateDir: string,
  users: readonly string[],
  options: IssueOptions = {},
): PendingTokenChange<IssuedTokens> {
  const path = storePath(stateDir);
  const now = options.now ?? Date.now();
  const aside = options.reset ? malformedAside(path, now) : undefined;
  const store: TokenStore = options.reset ? {} : readCheckedStore(path);
  const tokens: Record<string, string> = {};
  const expiresAt = new Date(now + (options.ttlMs ?? DEFAULT_TOKEN_TTL_MS)).toISOString();
  for (const user of users) {
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    store[user] = { hash: hashToken(token), expiresAt };
    tokens[user] = token;
  }
  const reset = options.reset ? (aside ? { malformedMovedTo: aside } : {}) : undefined;
  const value = reset ? { tokens, expiresAt, reset } : { tokens, expiresAt };
  // Issuing for nobody (a gateway started without --issue-tokens) changes nothing on disk.
  if (users.length === 0 && !options.reset)
    return { value, after: readTokenFileState(stateDir), write: () => {} };
  const text = storeText(store);
  return {
    value,
    after: stateOfText(Buffer.from(text, 'utf8')),
    write: () => {
      if (aside) renameSync(path, aside);
      writeTokenStore(stateDir, text);
    },
  };
}

/**
 * Issues fresh tokens for `users` now (prepareIssue, then write). Not serialized with other
 * processes: the CLI and the gateway go through `issueTokensRecorded` (token-audit.ts), which holds
 * the state database's write lock and audits the change first.
 */
export function issueTokens(
  stateDir: string,
  users: readonly string[],
  options: IssueOptions = {},
): IssuedTokens {
  const pending = prepareIssue(stateDir, users, options);
  pending.write();
  return pending.value;
}

/**
 * Works out the removal of the tokens of `users` (e.g. people removed from the policy, or a token
 * that leaked): `value` lists the users that had one; nothing is written until `write()`. A
 * malformed token file is refused and left as it is, as by `prepareIssue`.
 */
export function prepareRevoke(
  stateDir: string,
  users: readonly string[],
): PendingTokenChange<string[]> {
  const store = readCheckedStore(storePath(stateDir));
  const revoked = users.filter((u) => Object.hasOwn(store, u));
  for (const user of revoked) delete store[user];
  const text = storeText(store);
  return {
    value: revoked,
    after:
      revoked.length > 0 ? stateOfText(Buffer.from(text, 'utf8')) : readTokenFileState(stateDir),
    write: () => {
      if (revoked.length > 0) writeTokenStore(stateDir, text);
    },
  };
}

/**
 * Removes the tokens of `users` now; a running gateway re-reads the file, so they stop working at
 * once. Returns the users that had one. Callers outside tests go through `revokeTokensRecorded`.
 */
export function revokeTokens(stateDir: string, users: readonly string[]): string[] {
  const pending = prepareRevoke(stateDir, users);
  pending.write();
  return pending.value;
}

/** Who a presented token belongs to, and whether it has expired. */
export interface TokenMatch {
  user: string;
  /** Set when the token's time is up (ISO 8601). */
  expiredAt?: string;
}

/** Finds the user a presented token belongs to (undefined when it matches no one). */
export function matchToken(
  store: TokenStore,
  token: string,
  now = Date.now(),
): TokenMatch | undefined {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return undefined;
  const hash = hashToken(token);
  for (const [user, stored] of Object.entries(store)) {
    const entry = typeof stored === 'string' ? { hash: stored, expiresAt: undefined } : stored;
    if (entry.hash !== hash) continue;
    const expires = entry.expiresAt ? Date.parse(entry.expiresAt) : Infinity;
    return now < expires ? { user } : { user, expiredAt: entry.expiresAt! };
  }
  return undefined;
}
