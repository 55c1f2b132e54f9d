/**
 * The VS Code output gate asks the gateway's raw-value check (POST /leak-check/outputs, through
 * core's RawValueChecks) about every output its own check leaves shown, when signed in with an
 * experiment: a raw verdict holds the output with a blocking `raw-value` finding and a placeholder
 * that says so, offers no review and never repeats the value; a clear verdict leaves it; no
 * answer holds it with the gateway's reason and fix, and the next pass (views loaded again after a
 * session change) puts it back once the gateway answers; signed out, nothing is asked. Run against
 * the real gate with an in-memory VS Code API (fake-vscode/).
 */
import './fake-vscode/register.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NotebookOutput } from '@privet/core';
import { GatewayError } from '@privet/core/client/index';
import type { OutputLeakItem } from '@privet/core/protocol';
import type * as vscodeTypes from 'vscode';
import type { OutputGate as OutputGateType } from '../../vscode-ext/src/notebook/gate.js';
import type * as Fake from './fake-vscode/index.js';
import { setUpGate } from './gate-harness.js';
import { noApprovals } from './no-approvals.js';

// Loaded after register.js has made 'vscode' resolve to the fake (static imports link first).
const fake = (await import('vscode')) as unknown as typeof Fake;
const { fromCellOutput } = await import('../../vscode-ext/src/notebook/convert.js');
const { rawValueHold } = await import('../../vscode-ext/src/notebook/raw-value.js');
const { requestReview } = await import('../../vscode-ext/src/notebook/request-review.js');
const { cellsAwaitingReview } = await import('../../vscode-ext/src/notebook/held-cells-context.js');

const PLACEHOLDER_MIME = 'application/vnd.privet.withheld+json';
/** A value of a raw identifier column, as the fake gateway's index knows it. */
const RAW = 'CUST-884213';

type Answer = 'index' | 'down';

/** A gateway that answers raw-value checks from its index (or fails: 503), and nothing approved. */
function fakeGateway() {
  const calls: OutputLeakItem[][] = [];
  const state = { answer: 'index' as Answer, delayMs: 0 };
  const client = {
    baseUrl: 'http://gateway.test',
    async checkOutputLeaks({ outputs }: { experiment: string; outputs: OutputLeakItem[] }) {
      calls.push(outputs);
      if (state.delayMs > 0) await new Promise((r) => setTimeout(r, state.delayMs));
      if (state.answer === 'down')
        return Promise.reject(
          new GatewayError('the gateway is restarting', 'wait a moment', 'unavailable', 503),
        );
      return Promise.resolve({
        rawValue: outputs.map((o) => `${o.before ?? ''}${JSON.stringify(o.output)}`.includes(RAW)),
      });
    },
    ...noApprovals,
  };
  return { client, calls, state };
}

/** A gate over one notebook, signed in with an experiment (or not), the views known. */
function setUp(signedIn = true) {
  const gateway = fakeGateway();
  const t = setUpGate({
    name: 'nb',
    signedIn: signedIn ? { client: gateway.client, user: 'alice' } : undefined,
    gate: true,
    answers: false,
  });
  const gate: OutputGateType | undefined = t.gate;
  assert.ok(gate);
  const cell = t.notebook.addCell('print(customer_id)');
  return {
    gate,
    held: t.held,
    gateway,
    notebook: t.notebook,
    cell,
    /** A session change, then the views loaded again: the gate's next pass. */
    nextPass() {
      t.sessionChanged();
      t.viewsLoaded();
    },
    dispose: t.dispose,
  };
}

/** A stdout output. */
function stdout(text: string): Fake.NotebookCellOutput {
  return new fake.NotebookCellOutput([fake.NotebookCellOutputItem.stdout(text)]);
}

/** The outputs of the notebook's cells, as nbformat. */
function outputsOf(notebook: Fake.FakeNotebook): NotebookOutput[] {
  return notebook
    .getCells()
    .flatMap((c) =>
      c.outputs.map((o) => fromCellOutput(o as unknown as vscodeTypes.NotebookCellOutput)),
    );
}

/** The text a placeholder or output shows (all its parts). */
function shown(notebook: Fake.FakeNotebook): string {
  return JSON.stringify(outputsOf(notebook));
}

/** Waits (at most 3 s) until `condition` holds. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Lets the gate's passes started so far settle (batch delay, edits, events). */
async function settle(): Promise<void> {
  await new Promise((r) => setTimeout(r, 150));
}

const isPlaceholder = (o: NotebookOutput): boolean =>
  o.output_type === 'display_data' && PLACEHOLDER_MIME in o.data;

describe('VS Code output gate: the gateway raw-value check', () => {
  it('holds an output showing a raw identifier value with a raw-value finding, never the value', async () => {
    const t = setUp();
    try {
      fake.writeOutputs(t.cell, [stdout('ok\n'), stdout(`customer ${RAW}\n`)]);
      await until(() => outputsOf(t.notebook).some(isPlaceholder), 'the output is held');
      await settle();
      const outputs = outputsOf(t.notebook);
      assert.equal(outputs.length, 2, 'no output lost or added');
      assert.deepEqual(outputs[0], { output_type: 'stream', name: 'stdout', text: 'ok\n' });
      const placeholder = outputs[1]!;
      assert.ok(isPlaceholder(placeholder));
      assert.ok(!shown(t.notebook).includes(RAW), 'the value is nowhere in the document');
      const data = (placeholder as { data: Record<string, unknown> }).data;
      assert.deepEqual(
        { ...(data[PLACEHOLDER_MIME] as object), heldId: undefined },
        { verdict: 'block', rules: ['raw-value'], heldId: undefined, rawValue: 'found' },
      );
      assert.match(String(data['text/plain']), /value from the raw data's identifier columns/);
      assert.match(String(data['text/plain']), /cannot be approved/);
      assert.match(String(data['text/plain']), /remove the value/);
      assert.doesNotMatch(String(data['text/plain']), /Request review/i);
      const entries = t.held.entries();
      assert.equal(entries.length, 1);
      const [heldId, original] = entries[0]!;
      assert.equal(original.review.verdict, 'block');
      assert.deepEqual(
        original.review.findings.map((f) => [f.rule, f.severity]),
        [['raw-value', 'block']],
      );
      assert.equal(rawValueHold(original.review), 'found');
      assert.ok(
        !JSON.stringify(original.review.findings).includes(RAW),
        'no finding repeats the value',
      );
      // The second write of the stream went with the first as `before`.
      const asked = t.gateway.calls.flat();
      assert.ok(
        asked.some((o) => o.before === 'ok\n'),
        'the earlier stream part is sent as before',
      );
      // No review is offered, and asking for one is refused without calling the gateway.
      assert.deepEqual(cellsAwaitingReview(fake.workspace.notebookDocuments as never, t.held), []);
      await assert.rejects(
        requestReview(t.gateway.client as never, 'exp-1', t.held, heldId, 'why', {
          notebook: 'nb.ipynb',
          cellIndex: 0,
        }),
        /raw data's identifier columns.*remove the value/,
      );
    } finally {
      t.dispose();
    }
  });

  it('leaves an output the gateway clears, and asks once for content it already answered', async () => {
    const t = setUp();
    try {
      fake.writeOutputs(t.cell, [stdout('mean basket 41.2\n')]);
      await until(() => t.gateway.calls.length > 0, 'the gateway is asked');
      await settle();
      assert.deepEqual(outputsOf(t.notebook), [
        { output_type: 'stream', name: 'stdout', text: 'mean basket 41.2\n' },
      ]);
      assert.equal(t.held.entries().length, 0);
      const asked = t.gateway.calls.flat().length;
      await t.gate.gateCells(t.notebook as never, t.notebook.getCells() as never);
      assert.equal(t.gateway.calls.flat().length, asked, 'a re-check spends no lookup');
    } finally {
      t.dispose();
    }
  });

  it('holds an output the gateway cannot check, with its reason, and shows it once it answers', async () => {
    const t = setUp();
    try {
      t.gateway.state.answer = 'down';
      fake.writeOutputs(t.cell, [stdout('mean basket 41.2\n')]);
      await until(() => outputsOf(t.notebook).some(isPlaceholder), 'the output is held');
      await settle();
      const [placeholder] = outputsOf(t.notebook);
      const data = (placeholder as { data: Record<string, unknown> }).data;
      assert.equal((data[PLACEHOLDER_MIME] as { rawValue?: string }).rawValue, 'unchecked');
      assert.match(String(data['text/plain']), /the gateway is restarting/);
      assert.match(String(data['text/plain']), /wait a moment/);
      assert.ok(fake.shownMessages.some((m) => m.includes('the gateway is restarting')));
      assert.equal(t.held.entries().length, 1);
      // The gateway is back; the next pass (a session change, then the views) asks again.
      t.gateway.state.answer = 'index';
      t.nextPass();
      await until(() => !outputsOf(t.notebook).some(isPlaceholder), 'the output is back');
      await settle();
      assert.deepEqual(outputsOf(t.notebook), [
        { output_type: 'stream', name: 'stdout', text: 'mean basket 41.2\n' },
      ]);
      assert.equal(t.held.entries().length, 0);
    } finally {
      t.dispose();
    }
  });

  it('an output held unchecked that the gateway then finds raw: its placeholder says so, no review offered', async () => {
    const t = setUp();
    try {
      t.gateway.state.answer = 'down';
      fake.writeOutputs(t.cell, [stdout(`customer ${RAW}\n`)]);
      await until(() => outputsOf(t.notebook).some(isPlaceholder), 'the output is held');
      await settle();
      const infoOf = (): { rawValue?: string; rules?: string[] } => {
        const [p] = outputsOf(t.notebook);
        return (p as { data: Record<string, unknown> }).data[PLACEHOLDER_MIME] as {
          rawValue?: string;
          rules?: string[];
        };
      };
      assert.equal(infoOf().rawValue, 'unchecked');
      const [heldId, before] = t.held.entries()[0]!;
      assert.equal(rawValueHold(before!.review), 'unchecked');
      // The gateway is back and finds the value: the same original stays held, now as raw.
      t.gateway.state.answer = 'index';
      t.nextPass();
      await until(() => infoOf().rawValue === 'found', 'the placeholder says the value was found');
      await settle();
      assert.deepEqual(infoOf().rules, ['raw-value']);
      const entries = t.held.entries();
      assert.equal(entries.length, 1, 'one original, held once');
      const [id, original] = entries[0]!;
      assert.equal(id, heldId);
      assert.equal(rawValueHold(original.review), 'found');
      assert.deepEqual(
        original.review.findings.map((f) => f.rule),
        ['raw-value'],
        'the unanswered check’s finding is replaced, not kept beside it',
      );
      const [placeholder] = outputsOf(t.notebook);
      const text = String((placeholder as { data: Record<string, unknown> }).data['text/plain']);
      assert.match(text, /cannot be approved/);
      assert.doesNotMatch(text, /could not check/);
      assert.ok(!shown(t.notebook).includes(RAW));
      await assert.rejects(
        requestReview(t.gateway.client as never, 'exp-1', t.held, heldId, 'why', {
          notebook: 'nb.ipynb',
          cellIndex: 0,
        }),
        /raw data's identifier columns/,
      );
    } finally {
      t.dispose();
    }
  });

  it('keeps a raw output held on the next pass', async () => {
    const t = setUp();
    try {
      fake.writeOutputs(t.cell, [stdout(`customer ${RAW}\n`)]);
      await until(() => outputsOf(t.notebook).some(isPlaceholder), 'the output is held');
      await settle();
      const calls = t.gateway.calls.length;
      t.nextPass();
      await until(() => t.gateway.calls.length > calls, 'the gateway is asked again');
      await settle();
      assert.ok(outputsOf(t.notebook).every(isPlaceholder));
      assert.ok(!shown(t.notebook).includes(RAW));
    } finally {
      t.dispose();
    }
  });

  it('asks nothing when signed out: the output stays as today', async () => {
    const t = setUp(false);
    try {
      fake.writeOutputs(t.cell, [stdout(`customer ${RAW}\n`)]);
      await settle();
      await t.gate.gateCells(t.notebook as never, t.notebook.getCells() as never);
      assert.equal(t.gateway.calls.length, 0);
      assert.ok(!outputsOf(t.notebook).some(isPlaceholder));
    } finally {
      t.dispose();
    }
  });

  it('a log written every 10 ms makes about ten calls a second, each about its newest content', async () => {
    const t = setUp();
    try {
      let text = '';
      const started = Date.now();
      for (let i = 0; i < 300; i++) {
        text += `step ${i}\n`;
        fake.writeOutputs(t.cell, [stdout(text)]);
        await new Promise((r) => setTimeout(r, 10));
      }
      await settle();
      const seconds = (Date.now() - started) / 1000;
      // One call per write was about 43 a second: past the gateway's refill of 20 a second, so a
      // long log would be held as unchecked. Calls now take turns (core's RawValueChecks).
      assert.ok(
        t.gateway.calls.length <= Math.ceil(seconds * 10) + 2,
        `${t.gateway.calls.length} calls in ${seconds.toFixed(1)} s`,
      );
      // And a content a newer write replaced before its call asks nothing (300 lookups before).
      const lookups = t.gateway.calls.flat().length;
      assert.ok(
        lookups <= t.gateway.calls.length + 2,
        `${lookups} lookups in ${t.gateway.calls.length} calls`,
      );
      assert.ok(!outputsOf(t.notebook).some(isPlaceholder), 'nothing held');
      assert.equal(
        JSON.stringify(t.gateway.calls.flat().at(-1)?.output),
        JSON.stringify(outputsOf(t.notebook)[0]),
        'the final content was asked about',
      );
    } finally {
      t.dispose();
    }
  });

  it('a raw value printed in a growing log is held although most writes were not asked about', async () => {
    const t = setUp();
    try {
      let text = '';
      for (let i = 0; i < 100; i++) {
        text += i === 50 ? `${RAW}\n` : `step ${i}\n`;
        fake.writeOutputs(t.cell, [stdout(text)]);
        await new Promise((r) => setTimeout(r, 10));
      }
      await until(() => outputsOf(t.notebook).some(isPlaceholder), 'the log is held');
      await settle();
      assert.ok(t.gateway.calls.flat().length < 50, `${t.gateway.calls.flat().length} lookups`);
      const entries = t.held.entries();
      assert.equal(entries.length, 1);
      assert.equal(rawValueHold(entries[0]![1].review), 'found');
      assert.ok(!shown(t.notebook).includes(RAW), 'the value is nowhere in the document');
    } finally {
      t.dispose();
    }
  });

  it('an output whose content another, replaced output shared is still asked about', async () => {
    const t = setUp();
    try {
      t.gateway.state.delayMs = 300;
      // A call in flight, so what the next pass asks waits in line.
      fake.writeOutputs(t.cell, [stdout('warming up\n')]);
      await until(() => t.gateway.calls.length === 1, 'the first call is out');
      // Two cells show the same raw value; one pass (the session changed) reads both.
      const other = t.notebook.addCell('print(again)');
      const third = t.notebook.addCell('print(once more)');
      const figure = () =>
        new fake.NotebookCellOutput([fake.NotebookCellOutputItem.text(`id ${RAW}`, 'text/plain')]);
      other.outputs = [figure()];
      third.outputs = [figure()];
      t.nextPass();
      await new Promise((r) => setTimeout(r, 50));
      // One of them is replaced before that pass's call goes out: its question is given up.
      fake.writeOutputs(other, [stdout('cleared\n')]);
      await until(() => outputsOf(t.notebook).some(isPlaceholder), 'the other copy is held');
      await settle();
      const shownCells = t.notebook
        .getCells()
        .map((c) =>
          JSON.stringify(
            c.outputs.map((o) => fromCellOutput(o as unknown as vscodeTypes.NotebookCellOutput)),
          ),
        );
      assert.ok(!shownCells[2]!.includes(RAW), 'the third cell no longer shows the value');
      assert.ok(shownCells[1]!.includes('cleared'), 'the replaced output is as written');
    } finally {
      t.dispose();
    }
  });
});
