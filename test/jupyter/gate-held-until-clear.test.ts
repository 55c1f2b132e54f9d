/**
 * An output the JupyterLab gate holds on the gateway's raw-value verdict stays held — on screen and
 * in the saved file — until a later clear verdict on its content (jupyter-ext gate/GatedOutput.ts,
 * gate.ts, verdict-memory.ts): signing out or selecting no experiment (no check can be made then)
 * no longer draws it, and the save filter no longer forgets it after enough other outputs. An
 * output drawn while no check could be made is checked once one can; while a check is possible
 * the save filter writes only outputs the gateway cleared, so one JupyterLab never drew (beyond
 * its maxNumberOutputs) is withheld and asked about, and written by a later save once cleared.
 * The gating renderer runs in Node with the stubs of gated-output.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GatewayError } from '@privet/core/client/index';
import {
  RAW,
  display,
  fakeGateway,
  gateModule,
  gatedNotebook,
  settle,
  stdout,
  until,
} from './gated-output.js';

const { RAW_VALUE_NO_CHECK } = await gateModule<{
  RAW_VALUE_NO_CHECK: { reason: string; fix: string };
}>('raw-value');

const rawOutput = display(`Top customer: ${RAW}`);
const has = (text: string, value: string): boolean => text.includes(value);

describe('held on a raw value, an output stays held without a check (GatedOutput, gate.ts)', () => {
  test('signing out keeps it held, on screen and in the saved file', async () => {
    const { client, state } = fakeGateway();
    const nb = await gatedNotebook(client, 'exp-review', [[rawOutput]]);
    const out = await nb.render(rawOutput);
    assert.equal(out.state(), 'raw-value');
    assert.equal(state.calls, 1);
    assert.equal(has(nb.saved(), RAW), false);

    nb.signIn(null);
    await settle();
    assert.equal(out.state(), 'raw-value', 'still held, saying why');
    assert.deepEqual(out.inner.drawn, [], 'never drawn');
    assert.equal(nb.host.isShown(out.model), false);
    assert.equal(has(nb.saved(), RAW), false, 'not saved either');
    assert.match(nb.saved(), /raw-value/);
  });

  test('selecting no experiment keeps it held, on screen and in the saved file', async () => {
    const { client } = fakeGateway();
    const nb = await gatedNotebook(client, 'exp-review', [[rawOutput]]);
    const out = await nb.render(rawOutput);
    nb.select(null);
    await settle();
    assert.equal(out.state(), 'raw-value');
    assert.deepEqual(out.inner.drawn, []);
    assert.equal(has(nb.saved(), RAW), false);
  });

  test('a check the gateway could not answer holds it too until a later clear verdict', async () => {
    const down = fakeGateway();
    down.state.failure = new GatewayError('the gateway did not answer', 'start it', 'network');
    const benign = stdout('Zed Quorvath\n');
    const nb = await gatedNotebook(down.client, 'exp-review', [[benign]]);
    const out = await nb.render(benign);
    assert.equal(out.state(), 'raw-unavailable');
    nb.signIn(null);
    await settle();
    assert.equal(out.state(), 'raw-unavailable', 'no check now: held, not shown on the local pass');
    assert.deepEqual((out.out as unknown as { held: { unavailable: object } }).held.unavailable, {
      ...RAW_VALUE_NO_CHECK,
    });
    assert.equal(has(nb.saved(), 'Zed Quorvath'), false);

    const up = fakeGateway();
    nb.signIn(up.client);
    await until(() => out.state() === null);
    assert.equal(out.inner.drawn.length, 1, 'drawn once the gateway cleared it');
    assert.equal(has(nb.saved(), 'Zed Quorvath'), true, 'and saved as it is');
  });

  test('drawn while signed out, an output is checked on sign-in, and held on a raw value', async () => {
    const { client, state } = fakeGateway();
    const nb = await gatedNotebook(null, 'exp-review', [[rawOutput]]);
    const out = await nb.render(rawOutput);
    assert.equal(out.state(), null, 'signed out: the local rules decide');
    assert.equal(out.inner.drawn.length, 1);
    assert.equal(state.calls, 0);

    nb.signIn(client);
    await until(() => out.state() === 'raw-value');
    assert.equal(nb.host.isShown(out.model), false);
    assert.equal(has(nb.saved(), RAW), false);
  });

  test('a shown output the gateway cleared is not asked about again on every gate change', async () => {
    const { client, state } = fakeGateway();
    const benign = display('Zed Quorvath');
    const nb = await gatedNotebook(client, 'exp-review', [[benign]]);
    const out = await nb.render(benign);
    assert.equal(out.state(), null);
    const calls = state.calls;
    nb.select('exp-review'); // the gate's `changed` fires
    await settle();
    assert.equal(state.calls, calls);
    assert.equal(out.inner.drawn.length, 1, 'not drawn again');
  });
});

describe('the save filter withholds what the gateway has not cleared (save-filter.ts)', () => {
  test('a raw value is still withheld after 1,100 other outputs were checked', async () => {
    const { client } = fakeGateway();
    const others = Array.from({ length: 1100 }, (_, i) => display(`step ${i} done`));
    const nb = await gatedNotebook(client, 'exp-review', [[rawOutput], others]);
    const out = await nb.render(rawOutput);
    assert.equal(out.state(), 'raw-value');
    await Promise.all(others.map((o) => nb.render(o)));
    assert.equal(out.state(), 'raw-value');
    const saved = nb.saved();
    assert.equal(has(saved, RAW), false);
    assert.equal(has(saved, 'step 1099 done'), true, 'the cleared ones are saved as they are');
  });

  test('…and after signing out, when only the remembered verdict withholds it', async () => {
    const { client } = fakeGateway();
    const others = Array.from({ length: 1100 }, (_, i) => stdout(`row ${i}\n`));
    const nb = await gatedNotebook(client, 'exp-review', [[rawOutput], others]);
    await nb.render(rawOutput);
    await Promise.all(others.map((o) => nb.render(o)));
    nb.signIn(null);
    assert.equal(has(nb.saved(), RAW), false);
  });

  test('an output never drawn is withheld, asked about, and saved by a later save once cleared', async () => {
    const { client, state } = fakeGateway();
    // A cell with 60 outputs: JupyterLab draws the first 50 (maxNumberOutputs), never the rest.
    const outputs = Array.from({ length: 60 }, (_, i) => display(`plot ${i}`));
    outputs[55] = display(`Top customer: ${RAW}`);
    const nb = await gatedNotebook(client, 'exp-review', [outputs]);
    await Promise.all(outputs.slice(0, 50).map((o) => nb.render(o)));
    await settle();
    const first = nb.saved();
    assert.equal(has(first, 'plot 49'), true, 'drawn and cleared: saved');
    assert.equal(has(first, 'plot 57'), false, 'never checked: withheld');
    assert.equal(has(first, RAW), false);
    await until(() => state.asked >= 60);
    await settle();
    const later = nb.saved();
    assert.equal(has(later, 'plot 57'), true, 'cleared since: saved');
    assert.equal(has(later, RAW), false, 'a raw value never');
  });

  test('signed out, outputs never held are saved on the local rules alone, asking nothing', async () => {
    const { client, state } = fakeGateway();
    const nb = await gatedNotebook(client, 'exp-review', [[display('plot 1'), stdout('done\n')]]);
    nb.signIn(null);
    assert.match(nb.saved(), /plot 1/);
    assert.match(nb.saved(), /done/);
    await settle();
    assert.equal(state.calls, 0);
  });
});
