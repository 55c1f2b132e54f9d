// Limits and hints around reading a policy: the fix a message suggests must itself be accepted,
// nesting deeper than the parser's stack is "nested too deeply" (not a stack overflow), files
// over 1 MiB are refused, and the work grows linearly with the policy (counted, not timed).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_POLICY_BYTES, parsePolicy, PolicyError } from '@privet/core';
import { VALID, edited, issuesOf } from './issues.js';

describe('a suggested fix is accepted', () => {
  test("a synthetic view's delta: the hint suggests a number, and that number loads", () => {
    for (const bad of ['0', "'1e-6'", '1']) {
      const [issue] = issuesOf(edited(['    delta: 1.0e-9\n', `    delta: ${bad}\n`]));
      assert.equal(issue!.path, 'views.people_synthetic.delta');
      const example = /^write e\.g\. (delta: .+)$/.exec(issue!.fix)?.[1];
      assert.ok(example, issue!.fix);
      assert.doesNotMatch(example, /'/, 'the view refuses a quoted delta');
      const fixed = parsePolicy(edited(['    delta: 1.0e-9\n', `    ${example}\n`]));
      const view = fixed.views.people_synthetic;
      assert.ok(view?.tier === 'synthetic' && view.delta > 0 && view.delta < 1);
    }
  });

  test("a budget's delta hint still loads where it is suggested", () => {
    const [issue] = issuesOf(edited(["delta: '1e-6', scope", "delta: 'tiny', scope"]));
    const example = /^write e\.g\. (delta: .+)$/.exec(issue!.fix)?.[1];
    assert.ok(example, issue!.fix);
    parsePolicy(edited(["delta: '1e-6', scope", `${example}, scope`]));
  });
});

describe('nesting and size', () => {
  test('nesting deeper than the parser can follow is "nested too deeply", not a stack overflow', () => {
    const n = 100_000;
    const issues = issuesOf(
      edited(['name: fixture-clinic', `name: ${'['.repeat(n)}${']'.repeat(n)}`]),
    );
    assert.equal(issues.length, 1);
    assert.match(issues[0]!.message, /nested too deeply/);
    assert.doesNotMatch(issues[0]!.message, /call stack/i);
    assert.match(issues[0]!.fix, /remove the extra nesting/);
    assert.ok(issues[0]!.path.length < 40, issues[0]!.path);
  });

  test('nesting that parses but no policy needs is refused at the level it goes too deep', () => {
    const issues = issuesOf(
      edited(['name: fixture-clinic', `name: ${'['.repeat(30)}${']'.repeat(30)}`]),
    );
    assert.equal(issues.length, 1);
    assert.match(issues[0]!.message, /nested too deeply here \(more than 20 levels/);
    assert.deepEqual(issues[0]!.position, { file: 'p.yaml', line: 3, column: 26 });
  });

  test('a file over 1 MiB is refused before it is parsed, counting UTF-8 bytes', () => {
    assert.equal(MAX_POLICY_BYTES, 1024 * 1024);
    const pad = (ch: string, bytes: number) =>
      `# ${ch.repeat(Math.ceil(bytes / new TextEncoder().encode(ch).length))}\n`;
    for (const text of [VALID + pad('x', MAX_POLICY_BYTES), VALID + pad('é', MAX_POLICY_BYTES)]) {
      const issues = issuesOf(text);
      assert.equal(issues.length, 1);
      assert.deepEqual(issues[0]!.position, { file: 'p.yaml', line: 1, column: 1 });
      assert.match(issues[0]!.message, /larger than 1048576 bytes \(1 MiB\)/);
      assert.match(issues[0]!.fix, /keep the policy to declarations/);
    }
    // Just under the limit is read as usual.
    parsePolicy(VALID + pad('x', MAX_POLICY_BYTES - VALID.length - 10));
  });
});

/** How many callbacks Array iteration methods ran while `fn` ran. */
function callbacksDuring(fn: () => void): number {
  type Method = (this: unknown, ...args: unknown[]) => unknown;
  const names = ['some', 'every', 'find', 'findIndex', 'filter', 'map', 'forEach'] as const;
  const proto = Array.prototype as unknown as Record<string, Method>;
  const saved = names.map((n) => proto[n]!);
  let count = 0;
  names.forEach((n, i) => {
    const original = saved[i]!;
    proto[n] = function (this: unknown, ...args: unknown[]) {
      const [cb, ...rest] = args;
      if (typeof cb !== 'function') return original.apply(this, args);
      const counted = function (this: unknown, ...a: unknown[]) {
        count++;
        return (cb as Method).apply(this, a);
      };
      return original.call(this, counted, ...rest);
    };
  });
  try {
    fn();
  } finally {
    names.forEach((n, i) => (proto[n] = saved[i]!));
  }
  return count;
}

/** VALID with `n` more source columns, each written as `column(i)`. */
function withColumns(n: number, column: (i: number) => string): string {
  const lines = Array.from({ length: n }, (_, i) => `      ${column(i)}\n`).join('');
  return edited(['      zip: { type: string }\n', `      zip: { type: string }\n${lines}`]);
}

describe('the work grows linearly with the policy', () => {
  test('many bad columns: every issue is found, with work proportional to their number', () => {
    const work = (n: number) =>
      callbacksDuring(() => {
        try {
          parsePolicy(withColumns(n, (i) => `c${i}: { type: strin }`));
          assert.fail('accepted');
        } catch (error) {
          assert.ok(error instanceof PolicyError);
          assert.equal(error.issues.length, n);
        }
      });
    const small = work(300);
    const large = work(1200);
    assert.ok(large < 6 * small, `4× the columns took ${(large / small).toFixed(1)}× the work`);
  });

  test('many valid columns: keys are checked for repeats with work proportional to their number', () => {
    const work = (n: number) =>
      callbacksDuring(() => {
        parsePolicy(withColumns(n, (i) => `c${i}: { type: string }`));
      });
    const small = work(500);
    const large = work(2000);
    assert.ok(large < 6 * small, `4× the columns took ${(large / small).toFixed(1)}× the work`);
  });
});
