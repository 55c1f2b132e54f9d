/**
 * Download tickets: single-use, short-lived links to one view's Parquet for one user and
 * experiment, for kernels the notebook host cannot hand a token to (a Python kernel in VS Code).
 * Why a ticket, not the token: the link is written into a notebook cell, so it must be worthless
 * once used or after a few minutes, and name one view only. The ticket is a 256-bit CSPRNG value;
 * only its SHA-256 is kept, in memory (a gateway restart voids every ticket: fail closed). A
 * ticket also dies with the token it was issued under (revoked, expired or replaced).
 */
import { randomBytes } from 'node:crypto';
import { HttpError } from './errors.js';
import { hashToken } from './tokens.js';

/** How long a ticket stays valid: 5 minutes. */
export const TICKET_TTL_MS = 5 * 60_000;
/** Most tickets outstanding at once (each is a few hundred bytes; expired ones are dropped first). */
export const MAX_OUTSTANDING_TICKETS = 10_000;
/** Most tickets one user may have outstanding, so that no one user can use up the gateway's. */
export const MAX_TICKETS_PER_USER = 100;
/** Prefix of every ticket, so a leaked one is recognisable for what it is. */
const TICKET_PREFIX = 'pvt_tkt_';
/** What a ticket looks like in a path (anything else is not looked up). */
export const TICKET_PATTERN = /^pvt_tkt_[A-Za-z0-9_-]{43}$/;

/** What a ticket grants: one view's rows, to one user, under one token and experiment. */
export interface TicketGrant {
  user: string;
  /** SHA-256 of the bearer token the ticket was issued under. */
  tokenHash: string;
  view: string;
  /** Absent for a steward's ticket (stewards read views outside experiments). */
  experiment?: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/** The outstanding tickets of one gateway. */
export class ViewTickets {
  private readonly grants = new Map<string, TicketGrant>();

  /** `now` is injectable for tests of expiry. */
  constructor(
    private readonly now: () => number = Date.now,
    private readonly ttlMs = TICKET_TTL_MS,
  ) {}

  /** Issues a ticket for `grant`; answers the ticket (shown once) and when it expires. */
  issue(grant: Omit<TicketGrant, 'expiresAt'>): { ticket: string; expiresAt: Date } {
    this.dropExpired();
    if (this.grants.size >= MAX_OUTSTANDING_TICKETS)
      throw new HttpError(
        'rate_limited',
        `${MAX_OUTSTANDING_TICKETS} download links are outstanding on this gateway`,
        `use the links already made, or wait up to ${TICKET_TTL_MS / 60_000} minutes for them to expire`,
      );
    let mine = 0;
    for (const held of this.grants.values()) if (held.user === grant.user) mine++;
    if (mine >= MAX_TICKETS_PER_USER)
      throw new HttpError(
        'rate_limited',
        `you have ${MAX_TICKETS_PER_USER} download links outstanding, the most one user may have`,
        `use the links already made (each loads its view once), or wait up to ${TICKET_TTL_MS / 60_000} minutes for them to expire`,
      );
    const ticket = TICKET_PREFIX + randomBytes(32).toString('base64url');
    const expiresAt = this.now() + this.ttlMs;
    this.grants.set(hashToken(ticket), { ...grant, expiresAt });
    return { ticket, expiresAt: new Date(expiresAt) };
  }

  /**
   * Takes the ticket's grant, so that it can never be used again, and answers it; throws a 410
   * when the ticket is unknown, already used or expired (the three are not told apart).
   */
  redeem(ticket: string): TicketGrant {
    const key = TICKET_PATTERN.test(ticket) ? hashToken(ticket) : undefined;
    const grant = key === undefined ? undefined : this.grants.get(key);
    if (key !== undefined) this.grants.delete(key);
    if (!grant || grant.expiresAt <= this.now()) throw ticketGone();
    return grant;
  }

  /** Tickets outstanding now (for tests). */
  get size(): number {
    this.dropExpired();
    return this.grants.size;
  }

  private dropExpired(): void {
    const now = this.now();
    for (const [key, grant] of this.grants) if (grant.expiresAt <= now) this.grants.delete(key);
  }
}

/** The refusal of a ticket that is unknown, used, expired, or whose token no longer holds. */
export function ticketGone(): HttpError {
  return new HttpError(
    'gone',
    'this download link was already used, has expired, or its sign-in ended',
    `each link loads its view once, within ${TICKET_TTL_MS / 60_000} minutes: make a new one (in VS Code, "Privet: New Python Cell for View")`,
  );
}
