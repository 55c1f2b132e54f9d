/**
 * Cross-reference checks the schema cannot express: views name real sources and columns,
 * operators fit column types, quasi-identifiers survive masking, budgets name real sources.
 * Fail closed: anything unknown is an issue.
 */
import type { MaskOperator, Policy, Source, SourceColumn } from './schema.js';

/** A semantic problem before its position is known. */
export interface RawSemanticIssue {
  path: (string | number)[];
  message: string;
  fix: string;
  atKey: boolean;
}

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

function unknownColumn(source: string, src: Source, column: string): string {
  return `unknown column "${column}" in source "${source}" (known: ${Object.keys(src.columns).join(', ')})`;
}

/** Returns every cross-reference issue in a schema-valid policy. */
export function semanticIssues(policy: Policy): RawSemanticIssue[] {
  const issues: RawSemanticIssue[] = [];
  const add = (path: (string | number)[], message: string, fix: string, atKey = true) =>
    issues.push({ path, message, fix, atKey });

  for (const [name, src] of Object.entries(policy.sources)) {
    if (!(src.privacy_unit in src.columns)) {
      add(
        ['sources', name, 'privacy_unit'],
        `privacy unit column "${src.privacy_unit}" is not declared in columns`,
        'declare it under columns or name a declared column',
        false,
      );
    }
    for (const [col, decl] of Object.entries(src.columns)) {
      if (decl.bounds) {
        if (decl.type !== 'integer' && decl.type !== 'number') {
          add(
            ['sources', name, 'columns', col, 'bounds'],
            `bounds are only for numeric columns, "${col}" is ${decl.type}`,
            'remove bounds or change the type',
          );
        } else if (!(decl.bounds[0] < decl.bounds[1])) {
          add(
            ['sources', name, 'columns', col, 'bounds'],
            'lower bound must be below upper bound',
            'write bounds as [low, high] with low < high',
          );
        }
      }
    }
  }

  for (const [viewName, view] of Object.entries(policy.views)) {
    const base = ['views', viewName];
    if (viewName in policy.sources) {
      add(
        base,
        `view "${viewName}" has the same name as a raw source`,
        'give the view its own name so queries cannot confuse the two',
      );
    }
    const src = policy.sources[view.source];
    if (!src) {
      add(
        [...base, 'source'],
        `unknown source "${view.source}" (known: ${Object.keys(policy.sources).join(', ')})`,
        'name a source declared under sources',
        false,
      );
      continue;
    }
    if (view.tier === 'masked') {
      for (const [col, operator] of Object.entries(view.columns)) {
        const decl = src.columns[col];
        if (!decl) {
          add(
            [...base, 'columns', col],
            unknownColumn(view.source, src, col),
            'fix the spelling or declare the column in the source',
          );
          continue;
        }
        const allowed = OP_TYPES[operator.op];
        if (allowed !== 'any' && !allowed.includes(decl.type)) {
          add(
            [...base, 'columns', col, 'op'],
            `operator ${operator.op} does not apply to ${decl.type} column "${col}"`,
            `use it on a ${allowed.join(' or ')} column, or pick another operator`,
            false,
          );
        }
        if (operator.op === 'keep' && decl.identifier) {
          add(
            [...base, 'columns', col, 'op'],
            `"${col}" is a direct identifier and cannot be published as is`,
            'use token, a mask_* operator, or drop',
            false,
          );
        }
        if (
          operator.op === 'numeric_range' &&
          operator.bottom !== undefined &&
          operator.top !== undefined &&
          !(operator.bottom < operator.top)
        ) {
          add([...base, 'columns', col], 'bottom must be below top', 'set bottom < top');
        }
      }
      const published = new Set(
        Object.entries(view.columns)
          .filter(([, o]) => o.op !== 'drop')
          .map(([c]) => c),
      );
      if (published.size === 0)
        add([...base, 'columns'], 'every column is dropped', 'publish at least one column');
      view.k_anonymity?.quasi_identifiers.forEach((qi, i) => {
        if (!src.columns[qi])
          add(
            [...base, 'k_anonymity', 'quasi_identifiers', i],
            unknownColumn(view.source, src, qi),
            'name a column of the source',
            false,
          );
        else if (!published.has(qi))
          add(
            [...base, 'k_anonymity', 'quasi_identifiers', i],
            `quasi-identifier "${qi}" is not published by this view`,
            `remove it from quasi_identifiers or publish "${qi}"`,
            false,
          );
        else if (view.columns[qi]?.op === 'token')
          add(
            [...base, 'k_anonymity', 'quasi_identifiers', i],
            `quasi-identifier "${qi}" is tokenized, so every value is unique`,
            'generalize it (date_trunc, prefix, numeric_range, age_band) or drop it',
            false,
          );
      });
      if (!view.k_anonymity) {
        const qiLike = Object.entries(view.columns).filter(([, o]) =>
          ['date_trunc', 'age_band', 'prefix', 'numeric_range'].includes(o.op),
        );
        if (qiLike.length > 0)
          add(
            base,
            'a masked view with generalized columns must declare k_anonymity',
            'add k_anonymity: { k, quasi_identifiers, max_suppressed_fraction }',
          );
      }
    } else {
      view.columns.forEach((col, i) => {
        if (!src.columns[col])
          add(
            [...base, 'columns', i],
            unknownColumn(view.source, src, col),
            'fix the spelling or declare the column in the source',
            false,
          );
        else if (src.columns[col]?.identifier && col !== src.privacy_unit)
          add(
            [...base, 'columns', i],
            `"${col}" is a direct identifier and cannot be part of a ${view.tier} view`,
            'remove it from columns',
            false,
          );
      });
      if (view.tier === 'synthetic' && view.target && !view.columns.includes(view.target)) {
        add(
          [...base, 'target'],
          `target "${view.target}" is not one of the view's columns`,
          'name one of the listed columns',
          false,
        );
      }
      if (view.tier === 'dp') {
        for (const col of Object.keys(view.public_keys ?? {})) {
          if (!view.columns.includes(col))
            add(
              [...base, 'public_keys', col],
              `public keys given for "${col}", which is not a column of this view`,
              'list the column under columns or remove its keys',
            );
        }
      }
    }
  }

  policy.budgets.forEach((budget, i) => {
    if (!policy.sources[budget.source])
      add(
        ['budgets', i, 'source'],
        `unknown source "${budget.source}"`,
        'name a source declared under sources',
        false,
      );
    if (Number(budget.epsilon) <= 0)
      add(['budgets', i, 'epsilon'], 'epsilon must be positive', 'write a positive epsilon', false);
  });
  const budgeted = new Set(policy.budgets.map((b) => b.source));
  for (const [viewName, view] of Object.entries(policy.views)) {
    if (view.tier !== 'masked' && !budgeted.has(view.source)) {
      add(
        ['views', viewName, 'tier'],
        `${view.tier} view "${viewName}" spends privacy budget but source "${view.source}" has no budget`,
        `add a budgets entry for source ${view.source}`,
        false,
      );
    }
  }
  if (!Object.values(policy.users).some((u) => u.roles.includes('steward'))) {
    add(
      ['users'],
      'no user has the steward role',
      'give at least one user the steward role (stewards approve experiments)',
    );
  }
  return issues;
}
