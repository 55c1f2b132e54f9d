/**
 * The identifier scan keeps the small numbers it finds in a buffer and appends them to the
 * caller's array once, at the end: the pairs must be exactly those of the scan, appended after
 * what the array held, for texts that grow the buffer past its first size and past the size it
 * gives back, and no pair may outlive the scan that found it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { scanIdentifiers } from '@privet/core/review/identifiers';

/** The [start, end] pairs of `count` copies of "n = 3; " (the digit is at offset 4 of each). */
function expectedPairs(count: number): number[] {
  const pairs: number[] = [];
  for (let r = 0; r < count; r++) pairs.push(r * 7 + 4, r * 7 + 5);
  return pairs;
}

describe('small numbers of the identifier scan', () => {
  test('are the stand-alone numbers below the bound, appended after what the array held', () => {
    const text = 'n = 3, 12 patients, x7 4.5 9; 07 cases, 1-2 and 0 or 10';
    const found = [-1];
    scanIdentifiers(text, [], { below: 10, found });
    // "3", "07" and the "1" of "1-2"; not "12" or "10" (too large), "0", nor the digits of
    // "7 4.5 9" (one run of four digits, glued to the "x").
    const at = (s: string): number => text.indexOf(s);
    assert.deepEqual(found, [
      -1,
      at('3'),
      at('3') + 1,
      at('07'),
      at('07') + 2,
      at('1-2'),
      at('1-2') + 1,
    ]);
  });

  test('are all kept for a text of many, and the next scan starts empty', () => {
    for (const count of [1, 600, 40_000, 600_000]) {
      const text = 'n = 3; '.repeat(count);
      const found = [5, 6];
      scanIdentifiers(text, [], { below: 10, found });
      assert.equal(found.length, 2 + 2 * count);
      assert.deepEqual(found.slice(0, 2), [5, 6]);
      assert.deepEqual(found.slice(2), expectedPairs(count));
      // A scan without `small`, then one with it: only the second text's pairs.
      scanIdentifiers(text);
      const again: number[] = [];
      scanIdentifiers('n = 3; ', [], { below: 10, found: again });
      assert.deepEqual(again, [4, 5]);
    }
  });
});
