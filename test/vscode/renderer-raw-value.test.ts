/**
 * The extension host's answers to the gate renderer (RendererApprovals) add the gateway's
 * raw-value check when signed in with an experiment: the renderer asks about every item before
 * drawing it, and the host says "yes" only when the gateway clears it (a stream part after the
 * earlier parts of its stream), so a raw identifier value is never drawn, not even before the
 * document gate swaps the output. No answer in time is a "no", followed by a notice to ask again
 * once the verdict clears; signed out nothing is asked. The document gate and the answers share
 * one cache, so the gateway is asked once per content. Run with an in-memory VS Code API.
 */
import './fake-vscode/register.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NotebookOutput } from '@privet/core';
import { GatewayError } from '@privet/core/client/index';
import type { OutputLeakItem } from '@privet/core/protocol';
import type * as Fake from './fake-vscode/index.js';
import { setUpGate } from './gate-harness.js';
import { noApprovals } from './no-approvals.js';

// Loaded after register.js has made 'vscode' resolve to the fake (static imports link first).
const fake = (await import('vscode')) as unknown as typeof Fake;
const { isRecheckNotice } = await import('../../vscode-ext/src/shared/gate-messages.js');

const STDOUT = 'application/vnd.code.notebook.stdout';
/** A value of a raw identifier column, as the fake gateway's index knows it. */
const RAW = 'CUST-884213';

type Answer = 'index' | 'down' | 'slow';

/** The text a check item shows: a stream after its earlier parts, or the output's JSON. */
function checkedText(item: OutputLeakItem): string {
  const o = item.output as NotebookOutput & { text?: string };
  return o.output_type === 'stream' ? `${item.before ?? ''}${o.text ?? ''}` : JSON.stringify(o);
}

/** A gateway answering raw-value checks from its index; down (503) or slow (2 s) on demand. */
function fakeGateway() {
  const calls: OutputLeakItem[] = [];
  const state = { answer: 'index' as Answer, slowAnswered: 0 };
  const client = {
    baseUrl: 'http://gateway.test',
    async checkOutputLeaks({ outputs }: { experiment: string; outputs: OutputLeakItem[] }) {
      calls.push(...outputs);
      if (state.answer === 'down')
        throw new GatewayError('the gateway is restarting', 'wait a moment', 'unavailable', 503);
      if (state.answer === 'slow') {
        await new Promise((r) => setTimeout(r, 2000));
        state.slowAnswered += 1;
      }
      return { rawValue: outputs.map((o) => checkedText(o).includes(RAW)) };
    },
    ...noApprovals,
  };
  return { client, calls, state };
}

/** The host's answers over one notebook (and the document gate with `withGate`). */
function setUp(options: { signedIn?: boolean; withGate?: boolean } = {}) {
  const gateway = fakeGateway();
  const t = setUpGate({
    name: 'renderer',
    signedIn: options.signedIn === false ? undefined : { client: gateway.client, user: 'alice' },
    gate: options.withGate,
    answerWithinMs: 6000,
  });
  const cell = t.notebook.addCell('print(x)');
  return {
    gateway,
    notebook: t.notebook,
    cell,
    messaging: t.messaging,
    /** The lines the host wrote to its Privet output channel. */
    logged: t.logged,
    /** Asks as the renderer does; resolves with the host's answer. */
    async ask(mime: string, text: string): Promise<{ approved: boolean }> {
      return { approved: await t.ask(mime, text) };
    },
    dispose: t.dispose,
  };
}

/** Waits (at most 3 s) until `condition` holds. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A stdout output. */
function stdout(text: string): Fake.NotebookCellOutput {
  return new fake.NotebookCellOutput([fake.NotebookCellOutputItem.stdout(text)]);
}

describe('VS Code renderer answers: the gateway raw-value check', () => {
  it('says no to an item showing a raw identifier value and yes to a made-up one', async () => {
    const t = setUp();
    try {
      const raw = await t.ask('text/plain', `customer ${RAW}`);
      assert.equal(raw.approved, false);
      const other = await t.ask('text/plain', 'customer Quillon Vardemarsk');
      assert.equal(other.approved, true);
      assert.equal(t.gateway.calls.length, 2, 'one check per item');
      // Asked again (a redraw): the cached verdict, no second lookup.
      assert.equal((await t.ask('text/plain', 'customer Quillon Vardemarsk')).approved, true);
      assert.equal(t.gateway.calls.length, 2);
      // The Privet output channel says why the raw one was held, and never shows it.
      const held = t.logged.filter((l) => l.includes('answered "no"'));
      assert.equal(held.length, 1, t.logged.join('\n'));
      assert.match(
        held[0]!,
        /text\/plain item \(\d+ chars\): the gateway's raw-value check found a value/,
      );
      assert.ok(!t.logged.join('\n').includes(RAW), 'the log never holds the item');
      assert.ok(!t.logged.join('\n').includes('Quillon'), 'nor a shown item');
    } finally {
      t.dispose();
    }
  });

  it('checks a stream part after the parts before it, so a value split across writes is found', async () => {
    const t = setUp();
    try {
      fake.writeOutputs(t.cell, [stdout('customer CUST-'), stdout('884213\n')]);
      const second = await t.ask(STDOUT, '884213\n');
      assert.equal(second.approved, false);
      assert.ok(
        t.gateway.calls.some((c) => c.before === 'customer CUST-'),
        'the earlier part goes with it as before',
      );
      assert.equal((await t.ask(STDOUT, 'customer CUST-')).approved, true);
    } finally {
      t.dispose();
    }
  });

  it('fails closed when the gateway does not answer, and asks again after a failed call and once a late verdict clears', async () => {
    const t = setUp();
    try {
      // The start-up notice (see below) first, so any later notice is the late verdict's.
      await until(() => t.messaging.posted.some(isRecheckNotice), 'the start-up notice');
      t.messaging.posted.length = 0;
      t.gateway.state.answer = 'down';
      assert.equal((await t.ask('text/plain', 'mean age 41.5')).approved, false);
      assert.match(
        t.logged.at(-1)!,
        /no raw-value verdict from the gateway \(the gateway is restarting\)/,
      );
      // A failed call is not cached, and the renderers are told to ask again (the first retry,
      // after 1 s): the gateway is back, the same item is cleared.
      t.gateway.state.answer = 'index';
      assert.ok(!t.messaging.posted.some(isRecheckNotice), 'the retry waits a moment');
      await until(() => t.messaging.posted.some(isRecheckNotice), 'a retry after no verdict');
      assert.equal((await t.ask('text/plain', 'mean age 41.5')).approved, true);
      t.messaging.posted.length = 0;

      t.gateway.state.answer = 'slow';
      const slow = await t.ask('text/plain', 'median income 52,000');
      assert.equal(slow.approved, false, 'no verdict within RAW_ANSWER_MS is a no');
      assert.equal(t.gateway.state.slowAnswered, 0, 'answered before the gateway was');
      assert.ok(!t.messaging.posted.some(isRecheckNotice), 'no notice before the verdict');
      const deadline = Date.now() + 3000;
      while (!t.messaging.posted.some(isRecheckNotice)) {
        if (Date.now() > deadline) assert.fail('no recheck notice after the late clear verdict');
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(t.gateway.state.slowAnswered, 1);
      const calls = t.gateway.calls.length;
      const again = await t.ask('text/plain', 'median income 52,000');
      assert.equal(again.approved, true);
      assert.equal(t.gateway.calls.length, calls, 'the late verdict was cached: no new lookup');
    } finally {
      t.dispose();
    }
  });

  it('tells the renderers to ask again once it starts answering (questions asked before it may have gone unanswered)', async () => {
    const t = setUp();
    try {
      await until(() => t.messaging.posted.some(isRecheckNotice), 'a recheck notice at start');
    } finally {
      t.dispose();
    }
  });

  it('signed out, nothing is asked and what passes the host check is drawn', async () => {
    const t = setUp({ signedIn: false });
    try {
      assert.equal((await t.ask('text/plain', 'mean age 41.5')).approved, true);
      assert.equal(
        (await t.ask('text/plain', 'contact: jane.roe@example.org')).approved,
        false,
        'the host check still holds what it flags',
      );
      assert.equal(t.gateway.calls.length, 0);
    } finally {
      t.dispose();
    }
  });

  it('checks an item of a multi-MIME output as the whole output: one lookup for the gate and every MIME type', async () => {
    const t = setUp({ withGate: true });
    try {
      const html = '<table><tr><td>Quillon Vardemarsk</td><td>41</td></tr></table>';
      const plain = 'name  age\nQuillon Vardemarsk  41';
      fake.writeOutputs(t.cell, [
        new fake.NotebookCellOutput([
          fake.NotebookCellOutputItem.text(html, 'text/html'),
          fake.NotebookCellOutputItem.text(plain, 'text/plain'),
        ]),
      ]);
      await until(() => t.gateway.calls.length > 0, 'the document gate’s lookup');
      await new Promise((r) => setTimeout(r, 100));
      assert.equal((await t.ask('text/html', html)).approved, true);
      assert.equal((await t.ask('text/plain', plain)).approved, true);
      assert.equal(t.gateway.calls.length, 1, 'the whole output, looked up once');
    } finally {
      t.dispose();
    }
  });

  it('holds every MIME type of an output whose other MIME type shows a raw value', async () => {
    const t = setUp();
    try {
      const html = '<table><tr><td>customer</td><td>41</td></tr></table>';
      fake.writeOutputs(t.cell, [
        new fake.NotebookCellOutput([
          fake.NotebookCellOutputItem.text(html, 'text/html'),
          fake.NotebookCellOutputItem.text(`customer ${RAW}  41`, 'text/plain'),
        ]),
      ]);
      assert.equal((await t.ask('text/html', html)).approved, false);
      // An item no output holds is read on its own.
      assert.equal((await t.ask('text/html', '<b>mean 41.5</b>')).approved, true);
    } finally {
      t.dispose();
    }
  });

  it('shares the document gate’s verdicts: one lookup for an output both check', async () => {
    const t = setUp({ withGate: true });
    try {
      fake.writeOutputs(t.cell, [stdout('contact Quillon Vardemarsk\n')]);
      const deadline = Date.now() + 3000;
      while (t.gateway.calls.length === 0) {
        if (Date.now() > deadline) assert.fail('the document gate asked nothing');
        await new Promise((r) => setTimeout(r, 10));
      }
      await new Promise((r) => setTimeout(r, 100));
      assert.equal((await t.ask(STDOUT, 'contact Quillon Vardemarsk\n')).approved, true);
      assert.equal(t.gateway.calls.length, 1, 'the renderer’s question reused the gate’s verdict');
    } finally {
      t.dispose();
    }
  });
});
