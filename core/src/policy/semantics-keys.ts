/**
 * Why: a column's public key list (`categories` of a source column, `public_keys` of a dp view)
 * is the set of groups a DP query releases, each with fresh noise. Listed twice, a group would be
 * released twice for the price of once, so two entries that the query engine reads as the same
 * value (1 and '1' on an integer column, after converting to the column's type) are refused, and
 * so is an entry the column cannot hold ('abc' on an integer column would become NaN).
 */
import type { SourceColumn } from './schema.js';
import type { AddIssue } from './semantics-views.js';
import { isIsoDate } from './validate-schema.js';
import { show } from './wording.js';

const INTEGER_TEXT = /^[+-]?\d+$/;
const DECIMAL_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** The value `key` stands for in a column of `type` (as the query engine compares it), or why not. */
function normalized(
  key: string | number,
  type: SourceColumn['type'],
): { value: string } | { wrong: string; fix: string } {
  switch (type) {
    case 'integer': {
      const n = typeof key === 'number' ? key : INTEGER_TEXT.test(key) ? Number(key) : NaN;
      if (!Number.isSafeInteger(n))
        return Number.isInteger(n)
          ? { wrong: 'is beyond ±2^53, too large to compare exactly', fix: 'use a smaller value' }
          : { wrong: 'is not a whole number', fix: 'write whole numbers, e.g. [0, 1, 2]' };
      return { value: String(n) };
    }
    case 'number': {
      const n = typeof key === 'number' ? key : DECIMAL_TEXT.test(key) ? Number(key) : NaN;
      if (!Number.isFinite(n))
        return { wrong: 'is not a number', fix: "write numbers, e.g. [0, 1, '2.5']" };
      return { value: String(n) };
    }
    case 'boolean':
      if (key === 'true' || key === 'false') return { value: key };
      return {
        wrong: "is not 'true' or 'false'",
        fix: "write ['false', 'true'] or remove the list",
      };
    case 'date':
      if (typeof key === 'string' && isIsoDate(key)) return { value: key };
      return {
        wrong: 'is not a calendar date written YYYY-MM-DD',
        fix: "write dates in quotes, e.g. ['2026-01-01']",
      };
    case 'string':
      // Unquoted, 02134 is the number 2134 in YAML: the leading zero would be lost silently.
      if (typeof key === 'string') return { value: key };
      return {
        wrong: 'is a number',
        fix: `write it in quotes as the text it stands for, e.g. '${key}'`,
      };
  }
}

/**
 * Checks the public key list `keys` of column `column` (of `type`) at `at`: every entry fits the
 * column's type, and no two entries are the same value once converted to it.
 */
export function checkKeyList(
  keys: readonly (string | number)[],
  column: string,
  type: SourceColumn['type'],
  at: (string | number)[],
  add: AddIssue,
): void {
  const first = new Map<string, number>();
  keys.forEach((key, i) => {
    const n = normalized(key, type);
    if ('wrong' in n) {
      add(
        [...at, i],
        `${show(key)} ${n.wrong}, but "${column}" is ${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type} column`,
        n.fix,
        false,
      );
      return;
    }
    const earlier = first.get(n.value);
    if (earlier === undefined) {
      first.set(n.value, i);
      return;
    }
    const same = show(keys[earlier]);
    add(
      [...at, i],
      `repeats ${same === show(key) ? show(key) : `${show(key)}, the same ${type} value as ${same}`} (entry ${earlier + 1}), so its group would be released more than once`,
      'remove the repeated entry: list each value once',
      false,
    );
  });
}
