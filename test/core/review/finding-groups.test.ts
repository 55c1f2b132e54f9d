/**
 * groupFindings: the findings a reviewer reads once — same rule, severity, message and part,
 * whatever reading found them — with every reading named and how many there were.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOutput, groupFindings, type Finding } from '@privet/core/review/index';
import { svg } from './svg-fixture.js';

/** A finding of `rule` in `mime` with `message` (severity flag, no place). */
const finding = (rule: Finding['rule'], mime: string, message: string): Finding => ({
  rule,
  severity: 'flag',
  mime,
  location: { start: 0, end: 0 },
  message,
});

describe('groupFindings', () => {
  test('the readings of one part merge, named in order; other rules, messages and parts stay apart', () => {
    const groups = groupFindings([
      finding('small-cell', 'image/svg+xml', 'a count stated in text'),
      finding('small-cell', 'image/svg+xml (SVG text)', 'a count stated in text'),
      finding('small-cell', 'text/html', 'a count stated in text'),
      finding('small-cell', 'image/svg+xml (as written)', 'a count stated in text'),
      finding('small-cell', 'image/svg+xml (SVG text)', 'a count drawn as a label'),
      finding('email', 'image/svg+xml', 'a count stated in text'),
    ]);
    assert.deepEqual(
      groups.map((g) => [g.rule, g.mime, g.message, g.count]),
      [
        ['small-cell', 'image/svg+xml (text, SVG text, as written)', 'a count stated in text', 3],
        ['small-cell', 'text/html', 'a count stated in text', 1],
        ['small-cell', 'image/svg+xml (SVG text)', 'a count drawn as a label', 1],
        ['email', 'image/svg+xml', 'a count stated in text', 1],
      ],
    );
  });

  test('the same reading found twice keeps its name and counts both; severities stay apart', () => {
    const twice = groupFindings([
      finding('small-cell', 'text/plain', 'a count'),
      finding('small-cell', 'text/plain', 'a count'),
      { ...finding('small-cell', 'text/plain', 'a count'), severity: 'block' },
    ]);
    assert.deepEqual(
      twice.map((g) => [g.mime, g.severity, g.count]),
      [
        ['text/plain', 'flag', 2],
        ['text/plain', 'block', 1],
      ],
    );
  });

  test('an SVG <title> stating a small count, read three ways, is one group of three', () => {
    const svgTitle = svg('<title>only 2 patients had sarcoidosis</title>');
    const { findings } = checkOutput(svgTitle);
    assert.equal(findings.length, 3);
    const groups = groupFindings(findings);
    assert.equal(groups.length, 1);
    assert.equal(groups[0]?.count, 3);
    assert.equal(groups[0]?.mime, 'image/svg+xml (text, SVG text, as written)');
  });
});
