/**
 * Compiles a policy masking operator into a DuckDB SQL expression over one raw column, so a whole
 * masked view is one vectorized SELECT. Each compiled column carries its output type, the format
 * every value must match (checked again after writing) and a human description for the manifest.
 */
import type { MaskOperator, SourceColumn } from '../policy/schema.js';
import { ageBandSql, dateTruncSql, numericRangeSql, prefixSql } from './generalize.js';
import { hmacSha256Sql } from './hmac.js';
import { maskCharsSql, maskEmailSql, maskPhoneSql, type MaskSql } from './masks.js';
import { quoteIdent } from './sql.js';

/** DuckDB types of published columns. */
export type PublishedType = 'VARCHAR' | 'BIGINT' | 'DOUBLE' | 'DATE' | 'BOOLEAN';

/** The DuckDB type each declared column type is loaded as (the gateway's canonical raw types). */
export const CANONICAL_TYPES: Record<SourceColumn['type'], PublishedType> = {
  integer: 'BIGINT',
  number: 'DOUBLE',
  string: 'VARCHAR',
  date: 'DATE',
  boolean: 'BOOLEAN',
};

/** Hex characters of a published token (128 bits). */
export const TOKEN_HEX_CHARS = 32;

/** One published column: SQL, type, format and description. */
export interface CompiledColumn {
  name: string;
  /** SQL expression over the raw column (quoted). May embed key material when `secret`. */
  sql: string;
  type: PublishedType;
  /** Full-match regular expression (RE2/JS) every non-NULL value matches, if the operator has one. */
  format?: string;
  /** Human description, e.g. `token(join_group=patient)`. */
  operator: string;
  /** True when `sql` embeds key bytes: never log it or echo errors raised while running it. */
  secret: boolean;
}

/** Describes an operator with its parameters, e.g. `mask_phone(keep_last=2)`. */
export function describeOperator(op: MaskOperator): string {
  const params = Object.entries(op)
    .filter(([key, value]) => key !== 'op' && value !== undefined)
    .map(([key, value]) => `${key}=${String(value)}`);
  return params.length === 0 ? op.op : `${op.op}(${params.join(', ')})`;
}

function varchar(column: string): string {
  return `CAST(${quoteIdent(column)} AS VARCHAR)`;
}

function masked(name: string, op: MaskOperator, mask: MaskSql): CompiledColumn {
  return {
    name,
    sql: mask.sql,
    type: 'VARCHAR',
    format: mask.format,
    operator: describeOperator(op),
    secret: false,
  };
}

/**
 * Compiles `op` applied to raw column `name` (declared `declaredType`). Returns undefined for
 * `drop`. `tokenKey` (32 bytes, derived per column) is required for `token`.
 */
export function compileOperator(
  name: string,
  op: MaskOperator,
  declaredType: SourceColumn['type'],
  tokenKey?: Uint8Array,
): CompiledColumn | undefined {
  const col = quoteIdent(name);
  switch (op.op) {
    case 'drop':
      return undefined;
    case 'keep': {
      const type = CANONICAL_TYPES[declaredType];
      const cast = `CAST(${col} AS ${type})`;
      // DuckDB groups -0.0 with 0.0 (one k-anonymity class) but prints and stores them apart:
      // a class of k would show as two smaller ones. Every zero is published as 0.0.
      const sql =
        type === 'DOUBLE' ? `(CASE WHEN ${cast} = 0 THEN 0.0::DOUBLE ELSE ${cast} END)` : cast;
      return { name, sql, type, operator: 'keep', secret: false };
    }
    case 'token':
      if (!tokenKey) throw new Error(`token operator on "${name}" needs a derived key`);
      return {
        name,
        sql: hmacSha256Sql(col, tokenKey, TOKEN_HEX_CHARS),
        type: 'VARCHAR',
        format: `[0-9a-f]{${TOKEN_HEX_CHARS}}`,
        operator: describeOperator(op),
        secret: true,
      };
    case 'mask_email':
      return masked(name, op, maskEmailSql(varchar(name)));
    case 'mask_phone':
      return masked(name, op, maskPhoneSql(varchar(name), op.keep_last ?? 0));
    case 'mask_chars':
      return masked(name, op, maskCharsSql(varchar(name), op.keep_first ?? 0, op.keep_last ?? 0));
    case 'date_trunc':
      return masked(name, op, dateTruncSql(`CAST(${col} AS DATE)`, op.to));
    case 'age_band':
      return masked(name, op, ageBandSql(`CAST(${col} AS DATE)`, op.as_of, op.width, op.top));
    case 'prefix':
      return masked(name, op, prefixSql(varchar(name), op.keep));
    case 'numeric_range':
      return masked(name, op, numericRangeSql(col, op.width, op.bottom, op.top));
    default: {
      const unknown: never = op;
      throw new Error(
        `unknown masking operator ${JSON.stringify((unknown as { op?: unknown }).op)}`,
      );
    }
  }
}

/** True when `value` matches a compiled column's format in full (JavaScript side of the check). */
export function matchesFormat(format: string, value: string): boolean {
  return new RegExp(`^(?:${format})$`, 'u').test(value);
}
