// The policy model beyond single defects: the demo policy, the exported JSON Schema (what editors
// validate against), several issues at once, and the helpers behind the messages.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse as parseYaml } from 'yaml';
import { parsePolicy, PolicyError, policyJsonSchema } from '@privet/core';
import { isIsoDate } from '@privet/core/policy/validate-schema';
import { closest, didYouMean, toSnakeName } from '@privet/core/policy/suggest';

const demoText = readFileSync(
  new URL('../../../gateway/demo/policy.yaml', import.meta.url),
  'utf8',
);
const validText = readFileSync(
  new URL('../../fixtures/policies/valid.yaml', import.meta.url),
  'utf8',
);

// ajv 8 as core declares it (the root node_modules holds eslint's ajv 6), as a fresh instance.
interface Validator {
  (data: unknown): boolean;
  errors?: unknown;
}
interface AjvLike {
  validateSchema(schema: object): boolean;
  compile(schema: object): Validator;
  addFormat(name: string, format: RegExp): unknown;
  errors?: unknown;
}
const requireFromCore = createRequire(new URL('../../../core/package.json', import.meta.url));
const { Ajv } = requireFromCore('ajv') as { Ajv: new (options: object) => AjvLike };

/** Every object schema inside `node`, with its JSON pointer. */
function objectSchemas(node: unknown, at = '#'): [string, Record<string, unknown>][] {
  if (node === null || typeof node !== 'object') return [];
  const out: [string, Record<string, unknown>][] = [];
  const record = node as Record<string, unknown>;
  if (record.type === 'object') out.push([at, record]);
  for (const [k, v] of Object.entries(record)) out.push(...objectSchemas(v, `${at}/${k}`));
  return out;
}

describe('policy model', () => {
  test('the demo policy parses', () => {
    const policy = parsePolicy(demoText, 'gateway/demo/policy.yaml');
    assert.deepEqual(Object.keys(policy.sources), ['patients', 'visits']);
    assert.deepEqual(Object.keys(policy.views), [
      'patients_masked',
      'visits_masked',
      'patients_synthetic',
      'patients_dp',
      'visits_dp',
    ]);
    assert.equal(policy.sources.patients?.columns.national_id?.identifier, true);
  });

  test('policyJsonSchema() is a valid draft-07 schema that accepts the demo policy', () => {
    const schema = policyJsonSchema() as Record<string, unknown>;
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    assert.deepEqual(JSON.parse(JSON.stringify(schema)), schema, 'plain JSON, no symbols');
    const ajv = new Ajv({ strict: false, discriminator: true });
    ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(ajv.validateSchema(schema), true, JSON.stringify(ajv.errors));
    const validate = ajv.compile(schema);
    assert.equal(validate(parseYaml(demoText)), true, JSON.stringify(validate.errors));
    const bad = parseYaml(validText) as { views: Record<string, Record<string, unknown>> };
    bad.views.people_dp!.tier = 'aggregate';
    assert.equal(validate(bad), false);
  });

  test('every object in the schema is closed: unknown keys and bad names are errors', () => {
    const objects = objectSchemas(policyJsonSchema());
    assert.ok(objects.length > 15);
    for (const [at, schema] of objects) {
      // A discriminated union is closed through its branches, which are checked in turn.
      if (Array.isArray(schema.oneOf)) continue;
      assert.equal(schema.additionalProperties, false, at);
    }
  });

  test('independent defects are all reported at once, in one PolicyError message', () => {
    const text = validText
      .replace('    format: csv', '    format: xlsx')
      .replace('      k: 5\n', '      k: 1\n');
    assert.throws(
      () => parsePolicy(text, 'two.yaml'),
      (error: unknown) => {
        assert.ok(error instanceof PolicyError);
        assert.deepEqual(
          error.issues.map((i) => `${i.position.line}:${i.position.column} ${i.path}`),
          ['7:13 sources.people.format', '26:10 views.people_masked.k_anonymity.k'],
        );
        assert.equal(error.message.split('\n').length, 2);
        assert.match(
          error.message,
          /^two\.yaml:7:13: sources\.people\.format: .*Fix: use one of: csv, parquet$/m,
        );
        return true;
      },
    );
  });

  test('budget epsilon and delta are exact decimal text or numbers, with short exponents', () => {
    const withBudget = (epsilon: string, delta: string) =>
      validText.replace("epsilon: '1.0', delta: '1e-6'", `epsilon: ${epsilon}, delta: ${delta}`);
    for (const [e, d] of [
      ["'0.25'", "'1e-6'"],
      ['2', '0.000001'],
      ["'3'", "'1E-9'"],
    ] as const)
      assert.equal(parsePolicy(withBudget(e, d)).budgets[0]?.scope, 'experiment', `${e} ${d}`);
    for (const [e, d, path] of [
      ["'1e99999'", "'1e-6'", 'budgets.0.epsilon'],
      ["'-1'", "'1e-6'", 'budgets.0.epsilon'],
      ["'1.0'", "'2'", 'budgets.0.delta'],
      ["'1.0'", "'1/2'", 'budgets.0.delta'],
    ] as const)
      assert.throws(
        () => parsePolicy(withBudget(e, d)),
        (error: unknown) => error instanceof PolicyError && error.issues[0]?.path === path,
        `${e} ${d}`,
      );
  });

  test('the file name given is the one reported', () => {
    assert.throws(
      () => parsePolicy('version: 1\n', 'configs/clinic.yaml'),
      (error: unknown) =>
        error instanceof PolicyError &&
        error.issues.length === 7 &&
        error.message
          .split('\n')
          .every((l) => l.startsWith('configs/clinic.yaml:1:1: missing required key')),
    );
  });

  test('isIsoDate accepts only real calendar dates', () => {
    for (const d of ['2026-01-01', '2024-02-29', '1999-12-31']) assert.equal(isIsoDate(d), true, d);
    for (const d of [
      '2025-02-29',
      '2026-13-01',
      '2026-00-10',
      '2026-04-31',
      '26-01-01',
      '2026-1-1',
      '2026-01-01T00:00',
    ])
      assert.equal(isIsoDate(d), false, d);
  });

  test('suggestions: close matches only, and names rewritten to lower_snake_case', () => {
    assert.equal(closest('identifer', ['type', 'identifier', 'bounds']), 'identifier');
    assert.equal(closest('xyz', ['type', 'identifier', 'bounds']), undefined);
    assert.equal(didYouMean('peeple', ['people', 'visits']), ' (did you mean "people"?)');
    assert.equal(didYouMean('people', ['people']), '');
    assert.equal(toSnakeName('People_DP'), 'people_dp');
    assert.equal(toSnakeName('birthDate'), 'birth_date');
    assert.equal(toSnakeName('2nd column'), 'x_2nd_column');
    assert.match(toSnakeName('A'.repeat(80)), /^[a-z][a-z0-9_]{0,62}$/);
  });
});
