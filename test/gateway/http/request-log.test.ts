/**
 * Request logging (gateway/src/http/request-log.ts): with `log` on, each request is a JSON line
 * with its method, URL and status, and a download ticket in a URL is redacted, because anyone who
 * reads the log could use it. Tokens travel in headers, which are never logged.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ViewTicket } from '@privet/core';
import { redactRequestUrl } from '../../../gateway/src/http/request-log.js';
import { EXPERIMENT, startTestGateway, type TestGateway } from './fixture.js';

describe('redactRequestUrl', () => {
  it('replaces every ticket segment, keeps the rest of the URL', () => {
    assert.equal(
      redactRequestUrl('/api/v1/tickets/pvt_tkt_abc-DEF_123/parquet?x=1'),
      '/api/v1/tickets/[ticket]/parquet?x=1',
    );
    assert.equal(redactRequestUrl('/api/v1/tickets/pvt_tkt_abc'), '/api/v1/tickets/[ticket]');
    assert.equal(redactRequestUrl('/api/v1/tickets/a?t=1#f'), '/api/v1/tickets/[ticket]?t=1#f');
    assert.equal(redactRequestUrl('/api/v1/views/people/tickets'), '/api/v1/views/people/tickets');
  });

  it('finds a ticket spelt with %XX escapes, or outside a ticket path', () => {
    // The router decodes the path before it matches: both reach the ticket route.
    assert.equal(
      redactRequestUrl('/api/v1/%74ickets/pvt_tkt_abc/parquet'),
      '/api/v1/tickets/[ticket]/parquet',
    );
    assert.equal(
      redactRequestUrl('/api/v1/tickets%2Fpvt%5Ftkt%5Fabc-1/parquet'),
      '/api/v1/tickets/[ticket]/parquet',
    );
    assert.equal(redactRequestUrl('/api/v1/views?t=pvt_tkt_abc-_9'), '/api/v1/views?t=[ticket]');
    // An escape that is not UTF-8 stays as it is (and the rest is still redacted).
    assert.equal(redactRequestUrl('/api/v1/%ff/tickets/pvt_tkt_a'), '/api/v1/%ff/tickets/[ticket]');
  });
});

describe('gateway request log', () => {
  let t: TestGateway;
  const lines: string[] = [];

  before(async () => {
    t = await startTestGateway([], { log: true, logDestination: { write: (l) => lines.push(l) } });
  });
  after(async () => t.stop());

  it('logs each request with its status, never a ticket or a token', async () => {
    const ana = t.gateway.tokens.ana!;
    const response = await t.call('POST', '/api/v1/views/people_masked/tickets', {
      token: ana,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ experiment: EXPERIMENT }),
    });
    assert.equal(response.status, 200);
    const { path } = (await response.json()) as ViewTicket;
    const ticket = path.split('/')[2]!;
    assert.equal((await t.call('GET', `/api/v1${path}`)).status, 200);
    assert.equal((await t.call('GET', `/api/v1${path}`)).status, 410);
    assert.equal((await t.call('GET', `/api/v1/tickets/${ticket}`)).status, 404);
    // The same route reached through an escaped path: the router decodes it, the log redacts it.
    assert.equal((await t.call('GET', `/api/v1/%74ickets/${ticket}/parquet`)).status, 410);

    // Each request is an 'incoming' line (its URL) and a 'completed' line (its status), joined by
    // reqId; a streamed response may complete after the next request came in.
    type Line = { reqId?: string; req?: { url?: string }; res?: { statusCode?: number } };
    const entries = lines.map((l) => JSON.parse(l) as Line);
    const statusOf = new Map(entries.flatMap((e) => (e.res ? [[e.reqId, e.res.statusCode]] : [])));
    const logged = entries.flatMap((e) => (e.req ? [`${e.req.url} ${statusOf.get(e.reqId)}`] : []));
    assert.deepEqual(logged, [
      '/api/v1/views/people_masked/tickets 200',
      '/api/v1/tickets/[ticket]/parquet 200',
      '/api/v1/tickets/[ticket]/parquet 410',
      '/api/v1/tickets/[ticket] 404',
      '/api/v1/tickets/[ticket]/parquet 410',
    ]);
    const all = lines.join('\n');
    assert.ok(!all.includes(ticket), 'the ticket is not in the log');
    assert.ok(!all.includes(ana), 'the token is not in the log');
  });
});
