/**
 * WHERE clauses and literals. A predicate may compare columns with literals (or with columns of a
 * compatible type), combine with AND/OR/NOT, and use IN lists, BETWEEN and IS [NOT] NULL. Literal
 * values are parsed into exact typed values here and re-rendered by the gateway, so no analyst
 * text reaches DuckDB. Function calls, casts of columns and subqueries are refused.
 */
import { Rational } from '../dp/rational.js';
import { child, isNode, list, unexpected, type AstNode } from './ast.js';
import { refuse } from './errors.js';
import type {
  PlanColumn,
  PlanComparison,
  PlanLiteral,
  PlanOperand,
  PlanPredicate,
} from './plan.js';
import { planColumn, type Scope } from './scope.js';

/** Most values in one IN list. */
export const MAX_IN_VALUES = 1000;

const COMPARISONS: Record<string, PlanComparison> = {
  COMPARE_EQUAL: '=',
  COMPARE_NOTEQUAL: '<>',
  COMPARE_LESSTHAN: '<',
  COMPARE_LESSTHANOREQUALTO: '<=',
  COMPARE_GREATERTHAN: '>',
  COMPARE_GREATERTHANOREQUALTO: '>=',
};

const WHERE_FIX =
  'filter with comparisons of columns and literals, AND/OR/NOT, IN (…), BETWEEN, IS [NOT] NULL';
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Largest magnitude a number literal may have: 2^53, where doubles stop being exact integers. */
const MAX_LITERAL = 2 ** 53;

/**
 * True for 'YYYY-MM-DD' naming a real day of years 1–9999 (Gregorian). Why check here: DuckDB
 * fails on DATE '2023-02-30' only when a row reaches the comparison, so the query would fail —
 * and be refunded — depending on which rows pass the rest of WHERE.
 */
export function isCalendarDate(text: string): boolean {
  const m = DATE_RE.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

/** Parses a CONSTANT node (or CAST of a string constant to DATE/BOOLEAN) into an exact literal. */
export function parseLiteral(node: unknown, where: string): PlanLiteral {
  if (!isNode(node)) return unexpected(where);
  if (node['class'] === 'CAST') {
    const target = child(node, 'cast_type', where)['id'];
    const inner = parseLiteral(node['child'], where);
    if (inner.kind !== 'string' || node['try_cast'] === true) return unexpected(where);
    if (target === 'DATE' && isCalendarDate(inner.value))
      return { kind: 'date', value: inner.value };
    if (target === 'BOOLEAN' && ['t', 'true', 'f', 'false'].includes(inner.value.toLowerCase())) {
      return { kind: 'boolean', value: inner.value.toLowerCase().startsWith('t') };
    }
    return refuse(
      'bad_literal',
      `Unsupported cast in ${where}`,
      "write dates as DATE 'YYYY-MM-DD' and booleans as TRUE/FALSE",
    );
  }
  if (node['class'] !== 'CONSTANT') {
    return refuse(
      'unsupported_expression',
      `Only literal values may appear on this side of ${where}`,
      WHERE_FIX,
    );
  }
  const value = child(node, 'value', where);
  if (value['is_null'] === true) return { kind: 'null' };
  const type = child(value, 'type', where);
  const id = type['id'];
  const raw = value['value'];
  switch (id) {
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'BIGINT':
      if (typeof raw !== 'number' || !Number.isSafeInteger(raw)) break;
      return { kind: 'number', value: Rational.of(BigInt(raw)) };
    case 'DECIMAL': {
      const info = child(type, 'type_info', where);
      const scale = info['scale'];
      if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || typeof scale !== 'number') break;
      return { kind: 'number', value: Rational.of(BigInt(raw), 10n ** BigInt(scale)) };
    }
    case 'DOUBLE':
    case 'FLOAT':
      // Beyond 2^53 DuckDB types an integral literal as HUGEINT or UHUGEINT, and casting that
      // to a column's type fails only on the rows that reach it (refunded: a free oracle).
      if (typeof raw !== 'number' || !Number.isFinite(raw) || Math.abs(raw) >= MAX_LITERAL) break;
      return { kind: 'number', value: Rational.from(raw) };
    case 'VARCHAR':
      if (typeof raw !== 'string' || raw.length > 1000) break;
      return { kind: 'string', value: raw };
    case 'BOOLEAN':
      if (typeof raw !== 'boolean') break;
      return { kind: 'boolean', value: raw };
  }
  return refuse(
    'bad_literal',
    `Unsupported literal in ${where}`,
    "use numbers (up to 15 digits, below 2^53), strings, DATE 'YYYY-MM-DD' literals of real days or TRUE/FALSE",
  );
}

/** Checks a literal fits a column's type (dates may be written as plain strings). */
export function checkLiteral(column: PlanColumn, lit: PlanLiteral, where: string): PlanLiteral {
  if (lit.kind === 'null') {
    return refuse(
      'bad_literal',
      `Comparison with NULL in ${where} is never true`,
      'use IS NULL / IS NOT NULL',
    );
  }
  const numeric = column.type === 'integer' || column.type === 'number';
  if (numeric && lit.kind === 'number') return lit;
  if (column.type === 'string' && lit.kind === 'string') return lit;
  if (column.type === 'boolean' && lit.kind === 'boolean') return lit;
  if (column.type === 'date' && lit.kind === 'date') return lit;
  if (column.type === 'date' && lit.kind === 'string' && isCalendarDate(lit.value))
    return { kind: 'date', value: lit.value };
  return refuse(
    'bad_literal',
    `A ${lit.kind} literal is compared with ${column.type} column "${column.column}" in ${where}`,
    'compare columns with literals of their own type',
  );
}

function columnOf(scope: Scope, node: unknown, where: string): PlanColumn {
  if (!isNode(node) || node['class'] !== 'COLUMN_REF') {
    return refuse(
      'unsupported_expression',
      `${where} must test a plain column (no functions or expressions)`,
      WHERE_FIX,
    );
  }
  return planColumn(scope, node, where);
}

function operand(scope: Scope, node: unknown, where: string): PlanOperand {
  if (isNode(node) && node['class'] === 'COLUMN_REF')
    return { kind: 'column', column: planColumn(scope, node, where) };
  return { kind: 'literal', literal: parseLiteral(node, where) };
}

function compare(scope: Scope, node: AstNode, op: PlanComparison): PlanPredicate {
  const left = operand(scope, node['left'], 'WHERE');
  const right = operand(scope, node['right'], 'WHERE');
  if (left.kind === 'literal' && right.kind === 'literal') {
    return refuse('unsupported_expression', 'A WHERE comparison must involve a column', WHERE_FIX);
  }
  if (left.kind === 'column' && right.kind === 'column') {
    const num = (t: string) => t === 'integer' || t === 'number';
    const ok =
      left.column.type === right.column.type || (num(left.column.type) && num(right.column.type));
    if (!ok)
      refuse(
        'bad_literal',
        'Columns of different types are compared in WHERE',
        'compare columns of the same type',
      );
    return { kind: 'compare', op, left, right };
  }
  if (left.kind === 'column' && right.kind === 'literal') {
    return {
      kind: 'compare',
      op,
      left,
      right: { kind: 'literal', literal: checkLiteral(left.column, right.literal, 'WHERE') },
    };
  }
  if (left.kind === 'literal' && right.kind === 'column') {
    return {
      kind: 'compare',
      op,
      left: { kind: 'literal', literal: checkLiteral(right.column, left.literal, 'WHERE') },
      right,
    };
  }
  return unexpected('WHERE');
}

/** Translates a WHERE expression into a plan predicate (depth-limited). */
export function parsePredicate(scope: Scope, node: unknown, depth = 0): PlanPredicate {
  if (depth > 64)
    refuse('unsupported_expression', 'WHERE is nested too deeply', 'simplify the filter');
  if (!isNode(node)) return unexpected('WHERE');
  const type = String(node['type']);
  const cls = String(node['class']);
  const op = COMPARISONS[type];
  if (cls === 'COMPARISON' && op) return compare(scope, node, op);
  if (cls === 'CONJUNCTION' && (type === 'CONJUNCTION_AND' || type === 'CONJUNCTION_OR')) {
    const args = list(node, 'children', 'WHERE').map((c) => parsePredicate(scope, c, depth + 1));
    return { kind: type === 'CONJUNCTION_AND' ? 'and' : 'or', args };
  }
  if (cls === 'OPERATOR' && type === 'OPERATOR_NOT') {
    const args = list(node, 'children', 'WHERE');
    if (args.length !== 1) return unexpected('WHERE NOT');
    return { kind: 'not', arg: parsePredicate(scope, args[0], depth + 1) };
  }
  if (cls === 'OPERATOR' && (type === 'OPERATOR_IS_NULL' || type === 'OPERATOR_IS_NOT_NULL')) {
    const args = list(node, 'children', 'WHERE');
    if (args.length !== 1) return unexpected('IS NULL');
    return {
      kind: 'is_null',
      column: columnOf(scope, args[0], 'IS NULL'),
      negated: type === 'OPERATOR_IS_NOT_NULL',
    };
  }
  if (cls === 'OPERATOR' && (type === 'COMPARE_IN' || type === 'COMPARE_NOT_IN')) {
    const [first, ...rest] = list(node, 'children', 'WHERE');
    const column = columnOf(scope, first, 'IN');
    if (rest.length === 0 || rest.length > MAX_IN_VALUES) {
      refuse(
        'unsupported_expression',
        `IN lists need 1 to ${MAX_IN_VALUES} literal values`,
        'shorten the IN list',
      );
    }
    const values = rest.map((v) => checkLiteral(column, parseLiteral(v, 'IN'), 'IN'));
    return { kind: 'in', column, values, negated: type === 'COMPARE_NOT_IN' };
  }
  if (cls === 'BETWEEN') {
    const column = columnOf(scope, node['input'], 'BETWEEN');
    const low = checkLiteral(column, parseLiteral(node['lower'], 'BETWEEN'), 'BETWEEN');
    const high = checkLiteral(column, parseLiteral(node['upper'], 'BETWEEN'), 'BETWEEN');
    return { kind: 'between', column, low, high, negated: false };
  }
  if (cls === 'SUBQUERY') {
    return refuse(
      'unsupported_expression',
      'Subqueries are not allowed in WHERE (they could read other data)',
      WHERE_FIX,
    );
  }
  if (cls === 'FUNCTION') {
    const name = typeof node['function_name'] === 'string' ? node['function_name'] : 'function';
    return refuse(
      'unsupported_expression',
      `Function ${name}() is not allowed in WHERE`,
      WHERE_FIX,
    );
  }
  return refuse(
    'unsupported_expression',
    `Expression of kind ${cls.toLowerCase()} is not allowed in WHERE`,
    WHERE_FIX,
  );
}
