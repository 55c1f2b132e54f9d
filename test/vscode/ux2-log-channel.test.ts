/**
 * Where an error's fix says "the Privet output channel", the error is there: the budget view logs
 * an unexpected failure (message and stack, never data) to the channel it was given and offers
 * "Show Log"; a SQL cell's unexpected failure is told to the runner's onUnexpectedError, which the
 * controller logs. With the in-memory VS Code API and a stub engine.
 */
import './fake-vscode/register.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as Fake from './fake-vscode/index.js';
import { loadWebview } from './webview-dom.js';

const fake = (await import('vscode')) as unknown as typeof Fake;
const { BudgetViewProvider } = await import('../../vscode-ext/src/sidebar/budget-view.js');
const { SqlCellRunner } = await import('../../vscode-ext/src/notebook/run-sql.js');

/** A log that keeps its lines and counts "Show Log". */
function memoryLog(): { lines: string[]; shown: number; error(m: string): void; show(): void } {
  const log = {
    lines: [] as string[],
    shown: 0,
    error: (m: string) => void log.lines.push(m),
    show: () => void log.shown++,
  };
  return log;
}

/** A webview view recording what the provider posts and handing it the page's messages. */
function webviewView(): { view: unknown; posted: unknown[]; send: (message: unknown) => void } {
  let listener: ((message: unknown) => void) | undefined;
  const posted: unknown[] = [];
  const webview = {
    options: {},
    html: '',
    cspSource: 'vscode-resource:',
    asWebviewUri: (uri: unknown) => uri,
    onDidReceiveMessage: (l: (message: unknown) => void) => {
      listener = l;
      return { dispose: () => undefined };
    },
    postMessage: (m: unknown) => Promise.resolve(posted.push(m) > 0),
  };
  return { view: { webview }, posted, send: (message) => listener?.(message) };
}

describe('errors whose fix names the Privet output channel', () => {
  it('the budget view logs an unexpected failure and offers Show Log', async () => {
    const client = {
      listExperiments: () => Promise.reject(new TypeError('budget.charges is not iterable')),
      budget: () => Promise.resolve({}),
    };
    const session = {
      signedIn: { client, user: 'ana', roles: [], experiment: 'e1' },
      onDidChange: new fake.EventEmitter<void>().event,
    };
    const log = memoryLog();
    const provider = new BudgetViewProvider(
      new fake.Uri('file:///ext') as never,
      session as never,
      log,
    );
    const { view, posted, send } = webviewView();
    provider.resolveWebviewView(view as never);
    await provider.update();
    const message = posted.at(-1) as { type: string; message: string; fix: string };
    assert.equal(message.type, 'error');
    assert.equal(message.message, 'budget.charges is not iterable');
    assert.match(message.fix, /"Privet" output channel/);
    assert.equal(log.lines.length, 1);
    assert.match(
      log.lines[0]!,
      /^Privet: reading the budget failed: budget.charges is not iterable\n/,
    );
    assert.match(log.lines[0]!, /TypeError/, 'the stack, for a bug report');
    send({ type: 'showLog' });
    assert.equal(log.shown, 1);

    const page = loadWebview('budget');
    page.send(message);
    page.button('Show Log').click();
    assert.deepEqual(page.posted.at(-1), { type: 'showLog' });
  });

  it('a SQL cell run tells onUnexpectedError of an unexpected failure, with the error output', async () => {
    const engine = {
      enterScope: () => Promise.reject(new RangeError('offset is out of bounds')),
    };
    const runner = new SqlCellRunner({} as never, engine as never, 'e1');
    const heard: unknown[] = [];
    runner.onUnexpectedError = (error) => heard.push(error);
    const result = await runner.run('SELECT 1');
    assert.equal(result.kind, 'error');
    assert.equal(heard.length, 1);
    assert.ok(heard[0] instanceof RangeError);
    const output = result.outputs[0] as { evalue?: string };
    assert.match(output.evalue ?? '', /^offset is out of bounds\. Fix: .*"Privet" output channel/);
  });
});
