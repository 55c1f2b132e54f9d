/**
 * Notifications whose fix is a Privet command offer it as a button, and quick picks are titled
 * as the command that opened them with the question as the placeholder (VS Code's conventions):
 * "New SQL Cell for View" with no experiment selected offers "Select Experiment" (clicking it
 * runs the command), and its view pick reads "Privet: New SQL Cell for View"; "Show Fidelity
 * Report"'s pick reads "Privet: Show Fidelity Report". With the in-memory VS Code API.
 */
import './fake-vscode/register.js';
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type * as Fake from './fake-vscode/index.js';

const fake = (await import('vscode')) as unknown as typeof Fake;
const { pickView } = await import('../../vscode-ext/src/notebook/query-view.js');
const { pickSyntheticView } = await import('../../vscode-ext/src/synthetic/commands.js');

/** A stub client: one running experiment e1 requesting `people` (masked) and `people_syn`. */
const client = {
  listExperiments: () =>
    Promise.resolve({
      experiments: [
        { id: 'e1', title: 'Study', state: 'running', views: ['people', 'people_syn'] },
      ],
    }),
  listViews: () =>
    Promise.resolve({
      views: [
        { name: 'people', tier: 'masked', columns: [], published: true, rows: 3 },
        { name: 'people_syn', tier: 'synthetic', columns: [], published: true, rows: 3 },
      ],
    }),
};

/** A signed-in state in experiment `experiment` (undefined: none selected). */
function signedIn(experiment: string | undefined): never {
  return { client, user: 'ana', roles: ['analyst'], experiment } as never;
}

/** Lets the message's answer and the command it runs settle. */
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('notifications offer the command that fixes them', () => {
  beforeEach(() => {
    fake.shownMessageDetails.length = 0;
    fake.executedCommands.length = 0;
    fake.shownQuickPickOptions.length = 0;
    fake.messageAnswer.pick = () => undefined;
    fake.quickPickAnswer.pick = () => undefined;
  });

  it('"New SQL Cell for View" with no experiment offers Select Experiment, which runs it', async () => {
    fake.messageAnswer.pick = (shown) => shown.items[0];
    assert.equal(await pickView(signedIn(undefined), 'sql'), undefined);
    await settle();
    const [shown] = fake.shownMessageDetails;
    assert.match(shown!.message, /none is selected\. Fix: run "Privet: Select Experiment"/);
    assert.deepEqual(shown!.items, ['Select Experiment']);
    assert.deepEqual(
      fake.executedCommands.map((c) => c.command),
      ['privet.selectExperiment'],
    );
  });

  it('titles the view pick as the command, with the question as its placeholder', async () => {
    await pickView(signedIn('e1'), 'sql');
    await pickView(signedIn('e1'), 'python');
    const [sql, python] = fake.shownQuickPickOptions as { title?: string; placeHolder?: string }[];
    assert.equal(sql?.title, 'Privet: New SQL Cell for View');
    assert.match(sql?.placeHolder ?? '', /^View of e1 to query/);
    assert.equal(python?.title, 'Privet: New Python Cell for View');
    assert.match(python?.placeHolder ?? '', /^View of e1 whose rows/);
  });

  it('titles the fidelity pick as "Privet: Show Fidelity Report", with a placeholder', async () => {
    await pickSyntheticView(client as never, undefined);
    const [options] = fake.shownQuickPickOptions as { title?: string; placeHolder?: string }[];
    assert.equal(options?.title, 'Privet: Show Fidelity Report');
    assert.ok(options?.placeHolder, 'a placeholder says what to pick');
  });
});
