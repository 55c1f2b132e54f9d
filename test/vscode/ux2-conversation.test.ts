/**
 * "Privet: Review Comments": the quick pick has a placeholder saying what to do; with no comments
 * "No comments yet" is a separator (not a line that closes the pick when chosen); the
 * reply box is titled "Privet: Reply to Review <id>" (Title Case, as the command). With the
 * in-memory VS Code API and a stub gateway client.
 */
import './fake-vscode/register.js';
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type * as Fake from './fake-vscode/index.js';

const fake = (await import('vscode')) as unknown as typeof Fake;
const { showConversation, REPLY_LABEL } =
  await import('../../vscode-ext/src/review/conversation-picker.js');

/** A review request as the gateway answers it, with `comments`. */
function review(comments: { author: string; at: string; text: string }[]): unknown {
  return { id: 'rev-7', state: 'changes_requested', comments };
}

describe('review comments quick pick', () => {
  beforeEach(() => {
    fake.shownQuickPicks.length = 0;
    fake.shownQuickPickOptions.length = 0;
    fake.shownInputBoxes.length = 0;
  });

  it('with no comments: says so in a separator, and the only line to pick is the reply', async () => {
    const client = { getReview: () => Promise.resolve(review([])) } as never;
    fake.quickPickAnswer.pick = () => undefined;
    await showConversation(client, 'rev-7', (what, error) =>
      assert.fail(`${what}: ${String(error)}`),
    );
    const items = fake.shownQuickPicks[0] as { label: string; kind?: number }[];
    assert.deepEqual(
      items.map((i) => [i.label, i.kind ?? fake.QuickPickItemKind.Default]),
      [
        ['No comments yet', fake.QuickPickItemKind.Separator],
        [REPLY_LABEL, fake.QuickPickItemKind.Default],
      ],
      'no pickable "No comments yet" line',
    );
    const options = fake.shownQuickPickOptions[0] as { placeHolder?: string; title?: string };
    assert.match(
      options.placeHolder ?? '',
      /^Pick "Reply to the reviewer…" to write the first comment/,
    );
    assert.equal(
      options.title,
      'Privet: Review rev-7: changes requested: change the code, run it again and request a new review',
    );
  });

  it('with comments: a placeholder, and the reply box is titled "Privet: Reply to Review …"', async () => {
    const sent: unknown[] = [];
    const client = {
      getReview: () =>
        Promise.resolve(
          review([{ author: 'rev', at: '2024-01-01T00:00:00Z', text: 'merge cities' }]),
        ),
      commentReview: (_id: string, body: unknown) => {
        sent.push(body);
        return Promise.resolve(review([]));
      },
    } as never;
    let picks = 0;
    fake.quickPickAnswer.pick = (items) =>
      picks++ === 0 ? items.find((i) => (i as { label: string }).label === REPLY_LABEL) : undefined;
    fake.inputBoxAnswer.pick = () => 'merged them';
    await showConversation(client, 'rev-7', (what, error) =>
      assert.fail(`${what}: ${String(error)}`),
    );
    const options = fake.shownQuickPickOptions[0] as { placeHolder?: string };
    assert.match(options.placeHolder ?? '', /Reply to the reviewer/);
    const box = fake.shownInputBoxes[0] as { title?: string };
    assert.equal(box.title, 'Privet: Reply to Review rev-7');
    assert.deepEqual(sent, [{ text: 'merged them' }]);
    assert.equal(fake.shownQuickPicks.length, 2, 'the conversation is shown again after the reply');
    fake.inputBoxAnswer.pick = () => undefined;
  });
});
