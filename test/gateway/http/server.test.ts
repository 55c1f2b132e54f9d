import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { tableFromIPC } from 'apache-arrow';
import {
  ROUTES,
  type ApiError,
  type ListViewsResponse,
  type ViewSummary,
  type WhoAmIResponse,
} from '@privet/core';
import { EXPERIMENT, PEOPLE, startTestGateway, type TestGateway } from './fixture.js';

let t: TestGateway;
let tokens: Record<'ana' | 'rev' | 'stu', string>;

before(async () => {
  t = await startTestGateway(['http://127.0.0.1:9999']);
  tokens = t.gateway.tokens as typeof tokens;
});
after(async () => t.stop());

async function errorOf(response: Response): Promise<ApiError['error']> {
  assert.match(response.headers.get('content-type') ?? '', /application\/json/);
  const body = (await response.json()) as ApiError;
  assert.ok(
    body.error.message.length > 0 && body.error.fix.length > 0,
    'every error says what and how to fix',
  );
  return body.error;
}

// Order matters: the role matrix's POST /publish as steward publishes every view.
describe('views', () => {
  test('listing shows every view with tier, publication state and column operators', async () => {
    const body = (await (
      await t.call('GET', '/api/v1/views', { token: tokens.ana })
    ).json()) as ListViewsResponse;
    const byName = Object.fromEntries(body.views.map((v) => [v.name, v]));
    assert.deepEqual(Object.keys(byName), ['people_masked', 'people_later', 'people_dp']);
    assert.equal(byName.people_masked!.published, true);
    assert.equal(byName.people_masked!.rows, PEOPLE.length);
    assert.equal(byName.people_later!.published, false);
    assert.equal(byName.people_dp!.tier, 'dp');
    const ops = Object.fromEntries(byName.people_masked!.columns.map((c) => [c.name, c.operator]));
    assert.match(ops.person_id!, /^token/);
    assert.match(ops.email!, /mask_email/);
  });
  test('a view summary carries its manifest, and never a key', async () => {
    const response = await t.call('GET', '/api/v1/views/people_masked', { token: tokens.ana });
    const text = await response.text();
    const view = JSON.parse(text) as ViewSummary;
    assert.equal(view.manifest?.view, 'people_masked');
    assert.match(view.manifest!.policyHash, /^[0-9a-f]{64}$/);
    assert.doesNotMatch(text, /key/i);
  });
  test('Arrow IPC stream holds the masked rows and no raw email', async () => {
    const response = await t.call(
      'GET',
      `/api/v1/views/people_masked/arrow?experiment=${EXPERIMENT}`,
      {
        token: tokens.ana,
      },
    );
    assert.equal(response.headers.get('content-type'), 'application/vnd.apache.arrow.stream');
    const table = tableFromIPC(new Uint8Array(await response.arrayBuffer()));
    assert.equal(table.numRows, PEOPLE.length);
    const emails = new Set(PEOPLE.map((p) => p.email));
    for (const value of table.getChild('email')!.toArray() as string[])
      assert.ok(!emails.has(value));
    for (const value of table.getChild('person_id')!.toArray() as string[])
      assert.match(value, /^[0-9a-f]{32,}$/);
  });
  test('Parquet download is a Parquet file', async () => {
    const response = await t.call(
      'GET',
      `/api/v1/views/people_masked/parquet?experiment=${EXPERIMENT}`,
      {
        token: tokens.stu,
      },
    );
    const bytes = new Uint8Array(await response.arrayBuffer());
    assert.equal(new TextDecoder().decode(bytes.slice(0, 4)), 'PAR1');
    assert.equal(new TextDecoder().decode(bytes.slice(-4)), 'PAR1');
  });
  test('unknown view → 404 not_found', async () => {
    for (const path of [
      '/api/v1/views/nope',
      '/api/v1/views/nope/arrow',
      '/api/v1/views/nope/parquet',
    ]) {
      const response = await t.call('GET', path, { token: tokens.ana });
      assert.equal(response.status, 404);
      assert.equal((await errorOf(response)).code, 'not_found');
    }
  });
  test('a raw source name is not a view', async () => {
    const response = await t.call('GET', '/api/v1/views/people/arrow', { token: tokens.stu });
    assert.equal(response.status, 404);
  });
  test('malformed view names → 400', async () => {
    for (const name of ['..%2F..%2Fetc%2Fpasswd', 'People', '%00', 'a'.repeat(100), 'x;drop']) {
      const response = await t.call('GET', `/api/v1/views/${name}/arrow?experiment=${EXPERIMENT}`, {
        token: tokens.ana,
      });
      assert.equal(response.status, 400, name);
      assert.equal((await errorOf(response)).code, 'bad_request');
    }
  });
  test('dp views have no rows to download → 409 wrong_tier', async () => {
    const response = await t.call('GET', `/api/v1/views/people_dp/arrow?experiment=${EXPERIMENT}`, {
      token: tokens.ana,
    });
    assert.equal(response.status, 409);
    assert.equal((await errorOf(response)).code, 'wrong_tier');
  });
  test('an unpublished view → 409 not_published', async () => {
    const response = await t.call(
      'GET',
      `/api/v1/views/people_later/parquet?experiment=${EXPERIMENT}`,
      {
        token: tokens.ana,
      },
    );
    assert.equal(response.status, 409);
    assert.equal((await errorOf(response)).code, 'not_published');
  });
});

describe('role matrix: every endpoint × role', () => {
  const matrix: { method: string; path: string; allowed: ('ana' | 'rev' | 'stu')[] }[] = [
    { method: 'GET', path: '/api/v1/whoami', allowed: ['ana', 'rev', 'stu'] },
    { method: 'GET', path: '/api/v1/views', allowed: ['ana', 'rev', 'stu'] },
    { method: 'GET', path: '/api/v1/views/people_masked', allowed: ['ana', 'rev', 'stu'] },
    {
      method: 'GET',
      path: `/api/v1/views/people_masked/arrow?experiment=${EXPERIMENT}`,
      allowed: ['ana', 'stu'],
    },
    {
      method: 'GET',
      path: `/api/v1/views/people_masked/parquet?experiment=${EXPERIMENT}`,
      allowed: ['ana', 'stu'],
    },
    { method: 'POST', path: '/api/v1/publish', allowed: ['stu'] },
    { method: 'GET', path: '/api/v1/experiments', allowed: ['ana', 'rev', 'stu'] },
    { method: 'GET', path: `/api/v1/experiments/${EXPERIMENT}`, allowed: ['ana', 'rev', 'stu'] },
    {
      method: 'GET',
      path: `/api/v1/experiments/${EXPERIMENT}/budget`,
      allowed: ['ana', 'rev', 'stu'],
    },
    {
      method: 'GET',
      path: `/api/v1/experiments/${EXPERIMENT}/audit`,
      allowed: ['ana', 'rev', 'stu'],
    },
    { method: 'GET', path: '/api/v1/audit', allowed: ['stu'] },
    { method: 'GET', path: '/api/v1/audit/verify', allowed: ['stu'] },
  ];
  for (const { method, path, allowed } of matrix) {
    for (const user of ['ana', 'rev', 'stu'] as const) {
      const ok = allowed.includes(user);
      test(`${method} ${path} as ${user} → ${ok ? 'allowed' : '403'}`, async () => {
        const response = await t.call(method, path, { token: tokens[user] });
        if (ok) {
          assert.equal(response.status, 200, await response.clone().text());
          await response.arrayBuffer();
        } else {
          assert.equal(response.status, 403);
          assert.equal((await errorOf(response)).code, 'forbidden');
        }
      });
    }
    test(`${method} ${path} without a token → 401`, async () => {
      const response = await t.call(method, path);
      assert.equal(response.status, 401);
      assert.equal((await errorOf(response)).code, 'unauthenticated');
    });
  }
  test('GET /health is public and names the policy', async () => {
    const response = await t.call('GET', '/api/v1/health');
    assert.equal(response.status, 200);
    const body = (await response.json()) as {
      status: string;
      policy: { name: string; hash: string };
    };
    assert.equal(body.status, 'ok');
    assert.equal(body.policy.name, 'http-test');
    assert.match(body.policy.hash, /^[0-9a-f]{64}$/);
  });
});

describe('bad tokens', () => {
  const cases: [string, Record<string, string>][] = [
    ['a wrong token', { Authorization: 'Bearer pvt_notarealtokennotarealtokennotarealtoken' }],
    ['a token without the prefix', { Authorization: 'Bearer abcdef' }],
    ['a malformed header', { Authorization: 'Basic dXNlcjpwYXNz' }],
    ['an empty bearer', { Authorization: 'Bearer ' }],
    ['a huge token', { Authorization: `Bearer pvt_${'a'.repeat(5000)}` }],
    ['a token with a newline trick', { Authorization: 'Bearer pvt_x%0aadmin' }],
  ];
  for (const [name, headers] of cases) {
    test(`${name} → 401`, async () => {
      const response = await t.call('GET', '/api/v1/views', { headers });
      assert.equal(response.status, 401);
      const error = await errorOf(response);
      assert.equal(error.code, 'unauthenticated');
    });
  }
  test('a body is not read before the token check: malformed or wrong-role bodies get 401/403', async () => {
    // Every route that takes a body, with a body no parser accepts: the token check answers first.
    const routes: { method: string; path: string; roles: unknown }[] = Object.values(ROUTES);
    const bodyRoutes = routes.filter((r) => r.method === 'POST' && r.roles !== 'public');
    assert.ok(bodyRoutes.length >= 8, `${bodyRoutes.length} POST routes`);
    for (const r of bodyRoutes) {
      const path = `/api/v1${r.path.replaceAll(/:[a-z]+/gi, 'x')}`;
      const headers = { 'Content-Type': 'application/json' };
      const none = await t.call('POST', path, { headers, body: '{not json' });
      assert.equal(none.status, 401, `${r.path} without a token`);
    }
    // An analyst's malformed body on a steward-only route: the role check answers, not the parser.
    const wrongRole = await t.call('POST', '/api/v1/publish', {
      token: tokens.ana,
      headers: { 'Content-Type': 'application/json' },
      body: '{not json',
    });
    assert.equal(wrongRole.status, 403);
  });
  test('a token of another gateway state is refused after rotation', async () => {
    const old = tokens.ana;
    const { issueTokens } = await import('../../../gateway/src/http/tokens.js');
    const fresh = issueTokens(`${t.dir}/state`, ['ana']).tokens.ana!;
    t.gateway.reloadTokens();
    assert.equal((await t.call('GET', '/api/v1/whoami', { token: old })).status, 401);
    const who = (await (
      await t.call('GET', '/api/v1/whoami', { token: fresh })
    ).json()) as WhoAmIResponse;
    // The policy's review settings come along, so the hosts hold what the export would.
    assert.deepEqual(who, {
      user: 'ana',
      name: 'Ana Analyst',
      roles: ['analyst'],
      exportRules: { small_cell_threshold: 10, images: 'review' },
    });
    tokens.ana = fresh;
  });
  test('an expired token is refused with when it expired and how to get a new one', async () => {
    const { issueTokens } = await import('../../../gateway/src/http/tokens.js');
    const hour = 3600 * 1000;
    const issued = issueTokens(`${t.dir}/state`, ['rev'], {
      ttlMs: hour,
      now: Date.now() - 2 * hour,
    });
    t.gateway.reloadTokens();
    const response = await t.call('GET', '/api/v1/whoami', { token: issued.tokens.rev });
    assert.equal(response.status, 401);
    const error = await errorOf(response);
    assert.equal(error.message, `the bearer token of rev expired at ${issued.expiresAt}`);
    assert.match(error.fix, /privet token issue/);
    const renewed = issueTokens(`${t.dir}/state`, ['rev']);
    t.gateway.reloadTokens();
    assert.equal(
      (await t.call('GET', '/api/v1/whoami', { token: renewed.tokens.rev })).status,
      200,
    );
    tokens.rev = renewed.tokens.rev!;
  });
});

describe('malformed requests never crash the gateway', () => {
  test('bad JSON body → 400', async () => {
    const response = await t.call('POST', '/api/v1/publish', {
      token: tokens.stu,
      body: '{"a":',
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(response.status, 400);
    assert.equal((await errorOf(response)).code, 'bad_request');
  });
  test('oversized body → 413', async () => {
    const response = await t.call('POST', '/api/v1/publish', {
      token: tokens.stu,
      body: JSON.stringify({ x: 'a'.repeat(2 << 20) }),
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(response.status, 413);
    const error = await errorOf(response);
    assert.equal(error.code, 'payload_too_large');
    assert.match(error.fix, /at most 1 MiB/);
    // A route with a larger limit says its own (it said 1 MiB on every route).
    const review = await t.call('POST', '/api/v1/reviews', {
      token: tokens.ana,
      body: JSON.stringify({ x: 'a'.repeat(17 << 20) }),
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(review.status, 413);
    assert.match((await errorOf(review)).fix, /at most 16 MiB/);
  });
  test('unsupported content type → 4xx JSON', async () => {
    const response = await t.call('POST', '/api/v1/publish', {
      token: tokens.stu,
      body: '<x/>',
      headers: { 'Content-Type': 'application/xml' },
    });
    assert.ok(response.status >= 400 && response.status < 500);
    await errorOf(response);
  });
  test('unknown routes and methods → 404 JSON', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/nothing'],
      ['DELETE', '/api/v1/views'],
      ['GET', '/'],
      ['PUT', '/api/v1/publish'],
    ] as const) {
      const response = await t.call(method, path, { token: tokens.stu });
      assert.equal(response.status, 404, `${method} ${path}`);
      await errorOf(response);
    }
  });
  test('the gateway is still up', async () => {
    assert.equal((await t.call('GET', '/api/v1/health')).status, 200);
  });
});

describe('CORS', () => {
  test('only the configured origin is allowed', async () => {
    const allowed = await t.call('GET', '/api/v1/health', {
      headers: { Origin: 'http://127.0.0.1:9999' },
    });
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'http://127.0.0.1:9999');
    const other = await t.call('GET', '/api/v1/health', {
      headers: { Origin: 'http://evil.example' },
    });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });
});

describe('token store', () => {
  test('durations parse; hashes written by older versions (no expiry) still match', async () => {
    const { hashToken, matchToken, parseDuration } =
      await import('../../../gateway/src/http/tokens.js');
    assert.equal(parseDuration('90m'), 90 * 60 * 1000);
    assert.equal(parseDuration('7d'), 7 * 86400 * 1000);
    assert.throws(() => parseDuration('soon'), /Fix: use a number with s, m, h or d/);
    assert.throws(() => parseDuration('0h'), /not a duration/);
    const token = 'pvt_legacy-token-legacy-token';
    assert.deepEqual(matchToken({ old: hashToken(token) }, token), { user: 'old' });
    assert.equal(matchToken({ old: hashToken(token) }, 'pvt_other'), undefined);
  });
});
