/**
 * Turns one ajv error into words a steward understands: what is wrong (with the value found),
 * and how to fix it (allowed values, a valid example). Union (`anyOf`) failures are explained from
 * their branches instead of the unhelpful "must match a schema in anyOf".
 */
import type { ErrorObject } from 'ajv';
import { hintFor } from './hints.js';
import { didYouMean, toSnakeName } from './suggest.js';
import { COMPARISONS, NOUNS, show, typeWords } from './wording.js';

/** A schema problem before its position is known. */
export interface RawSchemaIssue {
  path: (string | number)[];
  message: string;
  fix: string;
  /** Point at the key itself rather than its value. */
  atKey: boolean;
}

function withHint(path: (string | number)[], fallback: string): { why: string; fix: string } {
  const hint = hintFor(path);
  return hint
    ? { why: `; expected ${hint.what}`, fix: `write e.g. ${hint.example}` }
    : { why: '', fix: fallback };
}

/** Describes `error`; `related` are the errors of the same validation run about the same value. */
export function describeSchemaError(
  error: ErrorObject,
  path: (string | number)[],
  related: readonly ErrorObject[],
): RawSchemaIssue {
  const params = error.params as Record<string, unknown>;
  const issue = (message: string, fix: string, atKey = false): RawSchemaIssue => ({
    path,
    message,
    fix,
    atKey,
  });
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const parent = (error.parentSchema ?? {}) as Record<string, unknown>;
      if ('patternProperties' in parent)
        return {
          path: [...path, key],
          message: `"${key}" is not a valid name: names are lower_snake_case (a lowercase letter, then lowercase letters, digits or _, at most 63)`,
          fix: `rename it, e.g. to "${toSnakeName(key)}"`,
          atKey: true,
        };
      const allowed = Object.keys((parent.properties ?? {}) as object);
      return {
        path: [...path, key],
        message: `unknown key "${key}"${didYouMean(key, allowed)}`,
        fix: allowed.length ? `remove it or use one of: ${allowed.join(', ')}` : 'remove it',
        atKey: true,
      };
    }
    case 'required': {
      const key = String(params.missingProperty);
      const hint = hintFor([key]);
      const where = path.length ? path.join('.') : 'the top level';
      return issue(
        `missing required key "${key}"`,
        `add "${key}:" under ${where}${hint ? ` (${hint.what}), e.g. ${hint.example}` : ''}`,
        path.length > 0,
      );
    }
    case 'discriminator': {
      const tag = String(params.tag);
      const branches = ((error.parentSchema as { oneOf?: unknown[] } | undefined)?.oneOf ?? []) as {
        properties?: Record<string, { const?: unknown }>;
      }[];
      const known = branches.map((b) => String(b.properties?.[tag]?.const));
      const value = (error.data as Record<string, unknown> | undefined)?.[tag];
      const what = tag === 'op' ? 'masking operator' : tag;
      return {
        path: [...path, tag],
        message:
          value === undefined
            ? `missing "${tag}"`
            : typeof value !== 'string'
              ? `${tag} must be a name, not ${show(value)}`
              : `unknown ${what} ${show(value)}${didYouMean(value, known)}`,
        fix: `set ${tag} to one of: ${known.join(', ')}`,
        atKey: value === undefined,
      };
    }
    case 'const':
      if (path.length === 1 && path[0] === 'version')
        return issue(
          `unsupported policy version ${show(error.data)}: this Privet reads version 1`,
          'write "version: 1" (or upgrade Privet to read newer policy files)',
        );
      return issue(
        `must be ${show(params.allowedValue)}, not ${show(error.data)}`,
        `write ${show(params.allowedValue)}`,
      );
    case 'type': {
      const { why, fix } = withHint(path, `write ${typeWords(params.type)} here`);
      return issue(`must be ${typeWords(params.type)}, not ${show(error.data)}${why}`, fix);
    }
    case 'pattern': {
      if (String(params.pattern).startsWith('^[a-z]'))
        return issue(
          `${show(error.data)} is not a valid name: names are lower_snake_case`,
          `write e.g. ${JSON.stringify(toSnakeName(String(error.data)))}`,
        );
      const { why, fix } = withHint(path, 'see `privet policy schema` for the expected form');
      return issue(`${show(error.data)} has the wrong form${why}`, fix);
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const bound = `${COMPARISONS[String(params.comparison)] ?? String(params.comparison)} ${String(params.limit)}`;
      const { why, fix } = withHint(path, `use a value ${bound}`);
      return issue(`must be ${bound}, not ${show(error.data)}${why}`, fix);
    }
    case 'minItems':
    case 'minProperties': {
      const last = [...path].reverse().find((p) => typeof p === 'string');
      const noun = NOUNS[String(last)] ?? 'entry';
      const limit = Number(params.limit);
      if (limit <= 1)
        return issue(`must list at least one ${noun}, but is empty`, `add at least one ${noun}`);
      const { why, fix } = withHint(path, `list at least ${limit} entries`);
      return issue(`must have at least ${limit} entries${why}`, fix);
    }
    case 'maxItems':
    case 'minLength':
      return issue(
        error.keyword === 'minLength' ? 'must not be empty' : 'has too many entries',
        withHint(path, 'see `privet policy schema`').fix,
      );
    case 'uniqueItems': {
      const items = Array.isArray(error.data) ? (error.data as unknown[]) : [];
      const j = Number(params.i);
      return {
        path: [...path, j],
        message: `lists ${show(items[j])} twice`,
        fix: 'remove the repeated entry',
        atKey: false,
      };
    }
    case 'format':
      return issue(
        `${show(error.data)} is not a calendar date written YYYY-MM-DD`,
        `write e.g. ${hintFor(path)?.example ?? "'2026-01-01'"}`,
      );
    case 'anyOf':
      return describeUnion(error, path, related);
    default:
      return issue(
        `${error.message ?? 'is invalid'}`,
        withHint(path, 'see `privet policy schema`').fix,
      );
  }
}

function describeUnion(
  error: ErrorObject,
  path: (string | number)[],
  related: readonly ErrorObject[],
): RawSchemaIssue {
  const branches = (Array.isArray(error.schema) ? error.schema : []) as Record<string, unknown>[];
  const consts = branches.filter((b) => 'const' in b).map((b) => String(b.const));
  if (consts.length > 0 && consts.length === branches.length) {
    const last = [...path].reverse().find((p) => typeof p === 'string');
    const noun = NOUNS[String(last)] ?? `value for "${String(last)}"`;
    return {
      path,
      message: `${show(error.data)} is not a valid ${noun}${didYouMean(String(error.data), consts)}`,
      fix: `use one of: ${consts.join(', ')}`,
      atKey: false,
    };
  }
  // A branch of the right type that failed a finer check (range, pattern) says the most.
  const finer = related.find(
    (e) =>
      e.instancePath === error.instancePath &&
      e.schemaPath.startsWith(`${error.schemaPath}/`) &&
      e.keyword !== 'type' &&
      e.keyword !== 'anyOf',
  );
  if (finer) return describeSchemaError(finer, path, related);
  const types = branches.map((b) => b.type).filter((t) => t !== undefined);
  const { why, fix } = withHint(path, `write ${typeWords(types)} here`);
  return {
    path,
    message: `must be ${typeWords(types)}, not ${show(error.data)}${why}`,
    fix,
    atKey: false,
  };
}
