/**
 * A held output whose review state the gateway could not tell (state `unavailable`: it was down)
 * offers "Check again", as one the gateway could not check for raw values does; its state line says
 * what happened and how to fix it (jupyter-ext gate/held-text.ts, gate/HeldOutput.tsx).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GatewayError } from '@privet/core/client/index';
import { html, load, text } from './render.js';

type Component = (props: Record<string, unknown>) => unknown;
const { approvalLookupProblem, canRecheck, heldStateText, recheckProps } = await load<{
  approvalLookupProblem(error: unknown): { reason: string; fix: string } | undefined;
  canRecheck(state: string): boolean;
  recheckProps(
    held: { state: string; unavailable?: { reason: string; fix: string } },
    recheck: () => void,
  ): { unavailable?: unknown; onRecheck?: () => void };
  heldStateText(props: {
    state: string;
    findings: readonly unknown[];
    unavailable?: { reason: string; fix: string };
  }): string;
}>('gate/held-text.ts');
const { HeldOutput } = await load<{ HeldOutput: Component }>('gate/HeldOutput.tsx');

const finding = { rule: 'email', severity: 'high', mime: 'text/plain', message: 'an email' };
/** The buttons and state line of a placeholder in `state` that is given a re-check. */
function placeholder(state: string): string {
  return text(
    html(HeldOutput, {
      verdict: 'flag',
      findings: [finding],
      state,
      busy: false,
      onRequestReview: () => undefined,
      onClear: () => undefined,
      onRecheck: () => undefined,
    }),
  );
}

describe('held output: "Check again" when the gateway could not be asked', () => {
  test('an output whose reviews could not be looked up offers Check again and Clear output', () => {
    assert.equal(canRecheck('unavailable'), true);
    assert.match(placeholder('unavailable'), /Check again Clear output$/);
  });

  test('as does one the gateway could not check for raw values', () => {
    assert.equal(canRecheck('raw-unavailable'), true);
    assert.match(placeholder('raw-unavailable'), /Check again Clear output$/);
  });

  test('states where asking again changes nothing offer no Check again', () => {
    for (const state of ['none', 'pending', 'rejected', 'raw-value', 'signed-out']) {
      assert.equal(canRecheck(state), false, state);
      assert.doesNotMatch(placeholder(state), /Check again/, state);
    }
  });

  test('the held output wires Check again for a failed review lookup, which has no reason', () => {
    // What GatedOutput.hold spreads into the placeholder's props.
    const recheck = (): void => undefined;
    assert.deepEqual(recheckProps({ state: 'unavailable' }, recheck), { onRecheck: recheck });
    const unavailable = { reason: 'the gateway did not answer', fix: 'start it' };
    assert.deepEqual(recheckProps({ state: 'raw-unavailable', unavailable }, recheck), {
      unavailable,
      onRecheck: recheck,
    });
    for (const state of ['none', 'pending', 'rejected', 'raw-value', 'signed-out']) {
      assert.deepEqual(recheckProps({ state }, recheck), {}, state);
    }
  });

  test('the state line says what happened and how to fix it, pointing at Check again', () => {
    const line = heldStateText({ state: 'unavailable', findings: [finding] });
    assert.match(line, /could not be asked whether this output was approved/);
    assert.match(line, /Fix: check that the gateway is running .*then choose Check again\./);
  });

  test("a gateway error's own message and fix replace the general text (a 429, a timeout, …)", () => {
    const error = new GatewayError(
      'too many requests from this user.',
      'wait a minute.',
      'rate_limited',
      429,
    );
    const unavailable = approvalLookupProblem(error);
    assert.deepEqual(unavailable, {
      reason:
        'the gateway could not be asked whether it was approved (too many requests from this user)',
      fix: 'wait a minute, then choose Check again',
    });
    assert.equal(
      heldStateText({ state: 'unavailable', findings: [finding], unavailable }),
      'This output stays hidden: the gateway could not be asked whether it was approved (too many requests from this user). Fix: wait a minute, then choose Check again.',
    );
    const noFix = approvalLookupProblem(new GatewayError('the gateway did not answer', '', 'x'));
    assert.match(noFix?.fix ?? '', /^check that the gateway is running \(npm start\), then/);
    assert.equal(approvalLookupProblem(new TypeError('a bug')), undefined, 'the general text');
  });
});
