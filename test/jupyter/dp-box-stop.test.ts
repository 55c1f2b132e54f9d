/**
 * Stop in the DP query box (jupyter-ext panel/DpQueryBox.tsx): while a dry run or a run waits for
 * the gateway, Stop (and Esc in the SQL box) aborts the request; the status line says what the
 * stop cost (a dry run nothing; a run is refunded unless the gateway had answered), with no alert;
 * a stopped run reloads the budgets; a new sign-in or a closed panel stops the request too. The
 * box is rendered with react-dom's client renderer on the fake DOM, with a fake gateway client
 * whose requests the test answers.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as React from 'react';
import { countDryRun } from './dry-run-fixture.js';
import { load } from './render.js';
import {
  button,
  createRoot,
  dispatch,
  dispatchKey,
  document,
  find,
  findAll,
  FakeElement,
  shown,
  type Component,
} from './react-fake-dom.js';

const { DpQueryBox } = await load<{ DpQueryBox: Component }>('panel/DpQueryBox.tsx');

/** One POST /dp/query the fake client holds until the test answers it. */
interface Request {
  dryRun: boolean;
  /** The dry run's plan hash a run carries (the gateway refuses a plan changed since). */
  planHash: string | undefined;
  signal: AbortSignal | undefined;
  answer(body: unknown): void;
}

/** A gateway client whose DP requests wait for the test; an abort rejects as core's client does. */
function fakeClient() {
  const requests: Request[] = [];
  const client = {
    dpQuery: (
      body: { dryRun: boolean; planHash?: string },
      options: { signal?: AbortSignal } = {},
    ) =>
      new Promise((resolve, reject) => {
        const { signal } = options;
        signal?.addEventListener('abort', () => reject(new Error('the request was stopped')));
        requests.push({ dryRun: body.dryRun, planHash: body.planHash, signal, answer: resolve });
      }),
  };
  return { client, requests };
}

/** An affordable dry run of COUNT(*) costing ε 0.5. */
const DRY_RUN = countDryRun('3', true);

/** Lets the box's awaits run. */
const settle = () => React.act(() => new Promise<void>((resolve) => setTimeout(resolve, 1)));

/** The DP box rendered with a fake client, and what the test looks at. */
async function box() {
  const container = new FakeElement('div', document);
  const root = createRoot(container);
  const { client, requests } = fakeClient();
  const stoppedRuns: number[] = [];
  const released: unknown[] = [];
  const props = (c: object) => ({
    client: c,
    experiment: 'exp1',
    views: ['people_dp'],
    onRelease: (release: unknown) => {
      released.push(release);
      return Promise.resolve();
    },
    onRunStopped: () => stoppedRuns.push(1),
  });
  await React.act(async () => root.render(React.createElement(DpQueryBox, props(client))));
  const status = () =>
    shown(find(container, (e) => e.getAttribute('class') === 'jp-Privet-status'));
  const stops = () => findAll(container, (e) => e.tagName === 'BUTTON' && shown(e) === 'Stop');
  return {
    container,
    requests,
    stoppedRuns,
    released,
    status,
    stops,
    sqlBox: () => find(container, (e) => e.tagName === 'TEXTAREA'),
    alerts: () => findAll(container, (e) => e.getAttribute('role') === 'alert'),
    click: async (label: string) => {
      await React.act(async () => dispatch(button(container, label), 'click'));
      await settle();
    },
    rerender: (c: object) =>
      React.act(async () => root.render(React.createElement(DpQueryBox, props(c)))),
    unmount: () => React.act(async () => root.unmount()),
  };
}

describe('DP query box: Stop', () => {
  test('Stop ends a dry run out: status says it spent nothing, no alert, no Stop after', async () => {
    const b = await box();
    assert.equal(b.stops().length, 0, 'no Stop while nothing is out');
    await b.click('Dry run');
    assert.equal(b.requests.length, 1);
    assert.equal(b.status(), 'Pricing…');
    assert.match(button(b.container, 'Stop').getAttribute('title') ?? '', /Esc/);
    await b.click('Stop');
    assert.equal(b.requests[0]!.signal?.aborted, true, 'the request was aborted');
    assert.equal(b.status(), 'Stopped: a dry run spends nothing.');
    assert.equal(b.alerts().length, 0);
    assert.equal(b.stops().length, 0);
    assert.equal(b.stoppedRuns.length, 0, 'a dry run changes no budget');
    await b.unmount();
  });

  test('a stopped run says a run not yet answered is refunded, and reloads the budgets', async () => {
    const b = await box();
    await b.click('Dry run');
    b.requests[0]!.answer(DRY_RUN);
    await settle();
    await b.click('Run');
    assert.equal(b.requests[1]?.dryRun, false, 'Run sent the priced query');
    assert.equal(b.requests[0]?.planHash, undefined, 'a dry run carries no plan hash');
    assert.equal(b.requests[1]?.planHash, DRY_RUN.planHash, '…held to the plan it priced');
    assert.equal(b.status(), 'Running (spends budget)…');
    await b.click('Stop');
    assert.equal(b.requests[1]!.signal?.aborted, true);
    assert.match(
      b.status(),
      /^Stopped: the gateway refunds a run it had not answered yet; the budget shows/,
    );
    assert.deepEqual(b.stoppedRuns, [1], 'the budgets reload');
    assert.equal(b.released.length, 0);
    assert.equal(b.alerts().length, 0);
    // The priced dry run stays: Run can send it again.
    assert.equal(button(b.container, 'Run').getAttribute('disabled'), null);
    await b.unmount();
  });

  test('Esc in the SQL box stops the request out (and is left alone otherwise)', async () => {
    const b = await box();
    const idle = await React.act(async () => dispatchKey(b.sqlBox(), 'Escape'));
    assert.equal(idle.defaultPrevented, false, 'with nothing out Esc is left alone');
    await b.click('Dry run');
    const key = await React.act(async () => dispatchKey(b.sqlBox(), 'Escape'));
    await settle();
    assert.equal(key.defaultPrevented, true);
    assert.equal(b.requests[0]!.signal?.aborted, true);
    assert.equal(b.status(), 'Stopped: a dry run spends nothing.');
    await b.unmount();
  });

  test('a request out is stopped at a new sign-in (another client) and when the box closes', async () => {
    const b = await box();
    await b.click('Dry run');
    await b.rerender(fakeClient().client);
    assert.equal(b.requests[0]!.signal?.aborted, true, 'stopped at the new sign-in');
    await b.click('Dry run');
    // The second request went to the first client's list only if the box kept the old client.
    assert.equal(b.requests.length, 1, 'the new sign-in’s client is used');
    const c = await box();
    await c.click('Dry run');
    await c.unmount();
    assert.equal(c.requests[0]!.signal?.aborted, true, 'stopped when the box closed');
    await b.unmount();
  });
});
