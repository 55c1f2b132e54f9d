/**
 * The "Budget & Record" view while signed in with no experiment selected: it offers a "Select
 * Experiment" button (as it offers "Sign In" while signed out) instead of only saying where to
 * look, and the provider runs "Privet: Select Experiment" when the button is clicked.
 */
import './fake-vscode/register.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as Fake from './fake-vscode/index.js';
import { loadWebview } from './webview-dom.js';

const fake = (await import('vscode')) as unknown as typeof Fake;
const { BudgetViewProvider } = await import('../../vscode-ext/src/sidebar/budget-view.js');

/** A webview view that hands the provider's message listener to the test. */
function webviewView(): { view: unknown; send: (message: unknown) => void } {
  let listener: ((message: unknown) => void) | undefined;
  const webview = {
    options: {},
    html: '',
    cspSource: 'vscode-resource:',
    asWebviewUri: (uri: unknown) => uri,
    onDidReceiveMessage: (l: (message: unknown) => void) => {
      listener = l;
      return { dispose: () => undefined };
    },
    postMessage: () => Promise.resolve(true),
  };
  return { view: { webview }, send: (message) => listener?.(message) };
}

describe('budget view without an experiment', () => {
  it('shows a Select Experiment button that posts selectExperiment', () => {
    const page = loadWebview('budget');
    page.send({ type: 'noExperiment', user: 'ana' });
    assert.match(page.root.textContent, /Signed in as ana\. No experiment selected/);
    page.button('Select Experiment').click();
    assert.deepEqual(page.posted.at(-1), { type: 'selectExperiment' });
  });

  it('runs "Privet: Select Experiment" when the webview asks for it', () => {
    const session = { signedIn: undefined, onDidChange: new fake.EventEmitter<void>().event };
    const provider = new BudgetViewProvider(new fake.Uri('file:///ext') as never, session as never);
    const { view, send } = webviewView();
    provider.resolveWebviewView(view as never);
    fake.executedCommands.length = 0;
    send({ type: 'selectExperiment' });
    assert.deepEqual(
      fake.executedCommands.map((c) => c.command),
      ['privet.selectExperiment'],
    );
  });
});
