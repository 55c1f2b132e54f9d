/** Column rules: columns labelled as dates of birth, phone numbers or SSNs. */
import { columnWords, norm, perLabel, type CellHit } from './labels.js';
import type { Table } from './table.js';

const DOB_LABEL = /^(?:dob|d\.o\.b\.?|date of birth|birth ?date|birthday|born)$/;
/** The label names a date of birth. */
export const dobLabel = perLabel((label) => DOB_LABEL.test(norm(label).replace(/[_-]/g, ' ')));

/** Date-of-birth columns: a column labelled as birth date holding full dates. */
export function birthDateColumns(t: Table): CellHit[] {
  const hits: CellHit[] = [];
  t.columns.forEach((c, ci) => {
    if (!dobLabel(c)) return;
    const ri = t.cells.findIndex((r) =>
      /\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{4}/.test(r[ci] ?? ''),
    );
    if (ri >= 0)
      hits.push({
        rule: 'date-of-birth',
        row: ri,
        column: ci,
        message: 'a column of full dates of birth',
      });
  });
  return hits;
}

const ID_COLUMNS: readonly [RegExp, 'phone' | 'ssn' | 'email'][] = [
  [/^(?:phone|phone ?(?:number|no)|tel|telephone|mobile|cell|fax|contact number)$/, 'phone'],
  [/^(?:ssn|social security(?: number)?|national ?id|tax ?id|tin)$/, 'ssn'],
];
/** The identifier a column label names (null: none). */
export const identifierKind = perLabel((c) => {
  const label = columnWords(c);
  return ID_COLUMNS.find(([re]) => re.test(label))?.[1] ?? null;
});

/** Columns named as identifiers (phone, SSN) holding bare digit strings the text scan cannot judge. */
export function identifierColumns(
  t: Table,
): { rule: 'phone' | 'ssn'; row: number; column: number }[] {
  const hits: { rule: 'phone' | 'ssn'; row: number; column: number }[] = [];
  t.columns.forEach((c, ci) => {
    const kind = identifierKind(c);
    if (kind === null) return;
    const ri = t.cells.findIndex((r) => {
      const d = (r[ci] ?? '').replace(/[\s().+-]/g, '');
      if (!/^\d+$/.test(d)) return false;
      return kind === 'phone'
        ? d.length >= 7 && d.length <= 15
        : d.length === 9 && !/^(?:000|666|9)/.test(d);
    });
    if (ri >= 0) hits.push({ rule: kind as 'phone' | 'ssn', row: ri, column: ci });
  });
  return hits;
}
