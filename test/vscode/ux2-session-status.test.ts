/**
 * The window's Privet status bar item says who is signed in and to which experiment (a click runs
 * "Privet: Select Experiment"), or "Privet: Sign In" when signed out, and follows the session.
 * Pickers that read a list from the gateway open their quick pick at once, busy, while they wait
 * (busy-pick.test.ts tests them further). With the in-memory VS Code API.
 */
import './fake-vscode/register.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as Fake from './fake-vscode/index.js';

const fake = (await import('vscode')) as unknown as typeof Fake;
const { SessionStatusItem } = await import('../../vscode-ext/src/sidebar/session-status.js');
const { pickExperiment } = await import('../../vscode-ext/src/sidebar/select-experiment.js');
const { pickSyntheticView } = await import('../../vscode-ext/src/synthetic/commands.js');

describe('session status bar item', () => {
  it('shows Sign In when signed out, then user · experiment, and follows changes', () => {
    const changed = new fake.EventEmitter<void>();
    const session = {
      signedIn: undefined as unknown,
      onDidChange: changed.event,
      gatewayUrl: () => 'http://127.0.0.1:8765',
    };
    const status = new SessionStatusItem(session as never);
    const item = fake.createdStatusBarItems.at(-1)!;
    assert.equal(item.shown, true);
    assert.equal(item.text, '$(account) Privet: Sign In');
    assert.equal(item.command, 'privet.signIn');
    assert.match(
      String(item.tooltip),
      /not signed in to the gateway at http:\/\/127\.0\.0\.1:8765/,
    );

    const client = { baseUrl: 'http://gw' };
    session.signedIn = { client, user: 'ana', roles: [], experiment: undefined };
    changed.fire();
    assert.equal(item.text, '$(beaker) Privet: ana · no experiment');
    assert.equal(item.command, 'privet.selectExperiment');

    session.signedIn = { client, user: 'ana', roles: [], experiment: 'exp-1' };
    changed.fire();
    assert.equal(item.text, '$(beaker) Privet: ana · exp-1');
    assert.match(String(item.tooltip), /cells run in experiment exp-1\. Click to select another/);
    status.dispose();
    assert.equal(item.disposed, true);
  });
});

describe('pickers reading from the gateway', () => {
  it('open a busy quick pick while the list loads, not status bar progress', async () => {
    fake.shownProgress.length = 0;
    fake.createdQuickPicks.length = 0;
    fake.quickPickAnswer.pick = () => undefined;
    await pickExperiment({ listExperiments: () => Promise.resolve({ experiments: [] }) } as never);
    await pickSyntheticView(
      { listViews: () => Promise.resolve({ views: [] }) } as never,
      undefined,
    );
    assert.deepEqual(fake.shownProgress, []);
    assert.deepEqual(
      fake.createdQuickPicks.map((p) => [p.title, p.busyHistory.slice(0, 2)]),
      [
        ['Privet: Select Experiment', [false, true]],
        ['Privet: Show Fidelity Report', [false, true]],
      ],
      'each opened busy',
    );
  });
});
