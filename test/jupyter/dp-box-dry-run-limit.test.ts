/**
 * The DP query box's waits (jupyter-ext panel/DpQueryBox.tsx): a dry run only prices a query,
 * so the box stops waiting for one after its own, shorter limit (core's DRY_RUN_TIME_LIMIT_MS,
 * not the 180 s of a run on /dp/query) and says what happened and how to fix it; a run keeps
 * waiting as long as the transport lets it. While a request waits, the status line counts the
 * seconds (for the eye: the count is hidden from the live region). Node's mock timers stand in
 * for the clock; the box runs on the fake DOM with a fake client whose requests never answer.
 */
import assert from 'node:assert/strict';
import { describe, mock, test } from 'node:test';
import * as React from 'react';
import { DRY_RUN_TIME_LIMIT_MS } from '@privet/core/client/time-limits';
import { countDryRun } from './dry-run-fixture.js';
import { load } from './render.js';
import {
  button,
  createRoot,
  dispatch,
  document,
  find,
  findAll,
  FakeElement,
  shown,
  type Component,
} from './react-fake-dom.js';

const { DpQueryBox } = await load<{ DpQueryBox: Component }>('panel/DpQueryBox.tsx');

/** One DP request the fake client holds (answered by the test, or never). */
interface Request {
  dryRun: boolean;
  signal: AbortSignal | undefined;
  answer(body: unknown): void;
}

/** Lets the box's awaits run (setImmediate: not one of the mocked timers). */
const settle = () => React.act(() => new Promise<void>((resolve) => setImmediate(resolve)));

/** The box with a fake client, the mocked clock and what the test looks at. */
async function box() {
  const requests: Request[] = [];
  const client = {
    dpQuery: (body: { dryRun: boolean }, options: { signal?: AbortSignal } = {}) =>
      new Promise((resolve, reject) => {
        const { signal } = options;
        // As core's client: an abort rejects with the signal's reason when it is an Error.
        signal?.addEventListener('abort', () =>
          reject(signal.reason instanceof Error ? signal.reason : new Error('stopped')),
        );
        requests.push({ dryRun: body.dryRun, signal, answer: resolve });
      }),
  };
  const container = new FakeElement('div', document);
  const root = createRoot(container);
  await React.act(async () =>
    root.render(
      React.createElement(DpQueryBox, {
        client,
        experiment: 'exp1',
        views: ['people_dp'],
        onRelease: () => Promise.resolve(),
      }),
    ),
  );
  return {
    requests,
    status: () => find(container, (e) => e.getAttribute('class') === 'jp-Privet-status'),
    alerts: () => findAll(container, (e) => e.getAttribute('role') === 'alert').map(shown),
    click: async (label: string) => {
      await React.act(async () => dispatch(button(container, label), 'click'));
      await settle();
    },
    /** Moves the mocked clock on by `ms` and lets React render what follows. */
    wait: async (ms: number) => {
      await React.act(async () => mock.timers.tick(ms));
      await settle();
    },
    unmount: () => React.act(async () => root.unmount()),
  };
}

describe('DP query box: how long it waits', () => {
  test('a dry run counts the seconds, then stops at its own limit and says why', async () => {
    mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'] });
    try {
      const b = await box();
      await b.click('Dry run');
      assert.equal(shown(b.status()), 'Pricing…');
      await b.wait(3_000);
      assert.equal(shown(b.status()), 'Pricing… 3 s');
      const seconds = find(b.status(), (e) => e.tagName === 'SPAN');
      assert.equal(seconds.getAttribute('aria-hidden'), 'true', 'not read out every second');

      await b.wait(DRY_RUN_TIME_LIMIT_MS - 3_000);
      assert.equal(b.requests[0]!.signal?.aborted, true, 'the dry run was stopped');
      assert.equal(shown(b.status()), '', 'not "Stopped": the user did not stop it');
      assert.deepEqual(b.alerts(), [
        `the Privet gateway did not price the query within ${DRY_RUN_TIME_LIMIT_MS / 1000} s ` +
          'Fix: check that the gateway is running (npm start) and look in its log for a slow ' +
          'or stuck request, then dry run again; a dry run spends nothing',
      ]);
      await b.unmount();
    } finally {
      mock.timers.reset();
    }
  });

  test('a run is not stopped at the dry-run limit', async () => {
    mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'] });
    try {
      const b = await box();
      await b.click('Dry run');
      b.requests[0]!.answer(countDryRun('3', true));
      await settle();
      await b.click('Run');
      assert.equal(b.requests[1]!.dryRun, false);
      await b.wait(DRY_RUN_TIME_LIMIT_MS + 5_000);
      assert.equal(b.requests[1]!.signal?.aborted, false);
      assert.equal(
        shown(b.status()),
        `Running (spends budget)… ${DRY_RUN_TIME_LIMIT_MS / 1000 + 5} s`,
      );
      await b.unmount();
    } finally {
      mock.timers.reset();
    }
  });
});
