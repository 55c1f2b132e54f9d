// The VS Code extension's policy diagnostics (vscode-ext/src/policy): the checker's errors, with
// their fix, and its notes land on the key they are about, by the same line and column as
// `privet policy check`; the files checked are the ones the policy JSON Schema is given for.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { isPolicyFile, policyProblems } from '../../vscode-ext/src/policy/policy-problems.js';

const root = resolve(import.meta.dirname, '../..');
const demo = readFileSync(join(root, 'gateway/demo/policy.yaml'), 'utf8');
const valid = readFileSync(join(root, 'test/fixtures/policies/valid.yaml'), 'utf8');

describe('policy problems for the editor', () => {
  test("a valid policy has only the checker's notes, on their keys", () => {
    const problems = policyProblems(demo, 'gateway/demo/policy.yaml');
    assert.deepEqual(
      problems.map((p) => [p.severity, p.path, p.line, p.start, p.end]),
      [
        ['information', 'views.patients_masked.k_anonymity', 56, 4, 16],
        ['information', 'views.visits_masked.k_anonymity', 70, 4, 16],
      ],
    );
    assert.match(
      problems[0]!.message,
      /^view patients_masked: k = 5 holds for each row on its own/,
    );
    assert.equal(demo.split('\n')[56]!.slice(4, 16), 'k_anonymity:');
  });

  test('an error is marked on the offending value, with what is wrong and the fix', () => {
    const text = valid.replace(
      'scope: experiment }',
      "scope: experiment, max_query_epsilon: '1.5' }",
    );
    const [problem, ...rest] = policyProblems(text, 'policy.yaml');
    assert.equal(rest.length, 0);
    assert.deepEqual(
      [problem?.severity, problem?.path, problem?.line, problem?.start, problem?.end],
      ['error', 'budgets.0.max_query_epsilon', 43, 91, 96],
    );
    assert.equal(text.split('\n')[43]!.slice(91, 96), "'1.5'");
    assert.match(
      problem!.message,
      /is above the budget's epsilon 1.*\. Fix: lower it to at most 1/,
    );
  });

  test('a YAML syntax error and a file that is not a mapping are problems too', () => {
    const syntax = policyProblems(
      valid.replace('roles: [analyst] }', 'roles: [analyst }'),
      'p.yaml',
    );
    assert.equal(syntax[0]?.severity, 'error');
    assert.match(syntax[0]!.message, /YAML syntax error.*Fix: /);
    const empty = policyProblems('', 'p.yaml');
    assert.deepEqual([empty[0]?.line, empty[0]?.start, empty[0]?.severity], [0, 0, 'error']);
  });

  test('the files checked are those the policy schema is contributed for', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'vscode-ext/package.json'), 'utf8')) as {
      contributes: { yamlValidation: { fileMatch: string[] }[] };
    };
    const globs = manifest.contributes.yamlValidation[0]!.fileMatch;
    assert.deepEqual(globs, ['policy.yaml', '*.policy.yaml', 'privet-policy.yaml']);
    for (const name of [
      '/w/policy.yaml',
      'C:\\w\\policy.yaml',
      '/w/clinic.policy.yaml',
      '/w/privet-policy.yaml',
    ])
      assert.equal(isPolicyFile(name), true, name);
    for (const name of ['/w/mypolicy.yaml', '/w/policy.yml', '/w/policy.yaml.bak', '/w/notes.yaml'])
      assert.equal(isPolicyFile(name), false, name);
  });
});
