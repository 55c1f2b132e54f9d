/**
 * Bearer tokens for the policy's users. Only SHA-256 hashes are stored (in `<stateDir>/tokens.json`,
 * mode 0600); the plaintext is shown once, when issued. Tokens are 256-bit CSPRNG values.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const TOKEN_PREFIX = 'pvt_';

/** SHA-256 (hex) of a token, as stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The stored token hashes: user → hash. */
export type TokenStore = Record<string, string>;

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

/** Issues fresh tokens for `users` (replacing theirs); returns the plaintext tokens once. */
export function issueTokens(stateDir: string, users: readonly string[]): Record<string, string> {
  const store = readTokenStore(stateDir);
  const issued: Record<string, string> = {};
  for (const user of users) {
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    store[user] = hashToken(token);
    issued[user] = token;
  }
  writeTokenStore(stateDir, store);
  return issued;
}

/** Finds the user a presented token belongs to, or undefined. */
export function userForToken(store: TokenStore, token: string): string | undefined {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return undefined;
  const hash = hashToken(token);
  for (const [user, stored] of Object.entries(store)) if (stored === hash) return user;
  return undefined;
}
