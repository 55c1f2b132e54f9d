/**
 * Schema validation of a parsed policy with ajv, turning ajv's errors into PolicyIssues that say
 * what is wrong and how to fix it in words a steward understands.
 */
import { Ajv, type ErrorObject } from 'ajv';
import { Policy } from './schema.js';

const ajv = new Ajv({
  allErrors: true,
  discriminator: true,
  strict: true,
  strictRequired: false,
  allowUnionTypes: true,
  verbose: true,
});
ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
const validatePolicy = ajv.compile(Policy);

/** A schema problem before its position is known. */
export interface RawSchemaIssue {
  path: (string | number)[];
  message: string;
  fix: string;
  /** Point at the key itself rather than its value. */
  atKey: boolean;
}

function splitPointer(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function allowedKeys(schema: unknown): string[] {
  if (schema && typeof schema === 'object' && 'properties' in schema) {
    return Object.keys((schema as { properties: object }).properties);
  }
  return [];
}

function describe(error: ErrorObject): RawSchemaIssue {
  const path = splitPointer(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const parent = error.parentSchema as Record<string, unknown> | undefined;
      if (parent && 'patternProperties' in parent) {
        return {
          path: [...path, key],
          message: `"${key}" is not a valid name`,
          fix: 'names are lower_snake_case: a lowercase letter, then lowercase letters, digits or _ (at most 63)',
          atKey: true,
        };
      }
      const allowed = allowedKeys(parent);
      return {
        path: [...path, key],
        message: `unknown key "${key}"`,
        fix: allowed.length ? `remove it or use one of: ${allowed.join(', ')}` : 'remove it',
        atKey: true,
      };
    }
    case 'required':
      return {
        path,
        message: `missing required key "${String(params.missingProperty)}"`,
        fix: `add "${String(params.missingProperty)}:" here`,
        atKey: path.length > 0,
      };
    case 'discriminator': {
      const tag = String(params.tag);
      const known = tag === 'op' ? opNames() : ['masked', 'synthetic', 'dp'];
      return {
        path: [...path, tag],
        message: `"${tag}" is missing or not one of the known values`,
        fix: `set ${tag} to one of: ${known.join(', ')}`,
        atKey: false,
      };
    }
    case 'const':
      return {
        path,
        message: `must be ${JSON.stringify(params.allowedValue)}`,
        fix: `write ${JSON.stringify(params.allowedValue)}`,
        atKey: false,
      };
    case 'type':
      return {
        path,
        message: `must be of type ${String(params.type)}`,
        fix: `give a ${String(params.type)} here`,
        atKey: false,
      };
    case 'pattern':
      return {
        path,
        message: 'has the wrong form',
        fix: path.includes('epsilon')
          ? 'write a positive decimal such as 1 or "0.5"'
          : 'names are lower_snake_case: a lowercase letter, then lowercase letters, digits or _',
        atKey: false,
      };
    case 'anyOf': {
      const last = path[path.length - 1];
      if (last === 'tier' || last === 'roles' || path.includes('roles')) {
        return {
          path,
          message: 'is not a known role',
          fix: 'use analyst, reviewer or steward',
          atKey: false,
        };
      }
      return {
        path,
        message: 'is not one of the allowed values',
        fix: 'see the policy schema for the allowed values',
        atKey: false,
      };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return {
        path,
        message: `must be ${error.message ?? 'in range'}`,
        fix: `use a value ${String(error.message ?? '').replace(/^must be /, '')}`,
        atKey: false,
      };
    case 'minItems':
    case 'minProperties':
      return { path, message: 'must not be empty', fix: 'list at least one entry', atKey: false };
    case 'uniqueItems':
      return {
        path,
        message: 'lists the same entry twice',
        fix: 'remove the duplicate',
        atKey: false,
      };
    case 'format':
      return {
        path,
        message: `must be a ${String(params.format)}`,
        fix: 'write a date as YYYY-MM-DD',
        atKey: false,
      };
    default:
      return {
        path,
        message: error.message ?? 'is invalid',
        fix: 'see the policy schema',
        atKey: false,
      };
  }
}

function opNames(): string[] {
  return [
    'keep',
    'drop',
    'token',
    'mask_email',
    'mask_phone',
    'mask_chars',
    'date_trunc',
    'age_band',
    'prefix',
    'numeric_range',
  ];
}

/** Validates `data` against the policy schema; returns human-worded issues (empty when valid). */
export function schemaIssues(data: unknown): RawSchemaIssue[] {
  if (validatePolicy(data)) return [];
  const errors = validatePolicy.errors ?? [];
  // anyOf/oneOf produce one error per failed branch plus a summary; keep the most specific ones.
  const specific = errors.filter(
    (e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf' && e.keyword !== 'if',
  );
  const branchNoise = new Set(
    errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath),
  );
  const chosen: ErrorObject[] = [];
  for (const e of specific) {
    if (
      branchNoise.has(e.instancePath) &&
      (e.keyword === 'type' ||
        e.keyword === 'const' ||
        e.keyword === 'pattern' ||
        e.keyword === 'exclusiveMinimum')
    )
      continue;
    chosen.push(e);
  }
  for (const e of errors) if (e.keyword === 'anyOf') chosen.push(e);
  const seen = new Set<string>();
  const out: RawSchemaIssue[] = [];
  for (const e of chosen) {
    const issue = describe(e);
    const key = `${issue.path.join('.')}|${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(issue);
  }
  return out;
}

/** The policy JSON Schema as a plain object (for editors and `privet policy schema`). */
export function policyJsonSchema(): object {
  return JSON.parse(JSON.stringify(Policy)) as object;
}
