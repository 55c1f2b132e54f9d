/** Bearer-token authentication and role checks, run before every non-public route. */
import type { Policy, Role } from '@privet/core';
import { HttpError } from './errors.js';
import { matchToken, type TokenStore } from './tokens.js';

/** Who is making a request. */
export interface Actor {
  user: string;
  name: string;
  roles: Role[];
}

/** Resolves the Authorization header to an actor; throws 401 HttpError when missing or wrong. */
export function authenticate(header: string | undefined, store: TokenStore, policy: Policy): Actor {
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
  const found = matchToken(store, match[1] ?? '');
  if (found?.expiredAt) {
    throw new HttpError(
      'unauthenticated',
      `the bearer token of ${found.user} expired at ${found.expiredAt}`,
      'ask a steward for a new token (`privet token issue --user NAME`); with the demo, restart `npm start` for fresh sign-in links',
    );
  }
  const user = found?.user;
  const declared = user ? policy.users[user] : undefined;
  if (!user || !declared) {
    throw new HttpError(
      'unauthenticated',
      'the bearer token is not valid',
      'ask a steward for a current token (`privet token issue --user NAME`)',
    );
  }
  return { user, name: declared.name, roles: [...declared.roles] };
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
