import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiError, AuditResponse, LeakCheckResponse } from '@privet/core';
import { appendFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { DualTokenBucket } from '../../../gateway/src/leak/rate-limit.js';
import { LeakService } from '../../../gateway/src/leak/service.js';
import { loadPolicyFile } from '../../../gateway/src/policy-file.js';
import { leakKeys, rawValueKeys } from '../../../gateway/src/leak/normalize.js';
import { LeakIndex } from '../../../gateway/src/leak/leak-index.js';
import { holdsRawValue } from '../../../gateway/src/leak/outputs.js';
import { candidateWords, type NotebookOutput } from '@privet/core/review/index';
import { KeyFilter } from '../../../gateway/src/leak/key-filter.js';
import { EXPERIMENT, PEOPLE, startReviewGateway, type ReviewGateway } from '../review/fixture.js';

let g: ReviewGateway;
before(async () => {
  g = await startReviewGateway();
});
after(async () => g.stop());

type User = 'ana' | 'bob' | 'rev' | 'ria';
const check = (candidates: unknown, user: User = 'ana') =>
  g.call('POST', '/leak-check', user, { experiment: EXPERIMENT, candidates });
const checkOutputs = (outputs: unknown, user: User = 'ana') =>
  g.call('POST', '/leak-check/outputs', user, { experiment: EXPERIMENT, outputs });

describe('raw-value leak check over HTTP', () => {
  test('finds a raw email (any case, spacing, zero-width) and a reformatted phone, not random ones', async () => {
    const raw = PEOPLE[7]!.email;
    const disguised = ` ${raw.toUpperCase().replace('@', '\u200b@')}  `;
    const phone = PEOPLE[3]!.phone.replace(/[-\s]/g, '.'); // +1.415.555.1003
    const res = await check([disguised, phone, 'nobody-4k2j9x@example.org', 'Lyon']);
    assert.equal(res.status, 200);
    const text = await res.text();
    const body = JSON.parse(text) as LeakCheckResponse;
    assert.deepEqual(body, { leak: true, matches: 2, checked: 4 });
    for (const p of PEOPLE) assert.ok(!text.includes(p.email) && !text.includes(p.phone));
    const clean = (await (
      await check(['random-7fj3@example.net', '+1 212 555 0000'])
    ).json()) as LeakCheckResponse;
    assert.deepEqual(clean, { leak: false, matches: 0, checked: 2 });
  });
  test('only analysts in the experiment; at most 1,000 candidates', async () => {
    // bob is an analyst outside the experiment: told what an unknown id is told.
    assert.equal((await check(['x@example.org'], 'bob')).status, 404);
    assert.equal((await check(['x@example.org'], 'rev')).status, 403);
    const many = await check(Array.from({ length: 1001 }, (_, i) => `c${i}@example.org`));
    assert.equal(many.status, 400);
    assert.match(((await many.json()) as ApiError).error.fix, /split/);
  });
  test('outputs about to be shown: one verdict each, a stream read after its earlier writes', async () => {
    const name = PEOPLE[11]!.name;
    const [first, last] = name.split(' ');
    const table = `<table><tr><th>who</th><th>n</th></tr><tr><td>${name}</td><td>12</td></tr></table>`;
    const res = await checkOutputs([
      { output: { output_type: 'display_data', data: { 'text/html': table }, metadata: {} } },
      { output: { output_type: 'stream', name: 'stdout', text: 'mean income 41200\n' } },
      { output: { output_type: 'stream', name: 'stdout', text: `${last}\n` }, before: `${first} ` },
      { output: { output_type: 'stream', name: 'stdout', text: `${last}\n` } },
    ]);
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.deepEqual(JSON.parse(text), { rawValue: [true, false, true, false] });
    assert.ok(!text.includes(first!) && !text.includes(last!));
    const { entries } = (await (await g.call('GET', '/audit', 'stu')).json()) as AuditResponse;
    const audited = entries.filter((e) => e.action === 'leak.check').at(-1);
    assert.deepEqual(audited?.details, { event: 'output-check', checked: 4, matches: 2 });
    assert.ok(!JSON.stringify(entries).includes(last!));
  });
  test('clean output checks are audited as one entry a minute (and at close), not one per call', async () => {
    let now = Date.parse('2026-12-03T10:00:00Z');
    const audit = g.gateway.services.audit;
    const leaks = new LeakService({
      audit,
      policy: loadPolicyFile(join(g.dir, 'policy.yaml')).policy,
      policyDir: g.dir,
      stateDir: g.stateDir,
      now: () => now,
    });
    const ana = { user: 'ana', roles: ['analyst' as const] };
    const clean = { output_type: 'stream' as const, name: 'stdout' as const, text: 'n 41\n' };
    const counts = () =>
      audit.entries({ limit: 10_000 }).filter((e) => e.details?.event === 'output-checks');
    const before = counts().length;
    for (let i = 0; i < 3; i++)
      await leaks.checkOutputs(ana, {
        experiment: EXPERIMENT,
        outputs: [{ output: clean }, { output: clean }],
      });
    assert.equal(counts().length, before, 'nothing audited within the minute');
    now += 60_000;
    await leaks.checkOutputs(ana, { experiment: EXPERIMENT, outputs: [{ output: clean }] });
    const entry = counts().at(-1);
    assert.equal(counts().length, before + 1);
    assert.deepEqual(entry?.details, {
      event: 'output-checks',
      calls: 4,
      checked: 7,
      matches: 0,
      since: '2026-12-03T10:00:00.000Z',
    });
    assert.equal(entry?.experiment, EXPERIMENT);
    await leaks.checkOutputs(ana, { experiment: EXPERIMENT, outputs: [{ output: clean }] });
    leaks.flushCleanChecks();
    assert.equal(counts().length, before + 2, 'a pending count is audited when flushed');
  });
  test('output checks: members who are analysts only, at most 100 outputs, well-formed', async () => {
    const ok = { output: { output_type: 'stream', name: 'stdout', text: 'x\n' } };
    assert.equal((await checkOutputs([ok], 'bob')).status, 404);
    assert.equal((await checkOutputs([ok], 'rev')).status, 403);
    const many = await checkOutputs(Array.from({ length: 101 }, () => ok));
    assert.equal(many.status, 400);
    assert.match(((await many.json()) as ApiError).error.fix, /split/);
    const bad = await checkOutputs([ok, { output: { output_type: 'nope' } }]);
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as ApiError).error.message, /outputs\[1\]\.output/);
    const stray = await checkOutputs([
      { output: { output_type: 'error', ename: 'E', evalue: 'v', traceback: [] }, before: 'x' },
    ]);
    assert.equal(stray.status, 400);
    assert.match(((await stray.json()) as ApiError).error.message, /only with a stream/);
    assert.equal((await checkOutputs([])).status, 400);
  });
  test('every call is audited with counts only', async () => {
    const { entries } = (await (await g.call('GET', '/audit', 'stu')).json()) as AuditResponse;
    const calls = entries.filter(
      (e) => e.action === 'leak.check' && e.details?.event === 'leak-check',
    );
    assert.equal(calls.length, 2);
    assert.deepEqual(calls[0]?.details, { event: 'leak-check', checked: 4, matches: 2 });
    const text = JSON.stringify(entries);
    assert.ok(!text.includes(PEOPLE[7]!.email) && !text.includes('nobody-4k2j9x'));
  });
  test('a changed raw file is re-indexed before the next check answers', async () => {
    const added = 'new-hire-9x7q@example.org';
    assert.deepEqual(((await (await check([added])).json()) as LeakCheckResponse).matches, 0);
    const csv = join(g.dir, 'people.csv');
    appendFileSync(csv, `9999,${added},+1 415 555 9999,Dag Lindqvist99,Lyon,1000\n`);
    // Some file systems keep whole-second times: move the modification time visibly forward.
    const later = new Date(Date.now() + 5000);
    utimesSync(csv, later, later);
    assert.deepEqual(((await (await check([added])).json()) as LeakCheckResponse).matches, 1);
  });
  test('a user over the limit gets 429 rate_limited with Retry-After', async () => {
    // ria has made no calls yet: 10,000 lookups per window pass, the next one is refused.
    const batch = Array.from({ length: 1000 }, (_, i) => `c${i}@example.org`);
    for (let i = 0; i < 10; i++) assert.equal((await check(batch, 'ria')).status, 200);
    const refused = await check(['a@example.org'], 'ria');
    assert.equal(refused.status, 429);
    assert.equal(((await refused.json()) as ApiError).error.code, 'rate_limited');
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    // Another user is not affected.
    assert.equal((await check(['a@example.org'], 'ana')).status, 200);
    // Exports, review requests and the hosts' output checks tell whether a value is raw too:
    // they share the allowance.
    const shown = await checkOutputs(
      [{ output: { output_type: 'stream', name: 'stdout', text: 'x\n' } }],
      'ria',
    );
    assert.equal(shown.status, 429);
    const nb = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] };
    const exported = await g.call('POST', '/exports', 'ria', {
      experiment: EXPERIMENT,
      name: 'x.ipynb',
      notebook: { ...nb, cells: [{ cell_type: 'markdown', source: 'hi', metadata: {} }] },
    });
    assert.equal(exported.status, 429);
    assert.ok(Number(exported.headers.get('retry-after')) >= 1);
    assert.match(((await exported.json()) as ApiError).error.message, /raw-value lookups/);
    const reviewed = await g.call('POST', '/reviews', 'ria', {
      experiment: EXPERIMENT,
      output: { output_type: 'stream', name: 'stdout', text: 'n 3\n' },
      justification: 'x',
    });
    assert.equal(reviewed.status, 429);
    // More lookups than one window allows is refused outright, with how to split.
    const huge = await g.call('POST', '/exports', 'ana', {
      experiment: EXPERIMENT,
      name: 'huge.ipynb',
      notebook: {
        ...nb,
        cells: Array.from({ length: 5001 }, () => ({
          cell_type: 'code',
          source: '',
          metadata: {},
          outputs: [{ output_type: 'stream', name: 'stdout', text: 'ok\n' }],
        })),
      },
    });
    assert.equal(huge.status, 400);
    assert.match(((await huge.json()) as ApiError).error.fix, /split the notebook/);
  });
});

describe('leak-check building blocks', () => {
  test('the token bucket limits calls and candidates and refills over the window', () => {
    let now = 0;
    const bucket = new DualTokenBucket({ calls: 3, candidates: 100, windowMs: 60_000 }, () => now);
    assert.equal(bucket.take('u', 90), 0);
    const wait = bucket.take('u', 20);
    assert.ok(wait >= 6 && wait <= 7, `waits for 10 candidates to refill (${wait} s)`);
    assert.equal(bucket.take('u', 5), 0);
    assert.equal(bucket.take('u', 1), 0);
    assert.ok(bucket.take('u', 1) > 0, 'a fourth call within the window is refused');
    now = 60_000;
    assert.equal(bucket.take('u', 100), 0);
  });
  test('the key filter never misses an added key and passes few others to the HMAC', () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `=person${i} surname${i % 977}`);
    const filter = KeyFilter.of(keys);
    assert.ok(
      keys.every((k) => filter.mightHold(k)),
      'no false misses',
    );
    const others = Array.from({ length: 20_000 }, (_, i) => `=other${i} word${i % 13}`);
    const falseHits = others.filter((k) => filter.mightHold(k)).length;
    assert.ok(falseHits < 0.04 * others.length, `false hits ${falseHits} of ${others.length}`);
    // Seeds are drawn per build: another filter of the same keys lets other misses through.
    const again = KeyFilter.of(keys);
    const differ = others.some((k) => filter.mightHold(k) !== again.mightHold(k));
    assert.ok(differ, 'a second build hashes under other seeds');
    assert.equal(KeyFilter.of([]).mightHold('=anything'), false);
  });
  test('normalization: case, spacing and zero-width fold; short numbers are never keys', () => {
    assert.deepEqual(leakKeys(' A.B@Example.ORG\u200b '), leakKeys('a.b@example.org'));
    const local = leakKeys('(415) 555-1003');
    assert.ok(
      local.every((k) => leakKeys('+1 415-555-1003').includes(k)),
      'a phone without its country code',
    );
    assert.deepEqual(leakKeys('5012'), []);
    assert.deepEqual(leakKeys('abc'), []);
  });
});

describe('raw values the output shows in another form', () => {
  const key = new Uint8Array(32).fill(7);
  /** An index of one raw value, as the gateway builds it (index-build.ts). */
  const indexOf = (raw: string) =>
    LeakIndex.fromKeys(key, rawValueKeys(raw), 'stamp', candidateWords(raw).split(' ').length);
  const stdout = (text: string): NotebookOutput => ({
    output_type: 'stream',
    name: 'stdout',
    text,
  });

  test('punctuation inside a value, more than four words, folded letters, escapes, numbers', () => {
    const cases: [string, string][] = [
      ["Siobhan O'Brien", "Siobhan O'Brien"],
      ["Siobhan O'Brien", 'contact Siobhan O&#39;Brien'],
      ["o'brien@example.com", "mail o'brien@example.com now"],
      ['Lindqvist, Ada', 'Lindqvist, Ada'],
      ['Ada L. Lindqvist', 'patient Ada L. Lindqvist'],
      ['Maria de los Angeles Garcia', 'name: Maria de los Angeles Garcia'],
      ['Zoë Lindqvist', 'Zoe Lindqvist'],
      ['Zoë Lindqvist', 'Z\u043e\u00eb Lindqvist'], // a Cyrillic "о"
      ['Ada Weiß', 'ADA WEISS'],
      ['Zoë Lindqvist', '{"name": "Zo\\u00eb Lindqvist"}'],
      ['4155550100', '0    4155550100.0'],
      ['0012345678', 'id 12345678'],
    ];
    for (const [raw, text] of cases)
      assert.ok(holdsRawValue(indexOf(raw), stdout(text)), `${raw} in ${JSON.stringify(text)}`);
    // In attributes a user sees (alt text, titles, labels).
    const html: NotebookOutput = {
      output_type: 'display_data',
      data: {
        'text/html':
          '<img src="x.png" alt="Ada Lindqvist"><span title="Ada Lindqvist">row 3</span>',
      },
      metadata: {},
    };
    assert.ok(holdsRawValue(indexOf('Ada Lindqvist'), html));
    // Still nothing from other values.
    for (const [raw, text] of [
      ["Siobhan O'Brien", 'Siobhan Brien'],
      ['Maria de los Angeles Garcia', 'Maria Garcia'],
      ['4155550100', 'mean 4155550100.5'],
    ] as const)
      assert.ok(!holdsRawValue(indexOf(raw), stdout(text)), `${raw} not in ${text}`);
  });
});
