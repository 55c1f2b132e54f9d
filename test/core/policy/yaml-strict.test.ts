// A policy is read as plain YAML 1.2: whatever YAML could make mean something other than what a
// reviewer reads — merge keys, a %YAML 1.1 header, tags, parser warnings, keys that are not text —
// is refused with the line it is on and a fix, never silently accepted.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { parsePolicy } from '@privet/core';
import { POLICY_YAML_OPTIONS } from '@privet/core/policy/yaml-options';
import { VALID, edited, issuesOf, lineOf } from './issues.js';

const EMAIL = '      email: { type: string, identifier: true }\n';
const ZIP = '      zip: { type: string }\n';

describe('YAML merge keys and directives', () => {
  test('the parser options alone read YAML 1.2 core: no merging, no 1.1 types (defence in depth)', () => {
    const doc = parseDocument(
      'a:\n  !!merge <<: { b: 1 }\n  x: 2\nc: !!omap [{ d: 1 }]\ne: !!set { f }\ng: 010\nh: yes\n',
      POLICY_YAML_OPTIONS,
    );
    assert.deepEqual(doc.toJS(), {
      a: { '<<': { b: 1 }, x: 2 },
      c: [{ d: 1 }],
      e: { f: null },
      g: 10,
      h: 'yes',
    });
  });

  test('a merge key is refused, with or without !!merge, and merges nothing', () => {
    for (const merge of ['<<', '!!merge <<']) {
      const text = edited([ZIP, `      ${merge}: { zip: { type: string, identifier: true } }\n`]);
      const issues = issuesOf(text);
      const line = lineOf(text, '<<:');
      const mergeIssue = issues.find((i) => /merge keys \("<<"\) are not allowed/.test(i.message));
      assert.ok(mergeIssue, issues.map((i) => i.message).join('\n'));
      assert.equal(mergeIssue.position.line, line);
      assert.equal(mergeIssue.path, 'sources.people.columns');
      assert.match(mergeIssue.fix, /write the keys out in full/);
      if (merge.startsWith('!!'))
        assert.ok(issues.some((i) => /tag !!merge/.test(i.message) && i.position.line === line));
    }
  });

  test('%YAML 1.1 is refused at its line; %YAML 1.2 is fine; other directives are refused', () => {
    let issues = issuesOf(`%YAML 1.1\n---\n${VALID}`);
    assert.equal(issues.length, 1);
    assert.deepEqual(issues[0]!.position, { file: 'p.yaml', line: 1, column: 1 });
    assert.match(issues[0]!.message, /declares YAML 1\.1; policies are read as YAML 1\.2/);
    assert.match(issues[0]!.fix, /remove the "%YAML" line/);
    parsePolicy(`%YAML 1.2\n---\n${VALID}`);
    issues = issuesOf(`# header\n%TAG !e! tag:example.com,2026:\n---\n${VALID}`);
    assert.equal(issues[0]!.position.line, 2);
    assert.match(issues[0]!.message, /directive %TAG is not allowed/);
    issues = issuesOf(`%YAML 1.3\n---\n${VALID}`);
    assert.match(issues[0]!.message, /declares YAML 1\.3/);
  });
});

describe('YAML tags', () => {
  test('tags other than !!str, !!int, !!float, !!bool and !!null are refused at the tag', () => {
    const cases: [string, string, string][] = [
      ['name: fixture-clinic', "name: !!js/function 'function () { return 1 }'", '!!js/function'],
      ['name: fixture-clinic', 'name: !foo fixture-clinic', '!foo'],
      ['name: fixture-clinic', 'name: ! fixture-clinic', '!'],
      ['    path: people.csv', '    path: !!binary cGVvcGxlLmNzdg==', '!!binary'],
      [
        '    columns: [zip, income, birth_date]',
        '    columns: !!set { zip, income, birth_date }',
        '!!set',
      ],
      [
        'name: fixture-clinic',
        'name: !<tag:example.com,2026:x> fixture-clinic',
        '!<tag:example.com,2026:x>',
      ],
    ];
    for (const [from, to, tag] of cases) {
      const text = edited([from, to]);
      const issues = issuesOf(text);
      const line = lineOf(text, tag);
      const issue = issues.find((i) => i.message.includes(`YAML tag ${tag} is not allowed`));
      assert.ok(issue, `${tag}: ${issues.map((i) => i.message).join('\n')}`);
      assert.deepEqual(issue.position, {
        file: 'p.yaml',
        line,
        column: text.split('\n')[line - 1]!.indexOf(tag) + 1,
      });
      assert.match(issue.fix, new RegExp(`^remove ${tag.replace(/[!<>.,:]/g, '\\$&')} and write`));
    }
  });

  test('views: !!omap no longer makes every view disappear', () => {
    const views = VALID.slice(VALID.indexOf('views:\n'), VALID.indexOf('users:\n'));
    const omap = views
      .replace('views:\n', 'views: !!omap\n')
      .replace(/^ {2}(\w+):$/gm, '  - $1:')
      .replace(/^( {4}\S)/gm, '  $1')
      .replace(/^( {6}\S)/gm, '  $1');
    const text = VALID.replace(views, omap);
    const issues = issuesOf(text);
    assert.equal(issues.length, 1, issues.map((i) => i.message).join('\n'));
    assert.equal(issues[0]!.position.line, lineOf(text, 'views: !!omap'));
    assert.match(issues[0]!.message, /YAML tag !!omap is not allowed/);
    assert.match(issues[0]!.fix, /write a plain mapping/);
  });

  test('a parser warning is refused even when the tag itself is allowed', () => {
    // !!float cannot resolve "5": the parser only warns and keeps the text.
    const text = edited(['      k: 5\n', '      k: !!float 5\n']);
    const issues = issuesOf(text);
    assert.equal(issues.length, 1);
    assert.equal(issues[0]!.position.line, lineOf(text, '!!float'));
    assert.match(issues[0]!.message, /^YAML problem: Unresolved tag/);
  });

  test('core tags that only restate a type are fine', () => {
    const policy = parsePolicy(
      edited(
        ['name: fixture-clinic', 'name: !!str fixture-clinic'],
        ['      k: 5\n', "      k: !!int '5'\n"],
        ['audit_log_days: 365', 'audit_log_days: !<tag:yaml.org,2002:int> 365'],
      ),
    );
    assert.equal(policy.name, 'fixture-clinic');
    assert.equal(policy.retention.audit_log_days, 365);
  });
});

describe('keys are text, once per mapping', () => {
  test("true: and 'true': no longer collide; the unquoted one is refused at its own line", () => {
    const text = edited([
      ZIP,
      `${ZIP}      true: { type: string, identifier: true }\n      'true': { type: string }\n`,
    ]);
    const issues = issuesOf(text);
    assert.equal(issues.length, 1, issues.map((i) => i.message).join('\n'));
    assert.deepEqual(issues[0]!.position, {
      file: 'p.yaml',
      line: lineOf(text, '      true:'),
      column: 7,
    });
    assert.equal(issues[0]!.path, 'sources.people.columns');
    assert.match(issues[0]!.message, /key true is read as true or false, not as a name/);
    assert.match(issues[0]!.fix, /quote the key \('true':\)/);
  });

  test('null:, 1: and a list as a key are refused where they are', () => {
    const keys: [string, string][] = [
      ['null', 'empty \\(null\\)'],
      ['~', 'empty \\(null\\)'],
      ['1', 'a number'],
      ['0x1f', 'a number'],
    ];
    for (const [key, kind] of keys) {
      const text = edited([EMAIL, `${EMAIL}      ${key}: { type: string }\n`]);
      const issues = issuesOf(text);
      assert.equal(issues.length, 1, `${key}: ${issues.map((i) => i.message).join('\n')}`);
      assert.equal(issues[0]!.position.line, lineOf(text, `      ${key}:`), key);
      assert.equal(issues[0]!.position.column, 7, key);
      assert.match(
        issues[0]!.message,
        new RegExp(`key ${key.replace('~', '\\~')} is read as ${kind}`),
      );
    }
    const text = edited([EMAIL, `${EMAIL}      ? [a, b]\n      : { type: string }\n`]);
    const issues = issuesOf(text);
    assert.equal(issues[0]!.position.line, lineOf(text, '? [a'));
    assert.match(issues[0]!.message, /a key here is a list, not a name/);
  });

  test('a repeated key is refused at the second, and every repeat is reported', () => {
    const text = edited([
      ZIP,
      `${ZIP}      zip: { type: integer }\n      email: { type: string }\n`,
    ]);
    const issues = issuesOf(text);
    assert.deepEqual(
      issues.map((i) => [i.path, i.position.line]),
      [
        ['sources.people.columns.zip', lineOf(text, 'zip: { type: integer }')],
        ['sources.people.columns.email', lineOf(text, 'email: { type: string }')],
      ],
    );
    assert.match(issues[0]!.message, /key "zip" appears twice under sources\.people\.columns/);
  });
});
