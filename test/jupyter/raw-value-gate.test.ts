/**
 * The JupyterLab output gate's raw-value check, without a browser: how the gateway's verdict holds
 * an output (raw-value.ts), when the gate asks the gateway at all and for which experiment
 * (gate.ts: signed out or no experiment → no check; cached per content; forgotten on sign-in),
 * what the gate remembers of the verdicts (verdict-memory.ts), and that an output held on the
 * gateway's verdict, or not yet cleared by it, is saved only as a placeholder (save-filter.ts).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { OutputLeakCheckRequest, OutputLeakCheckResponse } from '@privet/core';
import { Signal } from '@lumino/signaling';
import { GatewayError, type RawValueVerdict } from '@privet/core/client/index';
import type { Finding, NotebookOutput, ReviewResult } from '@privet/core/review/index';
import { fakeGateServices } from './fakes.js';

// The modules under test are loaded by path: test/tsconfig.json type-checks test/ as its own
// project (rootDir test/, no JupyterLab types), so a static import of jupyter-ext/src would not
// compile there. The shapes below are the parts of them this test uses.

/** How the gateway's verdict holds an output (jupyter-ext gate/raw-value.ts). */
type RawValueHold =
  { kind: 'raw-value' } | { kind: 'raw-unavailable'; reason: string; fix: string };
/** jupyter-ext gate/raw-value.ts */
interface RawValueModule {
  RAW_VALUE_FINDING: Finding;
  RAW_VALUE_TEXT: string;
  rawValueHold(verdict: RawValueVerdict | null): RawValueHold | null;
  rawValueUnavailableText(reason: string, fix: string): string;
  withRawValueHold(result: ReviewResult, hold: RawValueHold | null): ReviewResult;
}
/** jupyter-ext gate/gate.ts's OutputGate, as far as used here. */
interface Gate {
  rawValueVerdict(
    experiment: string | null,
    output: NotebookOutput,
    before?: string,
  ): Promise<RawValueVerdict> | null;
  latestRawValueVerdict(
    experiment: string | null,
    output: NotebookOutput,
    before: string,
    wanted: () => boolean,
    saved?: NotebookOutput,
  ): Promise<RawValueVerdict | null> | null;
}
/** jupyter-ext gate/verdict-memory.ts's VerdictMemory. */
interface Memory {
  readonly epoch: number;
  note(output: NotebookOutput, before: string, verdict: RawValueVerdict): void;
  lookup(output: NotebookOutput, before: string): 'raw' | 'unchecked' | 'clear' | 'unknown';
  forgetCleared(): void;
}
/** A notebook model as far as the save filter reads and patches it. */
interface ModelLike {
  cells: unknown[] & { changed: Signal<object, unknown> };
  toJSON(): unknown;
}

/** Imports a module of jupyter-ext/src/gate (TypeScript, through tsx). */
const gateModule = (name: string): Promise<unknown> =>
  import(new URL(`../../jupyter-ext/src/gate/${name}.ts`, import.meta.url).href);
const {
  RAW_VALUE_FINDING,
  RAW_VALUE_TEXT,
  rawValueHold,
  rawValueUnavailableText,
  withRawValueHold,
} = (await gateModule('raw-value')) as RawValueModule;
const { heldStateText } = (await gateModule('held-text')) as {
  heldStateText(props: {
    state: string;
    findings: readonly Finding[];
    stream?: string;
    unavailable?: { reason: string; fix: string };
  }): string;
};
const { OutputGate } = (await gateModule('gate')) as {
  OutputGate: new (services: unknown) => Gate;
};
const { VerdictMemory } = (await gateModule('verdict-memory')) as {
  VerdictMemory: new () => Memory;
};
const { filterSavedOutputs } = (await gateModule('save-filter')) as {
  filterSavedOutputs(model: ModelLike, host: { gate: Gate; experiment(): string | null }): void;
};

/** The made-up raw identifier value the fake gateway knows. */
const RAW = 'Ada Lindqvist';

const stream = (text: string): NotebookOutput => ({ output_type: 'stream', name: 'stdout', text });
const passed: ReviewResult = { verdict: 'pass', findings: [], redactedPreview: '' };

/** A fake gateway client: outputs whose text (after `before`) holds RAW are raw; records calls. */
function fakeClient(baseUrl = 'http://127.0.0.1:1') {
  const calls: OutputLeakCheckRequest[] = [];
  let failure: GatewayError | null = null;
  return {
    baseUrl,
    calls,
    failWith(error: GatewayError | null): void {
      failure = error;
    },
    checkOutputLeaks: async (body: OutputLeakCheckRequest): Promise<OutputLeakCheckResponse> => {
      calls.push(body);
      if (failure) throw failure;
      return {
        rawValue: body.outputs.map(({ output, before }) =>
          `${before ?? ''}${output.output_type === 'stream' ? String(output.text) : JSON.stringify(output)}`.includes(
            RAW,
          ),
        ),
      };
    },
    listViews: async () => ({ views: [] }),
  };
}

/** Session and experiment selection as the gate reads them, signed in with `client`. */
const fakeServices = (client: ReturnType<typeof fakeClient>, experiment: string | null) =>
  fakeGateServices(client, experiment);

describe('raw-value holds (jupyter-ext gate/raw-value.ts)', () => {
  test('a raw value blocks the output with the raw-value rule; clear or no check adds nothing', () => {
    assert.equal(rawValueHold(null), null);
    assert.equal(rawValueHold({ state: 'clear' }), null);
    assert.deepEqual(rawValueHold({ state: 'raw' }), { kind: 'raw-value' });
    assert.deepEqual(withRawValueHold(passed, null), passed);
    const held = withRawValueHold(passed, rawValueHold({ state: 'raw' }));
    assert.equal(held.verdict, 'block');
    assert.deepEqual(
      held.findings.map((f) => [f.rule, f.severity]),
      [['raw-value', 'block']],
    );
  });

  test('no verdict holds the output (fail closed) with the gateway’s reason and fix', () => {
    const hold = rawValueHold({
      state: 'unavailable',
      reason: 'too many raw-value lookups',
      fix: 'wait 12 seconds, then run the cell again.',
    });
    assert.deepEqual(hold, {
      kind: 'raw-unavailable',
      reason: 'too many raw-value lookups',
      fix: 'wait 12 seconds, then run the cell again.',
    });
    const flagged: ReviewResult = {
      verdict: 'flag',
      findings: [
        {
          rule: 'small-cell',
          severity: 'flag',
          mime: 'text/plain',
          location: { start: 0, end: 1 },
          message: 'a count below 10',
        },
      ],
      redactedPreview: '',
    };
    const held = withRawValueHold(flagged, hold);
    assert.equal(held.verdict, 'block');
    assert.deepEqual(
      held.findings.map((f) => f.rule),
      ['small-cell', 'raw-value'],
    );
    assert.match(held.findings[1]!.message, /not yet checked against the raw data/);
    assert.equal(
      rawValueUnavailableText(hold!.kind === 'raw-unavailable' ? hold.reason : '', 'wait 12 s.'),
      'Could not check this output against the raw data: too many raw-value lookups. Fix: wait 12 s. The output stays hidden until the check succeeds.',
    );
  });

  test('the texts say what happened and how to fix it, and name no value', () => {
    assert.match(RAW_VALUE_TEXT, /value from the raw data's identifier columns/);
    assert.match(RAW_VALUE_TEXT, /no review can approve it/);
    assert.match(RAW_VALUE_TEXT, /remove the value .* run the cell again/);
    assert.doesNotMatch(RAW_VALUE_FINDING.message, /Lindqvist/);
  });
});

describe('OutputGate.rawValueVerdict (jupyter-ext gate/gate.ts)', () => {
  test('asks the gateway for the experiment given; a redraw of the same content spends nothing', async () => {
    const client = fakeClient();
    const gate = new OutputGate(fakeServices(client, 'ui-study').services);
    assert.deepEqual(await gate.rawValueVerdict('exp-a', stream(`${RAW}\n`)), { state: 'raw' });
    assert.deepEqual(await gate.rawValueVerdict('exp-a', stream('Zed Quorvath\n')), {
      state: 'clear',
    });
    assert.deepEqual(await gate.rawValueVerdict('exp-a', stream(`${RAW}\n`)), { state: 'raw' });
    assert.deepEqual(
      client.calls.map((c) => [c.experiment, c.outputs.length]),
      [
        ['exp-a', 1],
        ['exp-a', 1],
      ],
    );
  });

  test('a stream part is checked with the earlier parts of its stream as `before`', async () => {
    const client = fakeClient();
    const gate = new OutputGate(fakeServices(client, 'ui-study').services);
    const verdict = await gate.rawValueVerdict('exp-a', stream('qvist\n'), 'Ada Lind');
    assert.deepEqual(verdict, { state: 'raw' });
    assert.equal(client.calls[0]!.outputs[0]!.before, 'Ada Lind');
  });

  test('signed out, or no experiment: no check (today’s behaviour)', () => {
    const client = fakeClient();
    const fake = fakeServices(client, null);
    const gate = new OutputGate(fake.services);
    assert.equal(gate.rawValueVerdict(null, stream(`${RAW}\n`)), null);
    fake.signIn(null);
    assert.equal(gate.rawValueVerdict('exp-a', stream(`${RAW}\n`)), null);
    assert.equal(client.calls.length, 0);
  });

  test('a failed check is not kept: the next redraw asks again', async () => {
    const client = fakeClient();
    const gate = new OutputGate(fakeServices(client, 'ui-study').services);
    client.failWith(new GatewayError('the gateway is restarting', 'try again in a minute', 'x'));
    const failed = await gate.rawValueVerdict('exp-a', stream(`${RAW}\n`));
    assert.deepEqual(failed, {
      state: 'unavailable',
      reason: 'the gateway is restarting',
      fix: 'try again in a minute',
    });
    client.failWith(null);
    assert.deepEqual(await gate.rawValueVerdict('exp-a', stream(`${RAW}\n`)), { state: 'raw' });
    assert.equal(client.calls.length, 2);
  });

  test('a raw value is remembered whatever else is noted; cleared contents, until sign-in (verdict-memory.ts)', () => {
    const memory = new VerdictMemory();
    const unavailable: RawValueVerdict = { state: 'unavailable', reason: 'down', fix: 'start it' };
    memory.note(stream(`${RAW}\n`), '', { state: 'raw' });
    memory.note(stream('qvist\n'), 'Ada Lind', { state: 'raw' });
    for (let i = 0; i < 1_100; i++) memory.note(stream(`row ${i}\n`), '', { state: 'clear' });
    for (let i = 0; i < 25_000; i++) memory.note(stream(`log ${i}\n`), '', unavailable);
    assert.equal(memory.lookup(stream(`${RAW}\n`), ''), 'raw', 'never pushed out by other outputs');
    assert.equal(
      memory.lookup(stream('qvist\n'), 'Ada Lind'),
      'raw',
      'a stream part after its context',
    );
    assert.equal(memory.lookup(stream('qvist\n'), ''), 'unknown', 'alone it is another content');
    assert.equal(memory.lookup(stream('row 0\n'), ''), 'clear');
    assert.equal(memory.lookup(stream('log 24999\n'), ''), 'unchecked');
    assert.equal(memory.lookup(stream('never seen\n'), ''), 'unknown');

    const epoch = memory.epoch;
    memory.forgetCleared(); // sign-in, sign-out
    assert.notEqual(memory.epoch, epoch);
    assert.equal(memory.lookup(stream('row 0\n'), ''), 'unknown');
    assert.equal(memory.lookup(stream(`${RAW}\n`), ''), 'raw', 'held until a clear verdict');
    memory.note(stream(`${RAW}\n`), '', { state: 'clear' }); // e.g. another experiment's data
    assert.equal(memory.lookup(stream(`${RAW}\n`), ''), 'clear');
  });

  test('signing in again forgets the cached verdicts', async () => {
    const client = fakeClient();
    const fake = fakeServices(client, 'ui-study');
    const gate = new OutputGate(fake.services);
    await gate.rawValueVerdict('exp-a', stream('Zed Quorvath\n'));
    fake.signIn(client);
    await gate.rawValueVerdict('exp-a', stream('Zed Quorvath\n'));
    assert.equal(client.calls.length, 2);
  });
});

describe('saving an output held on the gateway’s verdict (jupyter-ext gate/save-filter.ts)', () => {
  /** A notebook model with one code cell per output, serialized by `toJSON` like JupyterLab's. */
  function notebookModel(outputs: NotebookOutput[]): ModelLike {
    const cells = outputs.map((o, i) => ({
      cell_type: 'code',
      id: `c${i}`,
      source: 'x',
      metadata: {},
      execution_count: 1,
      outputs: [o],
    }));
    return {
      cells: Object.assign([], { changed: new Signal<object, unknown>({}) }),
      toJSON: () => ({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells }),
    };
  }

  test('signed in, is written only once the gateway cleared it; the save asks about what it did not', async () => {
    const client = fakeClient();
    const fake = fakeServices(client, 'ui-study');
    const gate = new OutputGate(fake.services);
    const host = { gate, experiment: () => 'ui-study' };
    const raw = stream(`${RAW}\n`);
    const other = stream('Zed Quorvath\n');
    const model = notebookModel([raw, other]);
    filterSavedOutputs(model, host);
    const savedText = (): string => JSON.stringify(model.toJSON());

    // The views are still unknown here; stream text is no possible table, so both pass locally.
    const first = savedText();
    assert.doesNotMatch(first, new RegExp(RAW), 'not drawn, so never checked: withheld');
    assert.doesNotMatch(first, /Zed Quorvath/);
    for (let i = 0; i < 100 && client.calls.length === 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(client.calls.length, 1, 'the save asked about both');
    const saved = savedText();
    assert.doesNotMatch(saved, new RegExp(RAW));
    assert.match(saved, /raw-value/);
    assert.match(saved, /Zed Quorvath/, 'cleared: written as it is');
    // Signed out, the raw value stays withheld; what was never asked about passes the local rules.
    fake.signIn(null);
    assert.doesNotMatch(savedText(), new RegExp(RAW));
    assert.match(savedText(), /Zed Quorvath/);
  });

  test('is written as a placeholder while its raw-value verdict is awaited (a save before the gateway answers)', async () => {
    const client = fakeClient();
    let answer: (() => void) | undefined;
    const slow = {
      ...client,
      // The gateway takes its time (its first check builds the index): no verdict yet.
      checkOutputLeaks: async (body: OutputLeakCheckRequest) => {
        await new Promise<void>((resolve) => (answer = resolve));
        return client.checkOutputLeaks(body);
      },
    };
    /** Lets the call now out be answered (waits, bounded, for it to go out). */
    const answerNow = async (): Promise<void> => {
      for (let i = 0; i < 100 && !answer; i++) await new Promise((r) => setTimeout(r, 10));
      const release = answer;
      answer = undefined;
      assert.ok(release, 'the check went out');
      release();
    };
    const gate = new OutputGate(fakeServices(slow, 'ui-study').services);
    const raw = stream(`${RAW}\n`);
    const model = notebookModel([raw]);
    filterSavedOutputs(model, { gate, experiment: () => 'ui-study' });
    const savedText = (): string => JSON.stringify(model.toJSON());
    // What GatedOutput asks before it shows the output: the saved form goes along.
    const pending = gate.latestRawValueVerdict('ui-study', raw, '', () => true, raw);
    assert.ok(pending);
    const whilePending = savedText();
    assert.doesNotMatch(whilePending, new RegExp(RAW), 'not written before the verdict');
    assert.match(whilePending, /raw-value/);
    await answerNow();
    assert.deepEqual(await pending, { state: 'raw' }); // the gate remembers it for `raw`
    assert.doesNotMatch(savedText(), new RegExp(RAW));
    // A clear verdict lets a made-up name be saved as it is.
    const other = stream('Zed Quorvath\n');
    const otherModel = notebookModel([other]);
    filterSavedOutputs(otherModel, { gate, experiment: () => 'ui-study' });
    const asked = gate.latestRawValueVerdict('ui-study', other, '', () => true, other);
    assert.doesNotMatch(JSON.stringify(otherModel.toJSON()), /Zed Quorvath/);
    await answerNow();
    assert.deepEqual(await asked, { state: 'clear' });
    assert.match(JSON.stringify(otherModel.toJSON()), /Zed Quorvath/);
  });
});

describe('the held placeholder’s state line (jupyter-ext gate/held-text.ts)', () => {
  const emailFinding: Finding = {
    rule: 'email',
    severity: 'flag',
    mime: 'text/plain',
    location: { start: 0, end: 5 },
    message: 'an email address',
  };
  test('a stream part held with a part that shows a raw value says no review can release it', () => {
    const text = heldStateText({
      state: 'with-stream',
      findings: [RAW_VALUE_FINDING],
      stream: 'stdout',
    });
    assert.match(text, /Another part of this cell's stdout is held/);
    assert.match(text, /no review can approve/);
    assert.match(text, /Fix: remove the value and run the cell again/);
    assert.doesNotMatch(text, /once that part is approved/);
  });
  test('held with a part a reviewer can approve, it waits for that approval', () => {
    const text = heldStateText({
      state: 'with-stream',
      findings: [emailFinding],
      stream: 'stderr',
    });
    assert.match(text, /Another part of this cell's stderr is held/);
    assert.match(text, /shows once that part is approved/);
    assert.doesNotMatch(text, /no review can approve/);
  });
  test('raw-value and unanswered-check states use the raw-value texts', () => {
    assert.equal(
      heldStateText({ state: 'raw-value', findings: [RAW_VALUE_FINDING] }),
      RAW_VALUE_TEXT,
    );
    assert.equal(
      heldStateText({
        state: 'raw-unavailable',
        findings: [],
        unavailable: { reason: 'the gateway is restarting', fix: 'wait a moment' },
      }),
      rawValueUnavailableText('the gateway is restarting', 'wait a moment'),
    );
  });
});
