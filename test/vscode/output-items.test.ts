import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { partsDecodeTo } from '../../vscode-ext/src/shared/output-items.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('partsDecodeTo (the host finding the output that holds a renderer item)', () => {
  test('parts joined after decoding must equal the text exactly', () => {
    assert.equal(
      partsDecodeTo([bytes('ward count\n'), bytes('Wsplita 3\n')], 'ward count\nWsplita 3\n'),
      true,
    );
    assert.equal(partsDecodeTo([bytes('ward count\n')], 'ward count\nWsplita 3\n'), false);
    assert.equal(partsDecodeTo([bytes('ward count\n')], 'ward Count\n'), false);
    assert.equal(
      partsDecodeTo([], ''),
      false,
      'an output without items of that type holds nothing',
    );
  });

  test('multi-byte, astral and invalid UTF-8 are still matched (the length bound is sound)', () => {
    assert.equal(partsDecodeTo([bytes('Zürich — 東京 😀')], 'Zürich — 東京 😀'), true);
    // Three bytes per UTF-16 unit: the upper end of the bound.
    assert.equal(partsDecodeTo([bytes('東京東京')], '東京東京'), true);
    // An invalid byte decodes to one replacement character, as in the renderer.
    assert.equal(partsDecodeTo([new Uint8Array([0x61, 0xff, 0x62])], 'a\ufffdb'), true);
    // The decoder drops a leading byte-order mark from each part.
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, 0x61]);
    assert.equal(partsDecodeTo([bom, bom], 'aa'), true);
  });

  test('outputs of another size never match', () => {
    const big = bytes('x'.repeat(10_000));
    assert.equal(partsDecodeTo([big], 'x'.repeat(100)), false);
    assert.equal(partsDecodeTo([bytes('abc')], 'abcd'), false);
  });
});
