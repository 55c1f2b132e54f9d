/** Shared helpers for policy tests: the valid fixture with one edit, and the issues it yields. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parsePolicy, PolicyError, formatPolicyIssue, type PolicyIssue } from '@privet/core';

/** The valid fixture policy every edit starts from. */
export const VALID = readFileSync(
  new URL('../../fixtures/policies/valid.yaml', import.meta.url),
  'utf8',
);

/** VALID with each `[from, to]` replaced (each `from` must occur exactly once). */
export function edited(...edits: [string, string][]): string {
  let text = VALID;
  for (const [from, to] of edits) {
    assert.equal(text.split(from).length, 2, `the edit ${JSON.stringify(from)} must match once`);
    text = text.replace(from, to);
  }
  return text;
}

/** The issues `text` is refused with (fails the test when it is accepted or throws otherwise). */
export function issuesOf(text: string, file = 'p.yaml'): PolicyIssue[] {
  try {
    parsePolicy(text, file);
  } catch (error) {
    assert.ok(error instanceof PolicyError, `threw ${String(error)} instead of a PolicyError`);
    for (const issue of error.issues)
      assert.match(formatPolicyIssue(issue), /^[\w.-]+\.yaml:\d+:\d+: .+\. Fix: .+$/);
    return [...error.issues];
  }
  assert.fail('the policy was accepted, but it has a defect');
}

/** The 1-based line of the first line of `text` containing `needle`. */
export function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(index >= 0, `no line contains ${JSON.stringify(needle)}`);
  return index + 1;
}
