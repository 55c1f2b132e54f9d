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
  const out: string[] = [];
  encode(value, out, []);
  return out.join('');
}

const MAX_DEPTH = 64;

/** The JSONPath-like location of the value at `trail` (built only for an error message). */
function pathOf(trail: readonly (string | number)[]): string {
  return trail.map((step) => (typeof step === 'number' ? `[${step}]` : `.${step}`)).join('');
}

/**
 * Appends the canonical encoding of `value` to `out`. `trail` holds the keys and indices leading
 * to it: kept as a stack and turned into a path only for an error, as building a path string per
 * value made encoding a large notebook several times slower.
 */
function encode(value: unknown, out: string[], trail: (string | number)[]): void {
  if (trail.length > MAX_DEPTH) {
    throw new CanonicalJsonError(
      `canonical JSON: $${pathOf(trail)} is nested deeper than ${MAX_DEPTH} levels. Fix: flatten the details`,
    );
  }
  if (value === null) return void out.push('null');
  switch (typeof value) {
    case 'boolean':
      return void out.push(value ? 'true' : 'false');
    case 'string':
      return void out.push(JSON.stringify(value));
    case 'number':
      if (!Number.isFinite(value)) {
        throw new CanonicalJsonError(
          `canonical JSON: $${pathOf(trail)} is not a finite number. Fix: record it as a string`,
        );
      }
      return void out.push(JSON.stringify(value));
    case 'object': {
      if (Array.isArray(value)) {
        out.push('[');
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out.push(',');
          trail.push(i);
          encode(value[i], out, trail);
          trail.pop();
        }
        return void out.push(']');
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) {
        throw new CanonicalJsonError(
          `canonical JSON: $${pathOf(trail)} is not a plain object. Fix: convert it to plain JSON first`,
        );
      }
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj).sort();
      out.push('{');
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        out.push(i > 0 ? ',' : '', JSON.stringify(k), ':');
        trail.push(k);
        encode(obj[k], out, trail);
        trail.pop();
      }
      return void out.push('}');
    }
    default:
      throw new CanonicalJsonError(
        `canonical JSON: $${pathOf(trail)} has type ${typeof value}, which JSON cannot hold. Fix: omit it or use a string`,
      );
  }
}
