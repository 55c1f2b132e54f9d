/**
 * Download tickets (gateway/src/http/view-tickets.ts): a single-use link of a view's Parquet that
 * holds no token, made only for rows the user could download now, valid for minutes. Used once it
 * is gone (410, with the fix); it dies with its token and with the experiment's access; the
 * rows it serves are the route's own, and both the link and its use are on the audit record,
 * without the ticket itself.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApiError, ViewTicket } from '@privet/core';
import { HttpError } from '../../../gateway/src/http/errors.js';
import { revokeTokens } from '../../../gateway/src/http/tokens.js';
import {
  MAX_OUTSTANDING_TICKETS,
  MAX_TICKETS_PER_USER,
  TICKET_PATTERN,
  TICKET_TTL_MS,
  ViewTickets,
} from '../../../gateway/src/http/view-tickets.js';
import { approveExperiment, EXPERIMENT, startTestGateway, type TestGateway } from './fixture.js';

const GRANT = { user: 'ana', tokenHash: 'h', view: 'people_masked', experiment: EXPERIMENT };

/** The error code a call threw (HttpError), or undefined. */
function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    assert.ok(error instanceof HttpError, String(error));
    return `${error.status} ${error.code}`;
  }
}

describe('ViewTickets', () => {
  it('answers a ticket once: a second use, a malformed or unknown ticket are gone (410)', () => {
    const tickets = new ViewTickets();
    const { ticket, expiresAt } = tickets.issue(GRANT);
    assert.match(ticket, TICKET_PATTERN);
    assert.ok(expiresAt.getTime() - Date.now() <= TICKET_TTL_MS);
    assert.deepEqual({ ...tickets.redeem(ticket), expiresAt: 0 }, { ...GRANT, expiresAt: 0 });
    assert.equal(
      codeOf(() => tickets.redeem(ticket)),
      '410 gone',
    );
    assert.equal(
      codeOf(() => tickets.redeem('pvt_tkt_short')),
      '410 gone',
    );
    assert.equal(
      codeOf(() => tickets.redeem(`pvt_tkt_${'A'.repeat(43)}`)),
      '410 gone',
    );
    assert.notEqual(tickets.issue(GRANT).ticket, tickets.issue(GRANT).ticket, 'random tickets');
  });

  it('expires after its time, and expired tickets stop counting', () => {
    let now = 1_000_000;
    const tickets = new ViewTickets(() => now, 60_000);
    const first = tickets.issue(GRANT).ticket;
    const second = tickets.issue(GRANT).ticket;
    now += 59_999;
    assert.equal(tickets.redeem(first).view, 'people_masked', 'still valid a moment before');
    now += 1;
    assert.equal(
      codeOf(() => tickets.redeem(second)),
      '410 gone',
      'expired at its time',
    );
    tickets.issue(GRANT);
    now += 60_000;
    assert.equal(tickets.size, 0);
  });

  it('refuses a new ticket while the most allowed are outstanding', () => {
    const tickets = new ViewTickets();
    const users = MAX_OUTSTANDING_TICKETS / MAX_TICKETS_PER_USER;
    for (let i = 0; i < MAX_OUTSTANDING_TICKETS; i++)
      tickets.issue({ ...GRANT, user: `user${i % users}` });
    assert.equal(
      codeOf(() => tickets.issue({ ...GRANT, user: 'someone-new' })),
      '429 rate_limited',
    );
  });

  it('lets one user hold only so many: the others still get theirs', () => {
    let now = 1_000_000;
    const tickets = new ViewTickets(() => now, 60_000);
    for (let i = 0; i < MAX_TICKETS_PER_USER; i++) tickets.issue(GRANT);
    assert.equal(
      codeOf(() => tickets.issue(GRANT)),
      '429 rate_limited',
      'ana has the most one user may have',
    );
    assert.match(tickets.issue({ ...GRANT, user: 'bob' }).ticket, TICKET_PATTERN);
    // A used ticket no longer counts, nor do expired ones.
    const used = tickets.issue({ ...GRANT, user: 'cy' }).ticket;
    for (let i = 1; i < MAX_TICKETS_PER_USER; i++) tickets.issue({ ...GRANT, user: 'cy' });
    tickets.redeem(used);
    assert.match(tickets.issue({ ...GRANT, user: 'cy' }).ticket, TICKET_PATTERN);
    now += 60_000;
    assert.match(tickets.issue(GRANT).ticket, TICKET_PATTERN);
  });
});

describe('POST /views/:name/tickets and GET /tickets/:ticket/parquet', () => {
  let t: TestGateway;
  let ana: string;

  before(async () => {
    t = await startTestGateway();
    ana = t.gateway.tokens.ana!;
  });
  after(async () => t.stop());

  /** Asks for a ticket as `token`; answers the response. */
  const ask = (
    view: string,
    token: string | undefined,
    body: unknown = { experiment: EXPERIMENT },
  ) =>
    t.call('POST', `/api/v1/views/${view}/tickets`, {
      ...(token ? { token } : {}),
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  /** A ticket's path, asked for as `token`. */
  const ticketPath = async (view: string, token: string, body?: unknown): Promise<string> => {
    const response = await ask(view, token, body);
    assert.equal(response.status, 200, await response.clone().text());
    const ticket = (await response.json()) as ViewTicket;
    assert.match(ticket.path, /^\/tickets\/pvt_tkt_[A-Za-z0-9_-]{43}\/parquet$/);
    return ticket.path;
  };

  it('serves the Parquet the route serves, once, without a token; then 410 with the fix', async () => {
    const path = await ticketPath('people_masked', ana);
    const direct = await t.call(
      'GET',
      `/api/v1/views/people_masked/parquet?experiment=${EXPERIMENT}`,
      {
        token: ana,
      },
    );
    const viaTicket = await t.call('GET', `/api/v1${path}`);
    assert.equal(viaTicket.status, 200);
    assert.equal(viaTicket.headers.get('content-type'), 'application/vnd.apache.parquet');
    assert.deepEqual(
      Buffer.from(await viaTicket.arrayBuffer()),
      Buffer.from(await direct.arrayBuffer()),
    );
    const again = await t.call('GET', `/api/v1${path}`);
    assert.equal(again.status, 410);
    const { error } = (await again.json()) as ApiError;
    assert.equal(error.code, 'gone');
    assert.match(error.fix, /make a new one/);

    const entries = t.gateway.services.audit.entries({ experiment: EXPERIMENT });
    const issued = entries.filter((e) => e.action === 'view.ticket');
    assert.equal(issued.length, 1);
    assert.equal(issued[0]!.actor, 'ana');
    assert.equal(issued[0]!.subject, 'people_masked');
    const used = entries.filter((e) => e.action === 'view.access' && e.details?.via === 'ticket');
    assert.equal(used.length, 1, 'the use is audited as ana’s access');
    assert.equal(used[0]!.actor, 'ana');
    const ticket = path.split('/')[2]!;
    assert.ok(!JSON.stringify(entries).includes(ticket), 'the ticket is not on the record');
  });

  it('answers no HEAD request, which would use the ticket up while sending nothing', async () => {
    const path = await ticketPath('people_masked', ana);
    const head = await t.call('HEAD', `/api/v1${path}`);
    assert.equal(head.status, 404);
    const direct = await t.call(
      'HEAD',
      `/api/v1/views/people_masked/parquet?experiment=${EXPERIMENT}`,
      {
        token: ana,
      },
    );
    assert.equal(direct.status, 404, 'nor on the views’ own routes');
    assert.equal((await t.call('GET', `/api/v1${path}`)).status, 200, 'the ticket still works');
  });

  it('makes a link only for rows the user could download now', async () => {
    const refusal = async (response: Response): Promise<string> =>
      `${response.status} ${((await response.json()) as ApiError).error.code}`;
    assert.equal(await refusal(await ask('people_masked', undefined)), '401 unauthenticated');
    assert.equal(await refusal(await ask('people_masked', t.gateway.tokens.rev!)), '403 forbidden');
    assert.equal(await refusal(await ask('people_dp', ana)), '409 wrong_tier');
    assert.equal(await refusal(await ask('people_later', ana)), '409 not_published');
    assert.equal(await refusal(await ask('people_masked', ana, {})), '400 bad_request');
    assert.equal(
      await refusal(await ask('people_masked', ana, { experiment: 7 })),
      '400 bad_request',
    );
    approveExperiment(t.gateway, 'exp-other', ['people_dp']);
    assert.equal(
      await refusal(await ask('people_masked', ana, { experiment: 'exp-other' })),
      '403 forbidden',
      'the experiment did not request the view',
    );
    assert.equal(await refusal(await ask('No_Such', ana)), '400 bad_request');
  });

  it('dies with the experiment’s access: dissolved after the link was made', async () => {
    approveExperiment(t.gateway, 'exp-short', ['people_masked']);
    const path = await ticketPath('people_masked', ana, { experiment: 'exp-short' });
    await t.gateway.services.experiments.dissolve({ user: 'ana', roles: ['analyst'] }, 'exp-short');
    const response = await t.call('GET', `/api/v1${path}`);
    assert.equal(response.status, 403);
    assert.equal((await t.call('GET', `/api/v1${path}`)).status, 410, 'and it was used up');
  });

  it('dies with the token it was made under (revoked)', async () => {
    const path = await ticketPath('people_masked', t.gateway.tokens.stu!, {});
    revokeTokens(t.dir + '/state', ['stu']);
    t.gateway.reloadTokens();
    const response = await t.call('GET', `/api/v1${path}`);
    assert.equal(response.status, 410);
  });
});
