/**
 * Format-preserving masks as DuckDB SQL over a VARCHAR expression. Each returns the expression and
 * the regular expression (RE2 and JavaScript compatible, matched in full) that every output value
 * matches, so the publisher can prove 100% of a column is masked. Values a mask cannot parse are
 * replaced entirely (`***`), never passed through.
 */
import { sqlString } from './sql.js';

/** An SQL expression plus the full-match format of its values. */
export interface MaskSql {
  sql: string;
  format: string;
}

/** `jane.doe@example.com` → `j***@e***.com`: first char of the local part and domain, TLD kept. */
export function maskEmailSql(v: string): MaskSql {
  const local = `split_part(${v}, '@', 1)`;
  const domain = `split_part(${v}, '@', 2)`;
  const tld = `regexp_extract(${domain}, '\\.[A-Za-z]{2,24}$')`;
  return {
    sql:
      `CASE WHEN ${v} IS NULL THEN NULL ` +
      `WHEN regexp_full_match(${v}, '[^@\\s]+@[^@\\s]+') ` +
      `THEN left(${local}, 1) || '***@' || left(${domain}, 1) || '***' || ${tld} ` +
      `ELSE '***' END`,
    format: '.\\*\\*\\*@.\\*\\*\\*(\\.[A-Za-z]{2,24})?|\\*\\*\\*',
  };
}

/**
 * What a phone number may hold: digits with `+ ( ) . - /` and spaces, then an optional extension
 * (`x`, `ext`, `#`). Anything else (a name or a note next to the number) is not masked piecewise.
 */
const PHONE = '\\+?[0-9 ().\\-/]+(?:\\s*(?:[xX]|[eE][xX][tT]\\.?|#)\\s*[0-9]*)?';
/** The characters a masked phone number shows besides its kept digits. */
const PHONE_MASKED = '[*+ ().\\-/#xXeEtT\\s]';

/**
 * Phone: every digit except the last `keepLast` becomes `*`; separators stay. A number in which
 * fewer digits would be starred than kept has every digit starred (as mask_chars does: with 4
 * kept, "4521" would pass through whole). A value that is not a phone number (e.g.
 * `555-0199 (Jane Roe)`) becomes `***`, never passes through.
 */
export function maskPhoneSql(v: string, keepLast: number): MaskSql {
  const pattern = sqlString(`^([\\s\\S]*?)((?:[0-9][^0-9]*){0,${keepLast}})$`);
  const isPhone = `regexp_full_match(${v}, ${sqlString(PHONE)})`;
  const digits = `length(regexp_replace(${v}, '[^0-9]', '', 'g'))`;
  return {
    sql:
      `CASE WHEN ${v} IS NULL THEN NULL WHEN ${v} = '' THEN '' ` +
      `WHEN ${isPhone} AND ${digits} < ${2 * keepLast} THEN regexp_replace(${v}, '[0-9]', '*', 'g') ` +
      `WHEN ${isPhone} ` +
      `THEN regexp_replace(regexp_extract(${v}, ${pattern}, 1), '[0-9]', '*', 'g') || ` +
      `regexp_extract(${v}, ${pattern}, 2) ` +
      `ELSE '***' END`,
    format: `${PHONE_MASKED}*(?:[0-9]${PHONE_MASKED}*){0,${keepLast}}`,
  };
}

/**
 * Keeps the first and last few characters and stars the rest; a value in which fewer characters
 * would be starred than kept is all stars (with 4 + 4 kept, a 9-digit SSN would show 8 digits).
 */
export function maskCharsSql(v: string, keepFirst: number, keepLast: number): MaskSql {
  const kept = keepFirst + keepLast;
  return {
    sql:
      `CASE WHEN length(${v}) < ${2 * kept} THEN repeat('*', length(${v})) ` +
      `ELSE left(${v}, ${keepFirst}) || repeat('*', length(${v}) - ${kept}) || right(${v}, ${keepLast}) END`,
    // [\s\S]: a kept character may be a line break (RE2's "." matches none). At least as many
    // stars as kept characters, so the check after writing refuses a value showing more.
    format: `\\**|[\\s\\S]{${keepFirst}}\\*{${Math.max(kept, 1)},}[\\s\\S]{${keepLast}}`,
  };
}
