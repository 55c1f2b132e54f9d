/**
 * SQL fragments rendered from validated plan values: column references, literals, predicates and
 * clamps. Identifiers are always quoted and literals re-rendered from their parsed values.
 */
import { decimalText } from '@privet/core/dpsql/price';
import type { PlanColumn, PlanLiteral, PlanOperand, PlanPredicate } from '@privet/core/dpsql/plan';
import { quoteIdent, sqlString } from '@privet/core/mask/sql';
import type { Rational } from '@privet/core/dp/rational';

/** A quoted column reference `t<i>."col"`. */
export function col(c: PlanColumn): string {
  return `t${c.table}.${quoteIdent(c.column)}`;
}

/** A rational as an SQL number (integers exactly, others as DOUBLE). */
export function num(r: Rational): string {
  // An integer beyond 2^53 would be typed HUGEINT/UHUGEINT and cast per row (failing on some):
  // the analyser refuses such literals; here they would stay one DOUBLE constant.
  const exactInteger = r.den === 1n && r.num < 2n ** 53n && r.num > -(2n ** 53n);
  if (exactInteger) return `${r.num}`;
  return r.den === 1n ? `CAST('${r.num}' AS DOUBLE)` : `CAST(${decimalText(r)} AS DOUBLE)`;
}

/** Renders a literal (values come from the parsed AST, never from raw SQL text). */
export function literal(l: PlanLiteral): string {
  switch (l.kind) {
    case 'null':
      return 'NULL';
    case 'number':
      return num(l.value);
    case 'string':
      return sqlString(l.value);
    case 'date':
      return `DATE ${sqlString(l.value)}`;
    case 'boolean':
      return l.value ? 'TRUE' : 'FALSE';
  }
}

function operand(o: PlanOperand): string {
  return o.kind === 'column' ? col(o.column) : literal(o.literal);
}

/** Renders a predicate. */
export function predicate(p: PlanPredicate): string {
  switch (p.kind) {
    case 'compare':
      return `(${operand(p.left)} ${p.op} ${operand(p.right)})`;
    case 'and':
    case 'or':
      return `(${p.args.map(predicate).join(p.kind === 'and' ? ' AND ' : ' OR ')})`;
    case 'not':
      return `(NOT ${predicate(p.arg)})`;
    case 'in':
      return `(${col(p.column)} ${p.negated ? 'NOT IN' : 'IN'} (${p.values.map(literal).join(', ')}))`;
    case 'between':
      return `(${col(p.column)} ${p.negated ? 'NOT BETWEEN' : 'BETWEEN'} ${literal(p.low)} AND ${literal(p.high)})`;
    case 'is_null':
      return `(${col(p.column)} IS ${p.negated ? 'NOT ' : ''}NULL)`;
  }
}

/** `least(greatest(expr, lo), hi)`: DuckDB's least/greatest skip NULL, so a NULL becomes `lo`. */
function clamp(expr: string, lo: string, hi: string): string {
  return `least(greatest(${expr}, ${lo}), ${hi})`;
}

/**
 * `clamp` for an aggregated value: a NULL stays NULL (SQL's aggregates skip it), as when the
 * clamp is left out for a column whose values are all in range (the shortcut) — so whether one
 * unit's value is out of range cannot change what NULLs add.
 */
export function clampValue(expr: string, lo: string, hi: string): string {
  return `CASE WHEN (${expr}) IS NULL THEN NULL ELSE ${clamp(expr, lo, hi)} END`;
}
