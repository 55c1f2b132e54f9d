/**
 * Cross-reference checks of one view: it names a real source and real columns, operators fit the
 * column types, identifiers never leave unmasked, the privacy unit never enters a synthetic view,
 * quasi-identifiers survive masking, public keys fit their column once each.
 */
import type { MaskOperator, MaskedView, Policy, Source, SourceColumn, View } from './schema.js';
import { didYouMean } from './suggest.js';
import { declared, publishedColumnNames } from './lookup.js';
import { checkKeyList } from './semantics-keys.js';

/** A semantic problem before its position is known. */
export interface RawSemanticIssue {
  path: (string | number)[];
  message: string;
  fix: string;
  atKey: boolean;
}

/** Adds an issue at `path` (pointing at the key when `atKey`). */
export type AddIssue = (
  path: (string | number)[],
  message: string,
  fix: string,
  atKey?: boolean,
) => void;

const OP_TYPES: Record<MaskOperator['op'], readonly SourceColumn['type'][] | 'any'> = {
  keep: 'any',
  drop: 'any',
  token: 'any',
  mask_email: ['string'],
  mask_phone: ['string'],
  mask_chars: ['string'],
  date_trunc: ['date'],
  age_band: ['date'],
  prefix: ['string'],
  numeric_range: ['integer', 'number'],
};
const GENERALIZING = ['date_trunc', 'age_band', 'prefix', 'numeric_range'];
/** What an identifier (or the privacy unit) may be published with: never a part of its value. */
const IDENTIFIER_OPS: readonly MaskOperator['op'][] = [
  'drop',
  'token',
  'mask_email',
  'mask_phone',
  'mask_chars',
];

/** "unknown column … (did you mean …?) (known: …)" for a column missing from a source. */
export function unknownColumn(source: string, src: Source, column: string): string {
  const known = Object.keys(src.columns);
  return `unknown column "${column}" in source "${source}"${didYouMean(column, known)} (known: ${known.join(', ')})`;
}

function operatorsFor(type: SourceColumn['type']): string {
  return Object.entries(OP_TYPES)
    .filter(([, t]) => t === 'any' || t.includes(type))
    .map(([op]) => op)
    .join(', ');
}

function checkMasked(
  view: MaskedView,
  base: string[],
  sourceName: string,
  src: Source,
  add: AddIssue,
) {
  for (const [col, operator] of Object.entries(view.columns)) {
    const decl = declared(src.columns, col);
    if (!decl) {
      add(
        [...base, 'columns', col],
        unknownColumn(sourceName, src, col),
        'fix the spelling or declare the column in the source',
      );
      continue;
    }
    const allowed = OP_TYPES[operator.op];
    if (allowed !== 'any' && !allowed.includes(decl.type))
      add(
        [...base, 'columns', col, 'op'],
        `operator ${operator.op} works on ${allowed.join(' or ')} columns, but "${col}" is ${decl.type}`,
        `pick an operator for ${decl.type} columns: ${operatorsFor(decl.type)}`,
        false,
      );
    // The privacy unit identifies a person as surely as a declared identifier does.
    if (
      (decl.identifier === true || col === src.privacy_unit) &&
      !IDENTIFIER_OPS.includes(operator.op)
    ) {
      const what = `"${col}" is a direct identifier${col === src.privacy_unit ? ' (the privacy unit)' : ''}`;
      add(
        [...base, 'columns', col, 'op'],
        operator.op === 'keep'
          ? `${what} and cannot be published as is`
          : `${what}, and ${operator.op} publishes part of its value unmasked`,
        'use token, a mask_* operator, or drop',
        false,
      );
    }
    if (
      operator.op === 'numeric_range' &&
      operator.bottom !== undefined &&
      operator.top !== undefined &&
      !(operator.bottom < operator.top)
    )
      add(
        [...base, 'columns', col, 'bottom'],
        `numeric_range bottom (${operator.bottom}) must be below top (${operator.top})`,
        'swap the two values so that bottom < top',
        false,
      );
  }
  const published = new Set(publishedColumnNames(view));
  if (published.size === 0)
    add(
      [...base, 'columns'],
      'every column is dropped, so the view publishes nothing',
      'publish at least one column (keep, token or a mask) or remove the view',
    );
  view.k_anonymity?.quasi_identifiers.forEach((qi, i) => {
    const at = [...base, 'k_anonymity', 'quasi_identifiers', i];
    if (!declared(src.columns, qi))
      add(at, unknownColumn(sourceName, src, qi), 'name a column of the source', false);
    else if (!published.has(qi))
      add(
        at,
        `quasi-identifier "${qi}" is not published by this view`,
        `remove it from quasi_identifiers or publish "${qi}"`,
        false,
      );
    else if (declared(view.columns, qi)?.op === 'token')
      add(
        at,
        `quasi-identifier "${qi}" is tokenized, so every value is unique`,
        'generalize it (date_trunc, prefix, numeric_range, age_band) or drop it',
        false,
      );
  });
  const generalized = Object.entries(view.columns)
    .filter(([, o]) => GENERALIZING.includes(o.op))
    .map(([c]) => c);
  // Without k_anonymity nothing is checked at publish time, so no generalized column is exempt,
  // top-coded or not: each one could publish a rare value (an age of 104) as it is.
  if (!view.k_anonymity && generalized.length > 0)
    add(
      base,
      `a masked view with generalized columns must declare k_anonymity (${generalized.join(', ')}): without it no k check covers their rare values`,
      `add k_anonymity: { k: 5, quasi_identifiers: [${generalized.join(', ')}], max_suppressed_fraction: 0.05 }`,
    );
  else if (view.k_anonymity) checkUncoveredGeneralized(view, view.k_anonymity, base, add);
}

/**
 * Whether a generalized column is top-coded: its extreme values fall into open-ended bins
 * (numeric_range with bottom and top, age_band with top).
 */
export function isTopCoded(operator: MaskOperator): boolean {
  return (
    (operator.op === 'numeric_range' &&
      operator.bottom !== undefined &&
      operator.top !== undefined) ||
    (operator.op === 'age_band' && operator.top !== undefined)
  );
}

/**
 * The view's top-coded generalized columns outside its quasi_identifiers ("coded columns"):
 * publishing suppresses the rows of each such column's bins held by fewer than k people. Empty
 * for a view without k_anonymity (the policy check refuses generalized columns there).
 */
export function codedColumns(view: MaskedView): string[] {
  const kAnon = view.k_anonymity;
  if (!kAnon) return [];
  const quasi = new Set(kAnon.quasi_identifiers);
  return Object.entries(view.columns)
    .filter(([col, o]) => GENERALIZING.includes(o.op) && !quasi.has(col) && isTopCoded(o))
    .map(([col]) => col);
}

/**
 * A generalized column left out of quasi_identifiers is published without the class check, so
 * its rare values (a ZIP shorter than the prefix, an age of 104, an income of 98 million) would
 * be published as they are: such a column must be a quasi-identifier, unless it is top-coded.
 * Top-coding alone proves nothing (a top above every value hides no one), so publishing then
 * checks each bin of the column on its own: a bin held by fewer than k people has its rows
 * suppressed (see codedColumns). That bounds each value, not its combination with the
 * quasi-identifiers, which only listing the column among them covers.
 */
function checkUncoveredGeneralized(
  view: MaskedView,
  kAnon: NonNullable<MaskedView['k_anonymity']>,
  base: (string | number)[],
  add: AddIssue,
): void {
  const quasi = new Set(kAnon.quasi_identifiers);
  for (const [col, operator] of Object.entries(view.columns)) {
    if (!GENERALIZING.includes(operator.op) || quasi.has(col) || isTopCoded(operator)) continue;
    const coding =
      operator.op === 'numeric_range'
        ? `, or set both bottom and top: then publishing suppresses the rows of every bin of "${col}" held by fewer than k people (each bin on its own, not combined with the quasi-identifiers)`
        : operator.op === 'age_band'
          ? `, or set top: then publishing suppresses the rows of every band of "${col}" held by fewer than k people (each band on its own, not combined with the quasi-identifiers)`
          : '';
    add(
      [...base, 'columns', col],
      `generalized column "${col}" (${operator.op}) is not among k_anonymity.quasi_identifiers, so no k check covers its rare values`,
      `add "${col}" to k_anonymity.quasi_identifiers${coding}`,
    );
  }
}

/** Checks one view of `policy`, reporting through `add`. */
export function checkView(policy: Policy, viewName: string, view: View, add: AddIssue): void {
  const base = ['views', viewName];
  if (Object.hasOwn(policy.sources, viewName))
    add(
      base,
      `view "${viewName}" has the same name as a raw source`,
      `rename the view (e.g. "${viewName}_${view.tier}") so queries cannot confuse the two`,
    );
  const src = declared(policy.sources, view.source);
  if (!src) {
    const known = Object.keys(policy.sources);
    add(
      [...base, 'source'],
      `unknown source "${view.source}"${didYouMean(view.source, known)} (known: ${known.join(', ')})`,
      'name a source declared under sources',
      false,
    );
    return;
  }
  if (view.tier === 'masked') return checkMasked(view, base, view.source, src, add);
  view.columns.forEach((col, i) => {
    if (!declared(src.columns, col))
      add(
        [...base, 'columns', i],
        unknownColumn(view.source, src, col),
        'fix the spelling or declare the column in the source',
        false,
      );
    // The privacy unit (of any type) names a real person: listed in a synthetic view, each id
    // would be a category of true count 1 that DP domain discovery may still release.
    else if (view.tier === 'synthetic' && col === src.privacy_unit)
      add(
        [...base, 'columns', i],
        `"${col}" is the privacy unit of source "${view.source}" and cannot be a column of a synthetic view`,
        'remove it from columns: every synthetic row stands for a made-up person',
        false,
      );
    else if (declared(src.columns, col)?.identifier && col !== src.privacy_unit)
      add(
        [...base, 'columns', i],
        `"${col}" is a direct identifier and cannot be part of a ${view.tier} view`,
        view.tier === 'synthetic'
          ? 'remove it from columns: nothing about a direct identifier can be synthesized'
          : `remove it from columns (of the identifiers only the privacy unit "${src.privacy_unit}" may be listed)`,
        false,
      );
  });
  if (view.tier === 'synthetic')
    for (const col of Object.keys(view.prefix ?? {})) {
      const type = declared(src.columns, col)?.type;
      if (!view.columns.includes(col))
        add(
          [...base, 'prefix', col],
          `prefix given for "${col}", which is not a column of this view${didYouMean(col, view.columns)}`,
          `list "${col}" under columns or remove its prefix (columns: ${view.columns.join(', ')})`,
        );
      else if (type !== undefined && type !== 'string')
        add(
          [...base, 'prefix', col],
          `prefix works on string columns, but "${col}" is ${type}`,
          type === 'date'
            ? 'remove it: dates are synthesized by year already'
            : "remove it: numeric columns are binned by their bounds (set the view's bins instead)",
        );
    }
  if (view.tier === 'synthetic' && view.target && !view.columns.includes(view.target))
    add(
      [...base, 'target'],
      `target "${view.target}" is not one of the view's columns`,
      `name one of: ${view.columns.join(', ')}`,
      false,
    );
  if (view.tier === 'dp')
    for (const [col, keys] of Object.entries(view.public_keys ?? {})) {
      const type = declared(src.columns, col)?.type;
      if (!view.columns.includes(col))
        add(
          [...base, 'public_keys', col],
          `public keys given for "${col}", which is not a column of this view`,
          'list the column under columns or remove its keys',
        );
      else if (type !== undefined)
        checkKeyList(keys, col, type, [...base, 'public_keys', col], add);
    }
}
