/**
 * Who a view download acts as: the experiment an analyst names (query string or ticket request),
 * the bearer token a ticket is bound to, and the user a ticket's holder acts as when it is used.
 */
import type { FastifyRequest } from 'fastify';
import type { Policy } from '@privet/core';
import { declared } from '@privet/core/policy/lookup';
import type { Actor } from './auth.js';
import { HttpError } from './errors.js';
import type { TokenStore } from './tokens.js';
import type { TicketGrant } from './view-tickets.js';

/** The experiment an analyst's download names (`?experiment=`); stewards read outside them. */
export function experimentQuery(request: FastifyRequest, actor: Actor): { experiment?: string } {
  const requested = (request.query as { experiment?: unknown }).experiment;
  if (actor.roles.includes('steward') || typeof requested !== 'string' || requested === '')
    return {};
  return { experiment: requested };
}

/** The experiment of a ticket request's body `{"experiment": "<id>"}` (as experimentQuery). */
export function experimentOfBody(body: unknown, actor: Actor): { experiment?: string } {
  const requested =
    body && typeof body === 'object' ? (body as { experiment?: unknown }).experiment : undefined;
  if (requested !== undefined && typeof requested !== 'string')
    throw new HttpError(
      'bad_request',
      'experiment must be a string',
      'send {"experiment": "<id>"} naming an approved experiment that requested the view',
    );
  if (actor.roles.includes('steward') || !requested) return {};
  return { experiment: requested };
}

/** The bearer token of an Authorization header the route's token check already accepted. */
export function bearerOf(header: string | undefined): string {
  const token = /^Bearer (\S+)$/.exec(header ?? '')?.[1];
  if (!token) throw new Error('a ticket was requested without the bearer token its check accepted');
  return token;
}

/**
 * The actor a ticket's holder acts as: its user with the roles the policy grants now, while the
 * token it was issued under is still that user's and unexpired; undefined otherwise.
 */
export function actorOfTicket(
  grant: TicketGrant,
  store: TokenStore,
  policy: Policy,
  now = Date.now(),
): Actor | undefined {
  const stored = store[grant.user];
  const entry = typeof stored === 'string' ? { hash: stored, expiresAt: undefined } : stored;
  if (!entry || entry.hash !== grant.tokenHash) return undefined;
  if (entry.expiresAt !== undefined && Date.parse(entry.expiresAt) <= now) return undefined;
  const user = declared(policy.users, grant.user);
  return user ? { user: grant.user, name: user.name, roles: [...user.roles] } : undefined;
}
