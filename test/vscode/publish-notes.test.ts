/**
 * "Privet: Publish Views" in VS Code: the publish job's notes (per source, the header columns the
 * policy leaves out, never loaded) are appended to the "published" message, against a real
 * gateway; without notes the message is as before. With the in-memory VS Code API.
 */
import './fake-vscode/register.js';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestGateway, type TestGateway } from '../gateway/http/fixture.js';

const { publishWithProgress } = await import('../../vscode-ext/src/synthetic/commands.js');
const { publishNotesText } = await import('../../vscode-ext/src/synthetic/publish.js');
const { GatewayClient } = await import('../../vscode-ext/src/client/gateway.js');

/** A value of the undeclared column: it must never reach the message. */
const SECRET = 'SECRET-VSCODE-NOTE-77';

const PEOPLE_NOTE =
  'source `people`: 1 column in people.csv is not in the policy and is never loaded: `notes` — ' +
  'declare it under sources.people.columns to use it';

/** The fixture's published views as the message lists them. */
const PUBLISHED = /^published 2 views: people_masked \(\d+ rows\), people_later \(\d+ rows\)/;

describe('VS Code: publish notes', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway();
  });
  after(() => gw.stop());

  it('the job’s notes follow the published views in the message; none, none shown', async () => {
    const client = new GatewayClient(gw.gateway.url, gw.gateway.tokens['stu']!);
    const clean = await publishWithProgress(client);
    assert.match(clean.summary, PUBLISHED);
    assert.match(clean.summary, /\(\d+ rows\)$/, 'without notes the message is as before');
    assert.deepEqual(clean.notes, []);

    const csv = join(gw.dir, 'people.csv');
    const [header, ...rows] = readFileSync(csv, 'utf8').trimEnd().split('\n');
    writeFileSync(csv, [`${header},notes`, ...rows.map((r) => `${r},${SECRET}`)].join('\n'));
    const noted = await publishWithProgress(client);
    assert.match(noted.summary, PUBLISHED);
    assert.ok(noted.summary.endsWith(`rows). Note: ${PEOPLE_NOTE}.`), noted.summary);
    assert.deepEqual(noted.notes, [PEOPLE_NOTE]);
    assert.ok(!noted.summary.includes(SECRET), 'no value of the undeclared column');
  });

  it('several notes are one sentence each', () => {
    assert.equal(publishNotesText(undefined), '');
    assert.equal(publishNotesText([]), '');
    assert.equal(publishNotesText(['a', 'b']), ' Note: a. Note: b.');
  });
});
