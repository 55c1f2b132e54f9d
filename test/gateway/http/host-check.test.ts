/**
 * DNS rebinding: a web page whose name was made to resolve to 127.0.0.1 reaches the gateway with
 * `Host: <its own name>`. The gateway answers only requests addressed to a name it answers to
 * (127.0.0.1, localhost, [::1], the address it is bound to, --allowed-hosts); any other Host, or
 * none, gets a 421 ApiError before routing, authentication or CORS.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiError, HealthResponse } from '@privet/core';
import { startGateway, buildApp, type RunningGateway } from '../../../gateway/src/http/server.js';
import { loadPolicyFile } from '../../../gateway/src/policy-file.js';
import { openServices } from '../../../gateway/src/ledger/open.js';
import { allowedHostname, answersTo, hostRule } from '../../../gateway/src/http/host-check.js';
import { writePeople } from './fixture.js';
import { privet } from '../run-cli.js';

let dir: string;
let policyPath: string;
let gateway: RunningGateway;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'privet-host-'));
  policyPath = join(dir, 'policy.yaml');
  copyFileSync(
    fileURLToPath(new URL('../../fixtures/http/policy.yaml', import.meta.url)),
    policyPath,
  );
  writePeople(dir);
  gateway = await startGateway({
    policyPath,
    stateDir: join(dir, 'state'),
    port: 0,
    allowedHosts: ['privet.test', 'Proxy.Example.org'],
    corsOrigins: ['http://rebind.attacker.example'],
    issueTokensFor: ['ana'],
  });
});
after(async () => {
  await gateway.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** Sends a request to the running gateway with exactly this Host header. */
function send(
  path: string,
  host: string,
  init: { method?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: gateway.port,
        path,
        method: init.method ?? 'GET',
        headers: { ...init.headers, host },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/**
 * Sends an HTTP/1.0 request over a bare socket with this Host line (none when undefined: what
 * node:http would fill in); resolves to the raw response.
 */
function sendRaw(path: string, host: string | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const hostLine = host === undefined ? '' : `Host: ${host}\r\n`;
    const socket = connect(gateway.port, '127.0.0.1', () =>
      socket.write(`GET ${path} HTTP/1.0\r\n${hostLine}Connection: close\r\n\r\n`),
    );
    let raw = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (raw += chunk));
    socket.on('end', () => resolve(raw));
    socket.on('error', reject);
  });
}

/** Checks a 421 with the ApiError body: what happened and how to fix it, no policy data. */
function assertMisdirected(a: Answer, host?: string): void {
  assert.equal(a.status, 421, a.body);
  const { error } = JSON.parse(a.body) as ApiError;
  assert.equal(error.code, 'bad_request');
  assert.match(error.message, /Host/);
  assert.match(error.fix, /127\.0\.0\.1.*localhost.*--allowed-hosts/);
  assert.ok(!a.body.includes('http-test'), 'the policy name must not leave');
  if (host) assert.ok(!a.body.includes(host), 'the refusal does not repeat the Host');
}

describe('a gateway bound to 127.0.0.1', () => {
  test('a foreign Host gets 421 on /health, /exports/public-key, unknown and authenticated routes', async () => {
    const host = `rebind.attacker.example:${gateway.port}`;
    assertMisdirected(await send('/api/v1/health', host), 'rebind.attacker');
    assertMisdirected(await send('/api/v1/exports/public-key', host), 'rebind.attacker');
    assertMisdirected(await send('/api/v1/no-such-route', host));
    // A token does not help: the page is refused before authentication.
    assertMisdirected(
      await send('/api/v1/whoami', host, {
        headers: { Authorization: `Bearer ${gateway.tokens.ana}` },
      }),
    );
  });

  test('a CORS preflight with a foreign Host is refused before CORS answers it', async () => {
    const a = await send('/api/v1/health', 'rebind.attacker.example', {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://rebind.attacker.example',
        'Access-Control-Request-Method': 'GET',
      },
    });
    assertMisdirected(a);
    assert.equal(a.headers['access-control-allow-origin'], undefined);
  });

  test('127.0.0.1, localhost and [::1] with any port (or none) get 200', async () => {
    for (const host of [
      `127.0.0.1:${gateway.port}`,
      `localhost:${gateway.port}`,
      `[::1]:${gateway.port}`,
      '127.0.0.1',
      'localhost',
      '[::1]',
      'LocalHost:8080',
    ]) {
      const a = await send('/api/v1/health', host);
      assert.equal(a.status, 200, `${host}: ${a.body}`);
      assert.equal((JSON.parse(a.body) as HealthResponse).policy.name, 'http-test');
    }
  });

  test('names close to the accepted ones are refused', async () => {
    for (const host of [
      'localhost.',
      'localhost.attacker.example',
      '127.0.0.1.nip.io',
      'evil.privet.test',
      '[::2]',
      '10.0.0.5',
      'localhost:8080/x',
      'localhost:abc',
    ]) {
      const a = await send('/api/v1/health', host);
      assert.equal(a.status, 421, `Host ${JSON.stringify(host)}`);
      assertMisdirected(a);
    }
  });

  test('a configured allowed host gets 200, with any port, in any letter case', async () => {
    for (const host of ['privet.test', 'privet.test:443', 'PRIVET.test', 'proxy.example.org'])
      assert.equal((await send('/api/v1/health', host)).status, 200, host);
  });

  test('a request without a Host header (HTTP/1.0), or with an empty one, gets 421', async () => {
    const raw = await sendRaw('/api/v1/health', undefined);
    assert.match(raw, /^HTTP\/1\.[01] 421 /);
    assert.match(raw, /no Host header/);
    assert.ok(!raw.includes('http-test'));
    const empty = await sendRaw('/api/v1/health', '');
    assert.match(empty, /^HTTP\/1\.[01] 421 /);
    assert.ok(!empty.includes('http-test'));
    // The same bare socket with a loopback Host is answered.
    assert.match(await sendRaw('/api/v1/health', '127.0.0.1'), /^HTTP\/1\.[01] 200 /);
  });

  test("the clients' ways of calling still work: fetch to 127.0.0.1 and localhost, inject", async () => {
    const direct = await fetch(`${gateway.url}/api/v1/health`);
    assert.equal(direct.status, 200);
    const named = await fetch(`http://localhost:${gateway.port}/api/v1/health`).catch(
      () => undefined,
    );
    // localhost may resolve to ::1 first, where nothing listens; when it answers, it is 200.
    if (named) assert.equal(named.status, 200);
    const injected = await gateway.app.inject({ method: 'GET', url: '/api/v1/health' });
    assert.equal(injected.statusCode, 200);
  });
});

describe('a gateway bound beyond loopback (checked with inject, nothing listens)', () => {
  /** Builds an app as if bound to `host`; returns what a GET /health with each Host gets. */
  async function statuses(
    host: string,
    allowedHosts: string[],
    hosts: readonly string[],
  ): Promise<number[]> {
    const loaded = loadPolicyFile(policyPath);
    const stateDir = join(dir, `state-${host.replace(/[^a-z0-9]/gi, '_')}`);
    mkdirSync(stateDir, { recursive: true });
    const services = openServices({
      dbPath: join(stateDir, 'privet.db'),
      policy: loaded.policy,
      stateDir,
    });
    const { app } = await buildApp(
      loaded,
      stateDir,
      { policyPath, stateDir, host, allowedHosts },
      services,
    );
    try {
      const out: number[] = [];
      for (const h of hosts)
        out.push(
          (await app.inject({ method: 'GET', url: '/api/v1/health', headers: { host: h } }))
            .statusCode,
        );
      return out;
    } finally {
      await app.close();
      services.close();
    }
  }

  test('bound to one address: that address, loopback names and allowed hosts only', async () => {
    assert.deepEqual(
      await statuses(
        '10.0.0.5',
        ['privet.example.org'],
        ['10.0.0.5:8765', 'localhost:8765', 'privet.example.org', '10.0.0.6', 'rebind.example'],
      ),
      [200, 200, 200, 421, 421],
    );
    assert.deepEqual(
      await statuses('fd00::5', [], ['[fd00::5]:8765', '[FD00:0::5]', '[fd00::6]', 'a.example']),
      [200, 200, 421, 421],
    );
  });

  test('bound to every interface: any IP address, loopback and allowed names; no other name', async () => {
    assert.deepEqual(
      await statuses(
        '0.0.0.0',
        ['privet.example.org'],
        [
          '192.168.1.20:8765',
          '[fe80::1]',
          'localhost',
          'privet.example.org:443',
          'rebind.example',
          '192-168-1-20.nip.io',
        ],
      ),
      [200, 200, 200, 200, 421, 421],
    );
  });
});

describe('--allowed-hosts entries', () => {
  test('names and addresses are accepted as a URL holds them', () => {
    assert.equal(allowedHostname('Privet.Example.org'), 'privet.example.org');
    assert.equal(allowedHostname('::1'), '[::1]');
    assert.equal(allowedHostname('[fd00::5]'), '[fd00::5]');
    assert.equal(allowedHostname(' 10.0.0.5 '), '10.0.0.5');
    const rule = hostRule('127.0.0.1', ['gw.internal']);
    assert.ok(answersTo(rule, 'gw.internal:8765'));
    assert.ok(!answersTo(rule, undefined));
  });

  test('an entry with a scheme, port or path is refused with the fix', () => {
    for (const entry of ['http://gw.internal', 'gw.internal:8765', 'gw.internal/api', '', 'a b'])
      assert.throws(
        () => allowedHostname(entry),
        /is not a host name or IP address\. Fix: give names as they appear in the gateway URL, without scheme, port or path/,
      );
  });

  test('`privet serve` refuses a malformed PRIVET_ALLOWED_HOSTS entry before it listens', () => {
    const run = privet(
      'serve',
      '--policy',
      policyPath,
      '--state',
      join(dir, 'state-cli'),
      '--port',
      '0',
      '--allowed-hosts',
      'privet.test,gw.internal:8765',
    );
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stderr, /privet: the allowed host "gw\.internal:8765" is not a host name/);
    assert.ok(!run.stdout.includes('listening'));
  });
});
