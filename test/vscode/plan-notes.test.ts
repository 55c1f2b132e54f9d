/**
 * "Privet: Publish Views" in VS Code shows the plan's notes (per source, the columns the policy
 * leaves out, never loaded) in the text the steward confirms — after the budgets, before the
 * problems, one sentence each — from a real gateway's plan, and in the whole plan Show Plan opens.
 * Without notes the text is as before. With the in-memory VS Code API.
 */
import './fake-vscode/register.js';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PublishPlan } from '@privet/core/protocol';
import { startTestGateway, type TestGateway } from '../gateway/http/fixture.js';
import type * as Fake from './fake-vscode/index.js';

const fake = (await import('vscode')) as unknown as typeof Fake;
const { confirmPublish } = await import('../../vscode-ext/src/synthetic/commands.js');
const { planSummary } = await import('../../vscode-ext/src/synthetic/publish.js');
const { GatewayClient } = await import('../../vscode-ext/src/client/gateway.js');

/** A value of the undeclared column: it must never reach the text. */
const SECRET = 'SECRET-VSCODE-PLAN-NOTE-41';

const PEOPLE_NOTE =
  'source `people`: 1 column in people.csv is not in the policy and is never loaded: `notes` — ' +
  'declare it under sources.people.columns to use it';

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

/** A plan whose budget refuses the rebuild of `people_synth`, with `notes` when given. */
function refusedWith(notes?: string[]): PublishPlan {
  return {
    fits: false,
    views: [
      {
        view: 'people_synth',
        tier: 'synthetic',
        source: 'people',
        action: 'rebuild',
        reason: 'policy changed',
        charge: { epsilon: '1', delta: '1e-6' },
      },
    ],
    budgets: [
      {
        source: 'people',
        fits: false,
        epsilon: { used: '2.5', after: '3.5', total: '3' },
        delta: { used: '0', after: '1e-6', total: '1e-5' },
      },
    ],
    problems: [{ message: 'people_synth needs 1 ε more', fix: 'publish it later' }],
    ...(notes ? { notes } : {}),
  };
}

describe('VS Code: publish plan notes', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway();
  });
  after(() => gw.stop());

  it('the confirmation text of a real plan ends with its notes; none, none shown', async () => {
    const client = new GatewayClient(gw.gateway.url, gw.gateway.tokens['stu']!);
    const clean = planSummary(await client.publishPlan());
    assert.doesNotMatch(clean, /Note:/);

    const csv = join(gw.dir, 'people.csv');
    const [header, ...rows] = readFileSync(csv, 'utf8').trimEnd().split('\n');
    writeFileSync(csv, [`${header},notes`, ...rows.map((r) => `${r},${SECRET}`)].join('\n'));
    const noted = planSummary(await client.publishPlan());
    assert.equal(noted, `${clean}\n\nNote: ${PEOPLE_NOTE}.`);
    assert.ok(!noted.includes(SECRET), 'no value of the undeclared column');
  });

  it('notes follow the budgets and come before the problems', () => {
    const lines = planSummary(refusedWith(['a', 'b'])).split('\n');
    const budget = lines.findIndex((l) => l.startsWith('Publication budget of people'));
    const problem = lines.indexOf('people_synth needs 1 ε more. Fix: publish it later');
    assert.deepEqual(lines.slice(budget + 1, problem), ['', 'Note: a.', 'Note: b.', '']);
    assert.equal(planSummary(refusedWith([])), planSummary(refusedWith()));
  });

  it('Show Plan of a refused plan includes its notes', async () => {
    fake.openedTextDocuments.length = 0;
    fake.messageAnswer.pick = (shown) =>
      shown.items.includes('Show Plan') ? 'Show Plan' : undefined;
    const client = { publishPlan: () => Promise.resolve(refusedWith([PEOPLE_NOTE])) } as never;
    assert.equal(await confirmPublish(client), false);
    await settle();
    assert.equal(fake.openedTextDocuments.length, 1);
    assert.ok(
      (fake.openedTextDocuments[0]!.content ?? '').includes(`Note: ${PEOPLE_NOTE}.`),
      fake.openedTextDocuments[0]!.content,
    );
  });
});
