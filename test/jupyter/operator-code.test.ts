/**
 * A view card's operators (jupyter-ext panel/OperatorCode.tsx) wrap between their parts — after
 * "(" and "=" — so `token(join_group=patient)` in a narrow side bar does not break inside a name.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { html, load } from './render.js';

type Component = (props: Record<string, unknown>) => unknown;
const { OperatorCode, operatorParts } = await load<{
  OperatorCode: Component;
  operatorParts(text: string): string[];
}>('panel/OperatorCode.tsx');

describe('operator code in a view card', () => {
  test('splits after each "(" and "=", keeping every character', () => {
    assert.deepEqual(operatorParts('token(join_group=patient)'), [
      'token(',
      'join_group=',
      'patient)',
    ]);
    assert.deepEqual(operatorParts('keep'), ['keep']);
    assert.deepEqual(
      operatorParts('age_band(as_of=2026-01-01, width=10, top=80)').join(''),
      'age_band(as_of=2026-01-01, width=10, top=80)',
    );
  });

  test('renders the same text with a break opportunity between parts only', () => {
    const markup = html(OperatorCode, { text: 'mask_phone(keep_last=2)' });
    assert.equal(markup, '<code>mask_phone(<wbr/>keep_last=<wbr/>2)</code>');
    assert.equal(html(OperatorCode, { text: 'keep' }), '<code>keep</code>');
  });
});
