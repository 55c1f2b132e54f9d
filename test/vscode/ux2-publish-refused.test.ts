/**
 * "Privet: Publish Views" with a plan the budgets would refuse: a non-modal error that says nothing
 * was published, the first problem and its fix, with a "Show Plan" button that opens the whole
 * plan in an untitled editor (not a modal dialog with only OK). With the in-memory VS Code API.
 */
import './fake-vscode/register.js';
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type * as Fake from './fake-vscode/index.js';

const fake = (await import('vscode')) as unknown as typeof Fake;
const { confirmPublish } = await import('../../vscode-ext/src/synthetic/commands.js');

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

/** A plan with one view to rebuild whose charge the publication budget cannot pay. */
const refused = {
  fits: false,
  views: [
    {
      view: 'people_synth',
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
  problems: [
    {
      message: 'the publication budget of people would be overspent (ε 3.5 of 3)',
      fix: 'raise publication.epsilon of people in the policy',
    },
    { message: 'people_synth needs 1 ε more', fix: 'publish it later' },
  ],
};

describe('publishing a plan the budgets refuse', () => {
  beforeEach(() => {
    fake.shownMessageDetails.length = 0;
    fake.openedTextDocuments.length = 0;
    fake.shownTextDocuments.length = 0;
  });

  it('is a non-modal error with the problem, its fix and Show Plan', async () => {
    fake.messageAnswer.pick = () => undefined;
    const client = { publishPlan: () => Promise.resolve(refused) } as never;
    assert.equal(await confirmPublish(client), false);
    const [shown] = fake.shownMessageDetails;
    assert.equal(shown?.severity, 'error');
    assert.equal(
      shown!.message,
      'Privet: publishing would be refused, so nothing was published: the publication budget of people would be overspent (ε 3.5 of 3). Fix: raise publication.epsilon of people in the policy. (1 more problem: Show Plan)',
    );
    assert.deepEqual(shown!.items, ['Show Plan']);
    await settle();
    assert.deepEqual(fake.openedTextDocuments, [], 'dismissed: nothing opens');
  });

  it('Show Plan opens the whole plan in an untitled plain-text editor', async () => {
    fake.messageAnswer.pick = (shown) =>
      shown.items.includes('Show Plan') ? 'Show Plan' : undefined;
    const client = { publishPlan: () => Promise.resolve(refused) } as never;
    await confirmPublish(client);
    await settle();
    assert.equal(fake.openedTextDocuments.length, 1);
    const opened = fake.openedTextDocuments[0]!;
    assert.equal(opened.language, 'plaintext');
    assert.match(opened.content ?? '', /people_synth: rebuild \(policy changed\)/);
    assert.match(opened.content ?? '', /Publication budget of people: ε 2\.5 → 3\.5 of 3/);
    assert.match(opened.content ?? '', /people_synth needs 1 ε more\. Fix: publish it later/);
    assert.equal(fake.shownTextDocuments.length, 1);
  });
});
