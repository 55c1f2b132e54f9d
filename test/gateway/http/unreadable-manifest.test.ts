/**
 * One view's manifest.json truncated on disk (audit finding F2) breaks only that view: GET /views
 * still lists every view, marking that one unreadable (not published) with the file and the fix,
 * and GET /views/:name of it is a 409 saying the same; the other views are served as before.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiError, ListViewsResponse } from '@privet/core';
import { viewFiles } from '../../../gateway/src/publish/index.js';
import { publishFixtureViews, startTestGateway, type TestGateway } from './fixture.js';

let t: TestGateway;
before(async () => {
  t = await startTestGateway();
  await publishFixtureViews(t.dir, ['people_later']);
  const path = viewFiles(join(t.dir, 'state'), 'people_later').manifest;
  writeFileSync(path, readFileSync(path, 'utf8').slice(0, 200)); // a truncated write
});
after(() => t.stop());

test('GET /views lists every view and marks the unreadable one', async () => {
  const r = await t.call('GET', '/api/v1/views', { token: t.gateway.tokens.ana! });
  assert.equal(r.status, 200, await r.clone().text());
  const { views } = (await r.json()) as ListViewsResponse;
  const byName = new Map(views.map((v) => [v.name, v]));
  assert.deepEqual([...byName.keys()], ['people_masked', 'people_later', 'people_dp']);
  assert.equal(byName.get('people_masked')?.published, true);
  const later = byName.get('people_later') as
    { published: boolean; unreadable?: { message: string; fix: string } } | undefined;
  assert.equal(later?.published, false);
  assert.match(later?.unreadable?.message ?? '', /views\/people_later\/manifest\.json/);
  assert.match(later?.unreadable?.message ?? '', /not valid JSON/);
  assert.match(later?.unreadable?.fix ?? '', /privet publish .*--view people_later/);
  assert.doesNotMatch(JSON.stringify(later), new RegExp(t.dir), 'no server paths');
});

test('GET /views/:name of the unreadable view is a 409 naming the file and the fix', async () => {
  const r = await t.call('GET', '/api/v1/views/people_later', { token: t.gateway.tokens.ana! });
  assert.equal(r.status, 409, await r.clone().text());
  const { error } = (await r.json()) as ApiError;
  assert.equal(error.code, 'conflict');
  assert.match(
    error.message,
    /manifest of view "people_later" \(views\/people_later\/manifest\.json/,
  );
  assert.match(error.fix, /publish/);
  const ok = await t.call('GET', '/api/v1/views/people_masked', { token: t.gateway.tokens.ana! });
  assert.equal(ok.status, 200);
});
