/**
 * Schema validation of a parsed policy with ajv. ajv reports every failed branch of a union plus
 * a summary; we keep one issue per offending value (the summary, explained from its branches) so
 * a single mistake yields a single message. Wording lives in schema-messages.ts.
 */
import { Ajv, type ErrorObject } from 'ajv';
import { Policy } from './schema.js';
import { describeSchemaError, type RawSchemaIssue } from './schema-messages.js';
import { describeSchema } from './schema-docs.js';

export type { RawSchemaIssue } from './schema-messages.js';

/** True for a real calendar date written YYYY-MM-DD (2026-02-30 and 2026-13-01 are not). */
export function isIsoDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

const ajv = new Ajv({
  allErrors: true,
  discriminator: true,
  strict: true,
  strictRequired: false,
  allowUnionTypes: true,
  verbose: true,
});
ajv.addFormat('date', { type: 'string', validate: isIsoDate });
const validatePolicy = ajv.compile(Policy);

function splitPointer(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** Validates `data` against the policy schema; returns human-worded issues (empty when valid). */
export function schemaIssues(data: unknown): RawSchemaIssue[] {
  if (validatePolicy(data)) return [];
  const errors = validatePolicy.errors ?? [];
  // Errors by the value they are about: every comparison below is between errors of one value,
  // so indexing keeps the work linear in the number of errors (4,000 bad columns, 16,000 errors).
  const atPath = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    const list = atPath.get(e.instancePath);
    if (list) list.push(e);
    else atPath.set(e.instancePath, [e]);
  }
  const sameValue = (e: ErrorObject): readonly ErrorObject[] => atPath.get(e.instancePath) ?? [];
  // Errors inside a failed union's branches are explained by the union's own issue.
  const insideUnion = (e: ErrorObject) =>
    sameValue(e).some(
      (u) => u !== e && u.keyword === 'anyOf' && e.schemaPath.startsWith(`${u.schemaPath}/`),
    );
  const chosen = errors.filter(
    (e) => e.keyword !== 'oneOf' && e.keyword !== 'if' && !insideUnion(e),
  );
  // One issue per offending value: the first error at a path wins (several missing keys of one
  // mapping stay separate issues). A missing discriminator is already a "missing required key".
  const seen = new Set<string>();
  const out: RawSchemaIssue[] = [];
  for (const e of chosen) {
    if (e.keyword === 'discriminator' && isMissingTag(e)) continue;
    const issue = describeSchemaError(e, splitPointer(e.instancePath), sameValue(e));
    const key =
      e.keyword === 'required' ? `${issue.path.join('.')}|${issue.message}` : issue.path.join('.');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(issue);
  }
  // Fail closed: an invalid policy always yields at least one issue, worded or not.
  if (out.length === 0)
    out.push({
      path: [],
      message: 'the policy does not match the policy schema',
      fix: 'compare it with `privet policy schema` and the demo policy',
      atKey: false,
    });
  return out;
}

function isMissingTag(e: ErrorObject): boolean {
  const tag = String((e.params as { tag?: unknown }).tag);
  const data = e.data as Record<string, unknown> | null | undefined;
  return typeof data === 'object' && data !== null && data[tag] === undefined;
}

/**
 * The policy JSON Schema (draft-07) as a plain object, for editors and `privet policy schema`,
 * with each key's meaning and an example as its description.
 */
export function policyJsonSchema(): object {
  const schema = describeSchema(JSON.parse(JSON.stringify(Policy)) as Record<string, unknown>);
  return { $schema: 'http://json-schema.org/draft-07/schema#', ...schema };
}
