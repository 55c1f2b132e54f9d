/** Bearer-token authentication and role checks, run before every non-public route. */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Policy, Role } from '@privet/core';
import { DatabaseBusyError, StorageError } from '../storage-errors.js';
import { HttpError } from './errors.js';
import { matchToken, readTokenStore, tokenStoreProblem, type TokenStore } from './tokens.js';
import { declared } from '@privet/core/policy/lookup';

/**
 * The token store of a running gateway, kept in step with `<stateDir>/tokens.json`: each
 * authentication stats the file once and re-reads it when it changed (another inode, size,
 * modification or change time), so `privet token issue` revokes a user's old token and activates
 * the new one at once. Fails closed: while the file cannot be read or is malformed, or the state
 * database cannot reconcile it with the audit log (busy, full, read-only, damaged), every
 * authentication is refused (never
 * answered from the tokens read before).
 */
export class TokenFile {
  readonly path: string;
  private store: TokenStore = {};
  /** What the file looked like when `store` was read; undefined forces a re-read. */
  private stamp: string | undefined;

  /** Reads the file once; throws (with what and how to fix) when it is unreadable or malformed. */
  constructor(readonly stateDir: string) {
    this.path = join(stateDir, 'tokens.json');
    try {
      this.current();
    } catch (err) {
      if (err instanceof HttpError) throw new Error(`${err.message}. Fix: ${err.fix}`);
      throw err;
    }
  }

  /** The stored tokens, re-read first if the file changed since it was last read. */
  current(): TokenStore {
    let stamp: string;
    try {
      const st = statSync(this.path, { bigint: true, throwIfNoEntry: false });
      stamp = st ? `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}` : 'absent';
    } catch (err) {
      this.stamp = undefined;
      throw this.unreadable(err);
    }
    if (stamp === this.stamp) return this.store;
    // Stat before reading: a change between the two only causes one more re-read, never a stale store.
    this.stamp = undefined;
    this.store = {};
    let read: unknown;
    try {
      read = readTokenStore(this.stateDir);
    } catch (err) {
      if (err instanceof SyntaxError) throw this.malformed('it is not valid JSON');
      // The re-read reconciles the file with the audit log first (token-audit.ts): a busy, full,
      // read-only or damaged database is no fault of the file; the next request retries.
      if (err instanceof DatabaseBusyError || err instanceof StorageError) throw this.database(err);
      throw this.unreadable(err);
    }
    const problem = tokenStoreProblem(read);
    if (problem) throw this.malformed(problem);
    this.store = read as TokenStore;
    this.stamp = stamp;
    return this.store;
  }

  /** Re-reads the file now, whether or not it looks changed. */
  reload(): TokenStore {
    this.stamp = undefined;
    return this.current();
  }

  private unreadable(err: unknown): HttpError {
    const code = (err as { code?: unknown }).code;
    return new HttpError(
      'internal',
      `the gateway cannot read its token file ${this.path} (${typeof code === 'string' ? code : 'read failed'}), so it accepts no token until that is fixed`,
      'a steward makes the file readable by the gateway user (mode 0600), or deletes it and re-issues the tokens with `privet token issue --user NAME`',
    );
  }

  private database(err: DatabaseBusyError | StorageError): HttpError {
    return new HttpError(
      'internal',
      `${err.what}, so the gateway accepts no token until its token file ${this.path} is reconciled`,
      err.fix,
      { cause: err },
    );
  }

  private malformed(problem: string): HttpError {
    return new HttpError(
      'internal',
      `the gateway's token file ${this.path} is malformed (${problem}), so it accepts no token until that is fixed`,
      'a steward repairs the file, or runs `privet token issue --reset --user NAME…`, which moves it aside and issues fresh tokens',
    );
  }
}

/** Who is making a request. */
export interface Actor {
  user: string;
  name: string;
  roles: Role[];
}

/**
 * Resolves the Authorization header to an actor; throws 401 HttpError when missing or wrong, and
 * 500 when the token file is unreadable or malformed (or the state database too busy, full,
 * read-only or damaged to reconcile it with the audit log). A TokenFile is consulted (and re-read if it changed) only once the
 * header is well formed.
 */
export function authenticate(
  header: string | undefined,
  tokens: TokenStore | TokenFile,
  policy: Policy,
): Actor {
  if (!header) {
    throw new HttpError(
      'unauthenticated',
      'no bearer token was sent',
      'send the header "Authorization: Bearer <your token>" (npm start prints the demo tokens)',
    );
  }
  const match = /^Bearer ([A-Za-z0-9_\-.~+/=]{1,200})$/.exec(header);
  if (!match) {
    throw new HttpError(
      'unauthenticated',
      'the Authorization header is malformed',
      'use the form "Authorization: Bearer <token>"',
    );
  }
  const store = tokens instanceof TokenFile ? tokens.current() : tokens;
  const found = matchToken(store, match[1] ?? '');
  if (found?.expiredAt) {
    throw new HttpError(
      'unauthenticated',
      `the bearer token of ${found.user} expired at ${found.expiredAt}`,
      'ask a steward for a new token (`privet token issue --user NAME`); with the demo, restart `npm start` for fresh sign-in links',
    );
  }
  const user = found?.user;
  const grant = user ? declared(policy.users, user) : undefined;
  if (!user || !grant) {
    throw new HttpError(
      'unauthenticated',
      'the bearer token is not valid',
      'ask a steward for a current token (`privet token issue --user NAME`)',
    );
  }
  return { user, name: grant.name, roles: [...grant.roles] };
}

/** Throws 403 unless the actor holds one of `allowed`. */
export function requireRole(actor: Actor, allowed: readonly Role[], what: string): void {
  if (!actor.roles.some((r) => allowed.includes(r))) {
    throw new HttpError(
      'forbidden',
      `${what} needs the role ${allowed.join(' or ')}; ${actor.user} has ${actor.roles.join(', ')}`,
      'sign in as a user with that role, or ask a steward to grant it in the policy',
    );
  }
}
