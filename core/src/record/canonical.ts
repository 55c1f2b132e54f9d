// Why: a hash chain is only verifiable if every writer and every verifier turns an entry into the
// same bytes. We use a small subset of RFC 8785 (JCS): object keys sorted by UTF-16 code units,
// no whitespace, ECMAScript number and string serialization; non-finite numbers and undefined
// values are refused rather than silently dropped or turned into null.
import type { JsonValue } from './types.js';

/** Thrown when a value cannot be encoded canonically. */
export class CanonicalJsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CanonicalJsonError';
  }
}

/** Encodes a JSON value canonically (sorted keys, no whitespace); refuses NaN, ±Infinity, undefined. */
export function canonicalJson(value: JsonValue): string {
  return encode(value, '$', 0);
}

const MAX_DEPTH = 64;

function encode(value: unknown, path: string, depth: number): string {
  if (depth > MAX_DEPTH) {
    throw new CanonicalJsonError(
      `canonical JSON: ${path} is nested deeper than ${MAX_DEPTH} levels. Fix: flatten the details`,
    );
  }
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) {
        throw new CanonicalJsonError(
          `canonical JSON: ${path} is not a finite number. Fix: record it as a string`,
        );
      }
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        return `[${value.map((v, i) => encode(v, `${path}[${i}]`, depth + 1)).join(',')}]`;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) {
        throw new CanonicalJsonError(
          `canonical JSON: ${path} is not a plain object. Fix: convert it to plain JSON first`,
        );
      }
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj).sort();
      const parts: string[] = [];
      for (const k of keys) {
        parts.push(`${JSON.stringify(k)}:${encode(obj[k], `${path}.${k}`, depth + 1)}`);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      throw new CanonicalJsonError(
        `canonical JSON: ${path} has type ${typeof value}, which JSON cannot hold. Fix: omit it or use a string`,
      );
  }
}
