/**
 * Core's gateway client against a real gateway on 127.0.0.1, with Node's fetch injected the way a
 * host does: typed routes, the bearer token only where ROUTES needs it, ApiError bodies becoming
 * GatewayErrors with the gateway's message and fix, and release text from a real DP release.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { tableFromIPC } from 'apache-arrow';
import {
  GatewayClient,
  GatewayError,
  fillRoutePath,
  normalizeGatewayUrl,
  releaseTable,
  releaseText,
  toQueryResult,
  type FetchLike,
  type FetchRequestLike,
  type GatewayTransport,
  type UnknownReleases,
  VerifiedReleases,
} from '@privet/core/client/index';
import { releaseContentText, releaseDigest } from '@privet/core/review/index';
import { API_PREFIX, type AuditResponse } from '@privet/core/protocol';
import { EXPERIMENT, startTestGateway, type TestGateway } from '../../gateway/http/fixture.js';

/** Node's fetch, recording every request the client sends. */
function recordingTransport(sent: { url: string; init: FetchRequestLike }[]): GatewayTransport {
  const nodeFetch: FetchLike = (url, init) => {
    sent.push({ url, init });
    return fetch(url, init);
  };
  return { fetch: nodeFetch, unreachableFix: 'start the test gateway', httpFix: 'read its log' };
}

/** A 127.0.0.1 port that nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.ok(address && typeof address === 'object');
  return address.port;
}

describe('core GatewayClient over a real gateway', () => {
  let t: TestGateway;
  const sent: { url: string; init: FetchRequestLike }[] = [];
  let ana: GatewayClient;

  before(async () => {
    t = await startTestGateway();
    ana = new GatewayClient(t.gateway.url, t.gateway.tokens.ana!, recordingTransport(sent));
  });
  after(async () => {
    await t.stop();
  });

  it('calls /health without the token and /whoami with it', async () => {
    sent.length = 0;
    const health = await ana.health();
    assert.equal(health.status, 'ok');
    assert.equal(health.policy.name, 'http-test');
    const me = await ana.whoami();
    assert.deepEqual({ user: me.user, roles: me.roles }, { user: 'ana', roles: ['analyst'] });
    assert.equal(sent[0]?.url, `${t.gateway.url}${API_PREFIX}/health`);
    assert.equal(sent[0]?.init.headers.Authorization, undefined, 'public route: no token sent');
    assert.equal(sent[1]?.init.headers.Authorization, `Bearer ${t.gateway.tokens.ana}`);
    assert.equal(sent[1]?.init.method, 'GET');
  });

  it('lists views, experiments, budget and reviews with path and query filled', async () => {
    const { views } = await ana.listViews();
    assert.ok(views.some((v) => v.name === 'people_masked'));
    const { experiments } = await ana.listExperiments();
    assert.deepEqual(
      experiments.map((e) => e.id),
      [EXPERIMENT],
    );
    const budget = await ana.budget(EXPERIMENT);
    assert.equal(budget.budgets[0]?.total.epsilon.exact, '1');
    sent.length = 0;
    const reviews = await ana.listReviews({ experiment: EXPERIMENT, state: 'pending' });
    assert.deepEqual(reviews.reviews, []);
    assert.equal(
      sent[0]?.url,
      `${t.gateway.url}${API_PREFIX}/reviews?experiment=${EXPERIMENT}&state=pending`,
    );
    assert.deepEqual(await ana.listReviews(EXPERIMENT), reviews, 'a string filters by experiment');
  });

  it('reads a view as Arrow IPC and turns it into display rows', async () => {
    const ipc = await ana.viewArrow('people_masked', EXPERIMENT);
    const table = tableFromIPC(ipc);
    const result = toQueryResult(table, { maxRows: 5, elapsedMs: 1 });
    assert.deepEqual(result.columns, ['person_id', 'email', 'city', 'income']);
    assert.equal(result.totalRows, 40);
    assert.equal(result.rows.length, 5);
    assert.ok(result.rows.every((r) => r.every((v) => typeof v === 'string')));
    assert.ok(!result.rows.some((r) => r[1]?.includes('person0@')), 'emails arrive masked');
  });

  it('a DP query its caller stops rejects with the caller’s reason, its request aborted', async () => {
    sent.length = 0;
    const stop = new AbortController();
    const reason = new Error('stopped by the test');
    const asking = ana.dpQuery(
      {
        experiment: EXPERIMENT,
        sql: 'SELECT COUNT(*) AS n FROM people_dp',
        epsilon: '0.1',
        dryRun: true,
      },
      { signal: stop.signal },
    );
    stop.abort(reason);
    await assert.rejects(asking, (e) => e === reason);
    assert.equal(sent[0]?.init.signal, stop.signal, 'the request carried the caller’s signal');
  });

  it('POSTs a DP query with a JSON body and formats the release', async () => {
    sent.length = 0;
    const answer = await ana.dpQuery({
      experiment: EXPERIMENT,
      sql: 'SELECT COUNT(*) AS n FROM people_dp',
      epsilon: '0.1',
      dryRun: false,
    });
    assert.equal(sent[0]?.init.method, 'POST');
    assert.equal(sent[0]?.init.headers['Content-Type'], 'application/json');
    assert.ok(!answer.dryRun, 'a run, not a dry run');
    const { header, rows } = releaseTable(answer.release);
    assert.deepEqual(header, ['n']);
    assert.equal(rows[0]?.[0]?.kind, 'value');
    assert.match(
      releaseText(answer.release),
      /^Privet DP release [0-9a-f]+ .*ε=0\.1, 95% intervals/,
    );
    const id = answer.release.releaseId;
    const digest = await releaseDigest(answer.release);
    const { valid } = await ana.verifyReleases([
      { id, digest },
      { id: 'f'.repeat(32), digest },
    ]);
    assert.deepEqual(valid, [{ id, digest }]);
  });

  it('VerifiedReleases trusts a release by id and content, as the gateway’s ledger says', async () => {
    const answer = await ana.dpQuery({
      experiment: EXPERIMENT,
      sql: 'SELECT COUNT(*) AS n FROM people_dp',
      epsilon: '0.1',
      dryRun: false,
    });
    assert.ok(!answer.dryRun);
    const release = answer.release;
    const content = releaseContentText(release);
    const forged = releaseContentText({ ...release, columns: ['n', 'forged'] });
    const cache = new VerifiedReleases();
    const unknown: UnknownReleases = new Map();
    const ask = cache.lookup(unknown);
    assert.equal(ask(release.releaseId, content), false, 'not verified yet');
    assert.equal(ask(release.releaseId, forged), false);
    assert.equal(unknown.size, 2, 'both noted for verification');

    // The gateway is down: nothing is learned and both stay unknown (held), the error reported.
    const errors: unknown[] = [];
    const offline = new VerifiedReleases((e) => errors.push(e));
    const down = new GatewayClient(
      `http://127.0.0.1:${await closedPort()}`,
      'x',
      recordingTransport([]),
    );
    const noted: UnknownReleases = new Map(unknown);
    assert.equal(await offline.verify(down, noted), false);
    assert.ok(errors[0] instanceof GatewayError, 'the failure reaches onError');
    const again: UnknownReleases = new Map();
    assert.equal(offline.lookup(again)(release.releaseId, content), false);
    assert.equal(again.size, 1, 'still unknown, asked again next time');

    assert.equal(await cache.verify(ana, unknown), true);
    const later: UnknownReleases = new Map();
    const now = cache.lookup(later);
    assert.equal(now(release.releaseId, content), true, 'the ledger committed this content');
    assert.equal(now(release.releaseId, forged), false, 'a real id with other numbers is refused');
    assert.equal(later.size, 0, 'both answered from the cache');
    assert.equal(await cache.verify(ana, unknown), false, 'nothing new to ask');

    // Another gateway has another ledger: switching forgets everything learned from this one.
    cache.remember({ ...release, releaseId: 'e'.repeat(32) }, 'http://127.0.0.1:1');
    const unseen: UnknownReleases = new Map();
    assert.equal(cache.lookup(unseen)(release.releaseId, content), false);
    assert.equal(unseen.size, 1, 'asked again, of the new gateway');

    // A release this host received from the gateway is trusted without asking.
    const received = new VerifiedReleases();
    received.remember(release, ana.baseUrl);
    assert.equal(received.lookup()(release.releaseId, content), true);
    assert.equal(received.lookup()(release.releaseId, forged), false);
  });

  it('reads an experiment record longer than one page (1,000 entries) page by page', async () => {
    const audit = t.gateway.services.audit;
    for (let i = 0; i < 1_205; i++)
      audit.append({
        actor: 'ana',
        action: 'leak.check',
        experiment: EXPERIMENT,
        subject: 'leak-check',
        details: { event: 'output-checks', calls: 1, checked: 1, matches: 0 },
      });
    audit.append({ actor: 'stu', action: 'experiment.dissolved', experiment: EXPERIMENT });
    const stored = audit.entries({ experiment: EXPERIMENT, limit: 10_000 });
    assert.ok(stored.length > 1_205);
    const url = `${t.gateway.url}${API_PREFIX}/experiments/${EXPERIMENT}/audit`;
    const auth = { Authorization: `Bearer ${t.gateway.tokens.ana}` };
    const first = (await (await fetch(url, { headers: auth })).json()) as AuditResponse;
    assert.equal(first.entries.length, 1000);
    assert.equal(first.next, first.entries.at(-1)!.seq + 1);
    const bad = await fetch(`${url}?from=-1`, { headers: auth });
    assert.equal(bad.status, 400);
    sent.length = 0;
    const { entries } = await ana.experimentAudit(EXPERIMENT);
    assert.deepEqual(
      entries.map((e) => e.seq),
      stored.map((e) => e.seq),
    );
    assert.equal(entries.at(-1)?.action, 'experiment.dissolved', 'the latest entries are read too');
    assert.equal(sent.length, 2);
    assert.match(sent[1]!.url, /\/audit\?from=\d+$/);
  });

  it('turns an ApiError body into a GatewayError with the message and fix', async () => {
    const decide = ana.decideReview('r1', { decision: 'approve' });
    await assert.rejects(decide, (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.equal(error.status, 403);
      assert.equal(error.code, 'forbidden');
      assert.match(error.message, /needs the role reviewer; ana has analyst/);
      assert.match(error.fix, /sign in as a user with that role/);
      return true;
    });
    const stranger = new GatewayClient(t.gateway.url, 'not-a-token', recordingTransport([]));
    await assert.rejects(stranger.whoami(), (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.deepEqual(
        [error.status, error.code, error.message],
        [401, 'unauthenticated', 'the bearer token is not valid'],
      );
      assert.match(error.fix, /privet token issue/);
      return true;
    });
  });

  it("a refused token's fix starts with the host's way to sign in again", async () => {
    const stranger = new GatewayClient(t.gateway.url, 'not-a-token', {
      ...recordingTransport([]),
      signInAgainFix: 'run "Privet: Sign In" with a current token',
    });
    await assert.rejects(stranger.listViews(), (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.equal(error.status, 401);
      assert.match(
        error.fix,
        /^run "Privet: Sign In" with a current token; if you have no current token, ask a steward .*privet token issue/,
      );
      return true;
    });
  });

  it('a 2xx answer that is not JSON is a protocol error that quotes none of the body', async () => {
    const html: FetchLike = async () =>
      new Response('<html>SECRET-ish page</html>', {
        status: 200,
        headers: { 'content-type': 'text/html' },
      });
    const proxied = new GatewayClient(t.gateway.url, 'x', {
      fetch: html,
      unreachableFix: 'start it',
      httpFix: 'check the proxy',
    });
    await assert.rejects(proxied.listViews(), (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.equal(error.code, 'protocol');
      assert.match(error.message, /answered GET \/views with a body that is not JSON/);
      assert.match(error.fix, /points at a Privet gateway/);
      assert.doesNotMatch(`${error.message} ${error.fix}`, /SECRET|html/);
      return true;
    });
  });

  it('a fetch cut off by a timeout signal says the gateway did not answer in time', async () => {
    const timedOut: FetchLike = (url, init) =>
      fetch(url, { ...init, signal: AbortSignal.timeout(1) }).then(async (r) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return r;
      });
    const neverAnswers: FetchLike = async () => {
      throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    };
    for (const f of [neverAnswers, timedOut]) {
      const client = new GatewayClient(t.gateway.url, t.gateway.tokens.ana!, {
        fetch: f,
        unreachableFix: 'start it',
        httpFix: 'check the proxy',
      });
      await assert.rejects(client.listViews(), (error: unknown) => {
        assert.ok(error instanceof GatewayError, String(error));
        assert.equal(error.code, 'timeout');
        assert.match(error.message, /did not answer in time/);
        return true;
      });
    }
  });

  it("passes on the host's own GatewayError (e.g. its timeout) instead of calling it unreachable", async () => {
    const slow: FetchLike = async () => {
      throw new GatewayError('the gateway did not answer within 60 s', 'retry', 'timeout');
    };
    const client = new GatewayClient(t.gateway.url, 'x', {
      fetch: slow,
      unreachableFix: 'start it',
      httpFix: 'check the proxy',
    });
    await assert.rejects(
      client.health(),
      (error: unknown) => error instanceof GatewayError && error.code === 'timeout',
    );
  });

  it('reports an unreachable gateway with the host fix', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const offline = new GatewayClient(url, 'x', recordingTransport([]));
    await assert.rejects(offline.health(), (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.equal(error.code, 'unreachable');
      assert.equal(error.message, `could not reach the Privet gateway at ${url}`);
      assert.equal(error.fix, 'start the test gateway');
      return true;
    });
  });

  it('falls back to the HTTP status when the error body is not an ApiError', async () => {
    const html: FetchLike = async () => new Response('<h1>bad gateway</h1>', { status: 502 });
    const proxied = new GatewayClient(t.gateway.url, 'x', {
      fetch: html,
      unreachableFix: 'start it',
      httpFix: 'check the proxy',
    });
    await assert.rejects(proxied.health(), (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.deepEqual(
        [error.status, error.code, error.message, error.fix],
        [502, 'http', 'the gateway answered HTTP 502', 'check the proxy'],
      );
      return true;
    });
  });
});

describe('gateway URLs', () => {
  it('normalizes http(s) URLs and refuses others with a fix naming the setting', () => {
    assert.equal(normalizeGatewayUrl(' http://127.0.0.1:8765/ ', 'x'), 'http://127.0.0.1:8765');
    assert.equal(normalizeGatewayUrl('https://gw.example/p//', 'x'), 'https://gw.example/p');
    assert.throws(
      () => normalizeGatewayUrl('not a url', 'privet.gatewayUrl'),
      (e: unknown) =>
        e instanceof GatewayError && e.code === 'bad_url' && /privet\.gatewayUrl/.test(e.fix),
    );
    assert.throws(
      () => normalizeGatewayUrl('file:///etc/passwd', 'privet.gatewayUrl'),
      (e: unknown) =>
        e instanceof GatewayError && e.message === 'the gateway URL must use http or https',
    );
  });

  it('fills route parameters encoded and refuses a missing one', () => {
    assert.equal(
      fillRoutePath('/reviews/:id/decision', { id: 'a/b c' }),
      '/reviews/a%2Fb%20c/decision',
    );
    assert.throws(() => fillRoutePath('/views/:name/arrow', {}), /needs the parameter "name"/);
  });
});
