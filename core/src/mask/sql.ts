/** Small helpers for writing DuckDB SQL text safely (identifiers and literals are always quoted). */

/** Quotes an SQL identifier: `a"b` → `"a""b"`. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes an SQL string literal: `it's` → `'it''s'`. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** Lower-case hex of bytes (kept under this name for the mask module's users). */
export { bytesToHex as toHex } from '../hex.js';

/** Writes a finite JS number as an SQL numeric literal (no exponent, no locale). */
export function sqlNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  return decimalText(value);
}

/** Plain decimal text of a finite number (`1e-7` → `0.0000001`), used in SQL and labels. */
export function decimalText(value: number): string {
  const text = String(value);
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/i.exec(text);
  if (!match) return text;
  const [, sign = '', whole = '', fraction = '', exp = '0'] = match;
  const digits = whole + fraction;
  const point = whole.length + Number(exp);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
