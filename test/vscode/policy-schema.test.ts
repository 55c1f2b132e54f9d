// The extension contributes the policy JSON Schema to VS Code's YAML/JSON validation. This checks
// the contribution points at a file the build writes, that the file is exactly core's schema, and
// that it accepts the demo policy and rejects a policy with an unknown key (what a steward sees).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { policyJsonSchema } from '@privet/core';

const root = resolve(import.meta.dirname, '../..');
const ext = join(root, 'vscode-ext');
// ajv 8 as core uses it (the root node_modules holds eslint's ajv 6).
interface Validate {
  (data: unknown): boolean;
  errors?: { keyword: string }[] | null;
}
const { Ajv } = createRequire(join(root, 'core/package.json'))('ajv') as {
  Ajv: new (options: Record<string, unknown>) => { compile(schema: object): Validate };
};

interface Contribution {
  fileMatch: string[];
  url: string;
}

test('policy files get the JSON Schema from core through yamlValidation and jsonValidation', () => {
  execFileSync(process.execPath, [join(ext, 'scripts/build.mjs')], { cwd: ext, stdio: 'pipe' });
  const manifest = JSON.parse(readFileSync(join(ext, 'package.json'), 'utf8')) as {
    contributes: { yamlValidation: Contribution[]; jsonValidation: Contribution[] };
  };
  const yaml = manifest.contributes.yamlValidation[0]!;
  const json = manifest.contributes.jsonValidation[0]!;
  assert.ok(yaml.fileMatch.includes('policy.yaml'));
  assert.equal(yaml.url, json.url);
  const schemaPath = resolve(ext, yaml.url);
  assert.equal(dirname(schemaPath), join(ext, 'dist'));
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
  assert.deepEqual(schema, JSON.parse(JSON.stringify(policyJsonSchema())));

  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  const demo = parse(readFileSync(join(root, 'gateway/demo/policy.yaml'), 'utf8')) as unknown;
  assert.equal(validate(demo), true, JSON.stringify(validate.errors));
  const withTypo = { ...(demo as Record<string, unknown>), ownr: 'x' };
  assert.equal(validate(withTypo), false);
  assert.ok(validate.errors?.some((e) => e.keyword === 'additionalProperties'));
});
