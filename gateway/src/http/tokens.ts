/**
 * Bearer tokens for the policy's users. Only SHA-256 hashes are stored (in `<stateDir>/tokens.json`,
 * mode 0600) with an expiry time; the plaintext is shown once, when issued. Tokens are 256-bit
 * CSPRNG values and expire (12 hours by default), so a leaked start link stops working.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

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

/** Reads the token store (empty when none was issued yet). */
export function readTokenStore(stateDir: string): TokenStore {
  const path = storePath(stateDir);
  if (!existsSync(path)) return {};
  return JSON.parse(readFileSync(path, 'utf8')) as TokenStore;
}

function writeTokenStore(stateDir: string, store: TokenStore): void {
  mkdirSync(stateDir, { recursive: true });
  const path = storePath(stateDir);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(store, null, 2), { mode: 0o600 });
  renameSync(temp, path);
}

/** Settings of `issueTokens`. */
export interface IssueOptions {
  /** Lifetime in milliseconds (default DEFAULT_TOKEN_TTL_MS). */
  ttlMs?: number;
  /** Clock (ms since the epoch) for tests. */
  now?: number;
}

/** Tokens just issued: plaintext per user (shown once) and their common expiry (ISO 8601). */
export interface IssuedTokens {
  tokens: Record<string, string>;
  expiresAt: string;
}

/** Issues fresh tokens for `users`, replacing theirs. */
export function issueTokens(
  stateDir: string,
  users: readonly string[],
  options: IssueOptions = {},
): IssuedTokens {
  const store = readTokenStore(stateDir);
  const tokens: Record<string, string> = {};
  const expiresAt = new Date(
    (options.now ?? Date.now()) + (options.ttlMs ?? DEFAULT_TOKEN_TTL_MS),
  ).toISOString();
  for (const user of users) {
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    store[user] = { hash: hashToken(token), expiresAt };
    tokens[user] = token;
  }
  writeTokenStore(stateDir, store);
  return { tokens, expiresAt };
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
