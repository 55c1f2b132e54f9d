/**
 * The small part of vega's expression language vega-lite charts filter and calculate with, as
 * Altair writes it (`alt.datum.x > 5` is `(datum.x > 5)`): `datum.f` / `datum['f']`, numbers,
 * quoted strings, true/false/null, the comparisons, `!`, `&&`, `||` and parentheses. Anything else
 * is not evaluated (undefined), and the caller reads the rows as given.
 */
import type { Json } from './json-value.js';

/** A row of a vega-lite dataset. */
export type Row = Record<string, Json>;

/** An expression compiled to a function of a row. */
export type RowExpr = (row: Row) => Json | undefined;

const TOKEN =
  /\s*(?:(datum)\s*(?:\.\s*([A-Za-z_$][\w$]*)|\[\s*(?:'([^'\\]*)'|"([^"\\]*)")\s*\])|(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)|'([^'\\]*)'|"([^"\\]*)"|(true|false|null)\b|(===|!==|==|!=|<=|>=|&&|\|\||[<>!()]))/iy;

type Token = { kind: 'value'; expr: RowExpr } | { kind: 'op'; op: string };

/** Longest expression evaluated: Altair's filters are short; a longer one is read as given. */
const MAX_EXPR_LENGTH = 2000;

function tokens(source: string): Token[] | undefined {
  const src = source.trimEnd();
  if (src.length > MAX_EXPR_LENGTH) return undefined;
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < src.length) {
    const m = TOKEN.exec(src);
    if (m === null) return undefined;
    const [, datum, dotName, sq, dq, n, s1, s2, lit, op] = m;
    if (datum !== undefined) {
      const f = (dotName ?? sq ?? dq) as string;
      out.push({ kind: 'value', expr: (r) => (Object.hasOwn(r, f) ? r[f] : undefined) });
    } else if (n !== undefined) {
      const v = Number(n);
      out.push({ kind: 'value', expr: () => v });
    } else if (s1 !== undefined || s2 !== undefined) {
      const v = (s1 ?? s2) as string;
      out.push({ kind: 'value', expr: () => v });
    } else if (lit !== undefined) {
      const v = lit === 'null' ? null : lit === 'true';
      out.push({ kind: 'value', expr: () => v });
    } else out.push({ kind: 'op', op: op as string });
  }
  return out;
}

/** JavaScript's loose equality over JSON scalars (a number and a numeric string are equal). */
function looseEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === undefined || a === null || b === undefined || b === null)
    return (a ?? null) === (b ?? null);
  if (typeof a === typeof b) return a === b;
  if (typeof a === 'object' || typeof b === 'object') return false;
  return Number(a) === Number(b);
}

const COMPARE: Record<string, (a: Json | undefined, b: Json | undefined) => boolean> = {
  '===': (a, b) => a === b,
  '!==': (a, b) => a !== b,
  '==': looseEqual,
  '!=': (a, b) => !looseEqual(a, b),
  '<': (a, b) => (a as number) < (b as number),
  '<=': (a, b) => (a as number) <= (b as number),
  '>': (a, b) => (a as number) > (b as number),
  '>=': (a, b) => (a as number) >= (b as number),
};

const truthy = (v: Json | undefined): boolean =>
  v !== undefined && v !== null && v !== false && v !== 0 && v !== '';

/** Compiles `src` to a function of a row, or undefined when it is not in the part read. */
export function compileExpr(src: string): RowExpr | undefined {
  const ts = tokens(src);
  if (ts === undefined || ts.length === 0) return undefined;
  let i = 0;
  const peek = (): string | undefined => {
    const t = ts[i];
    return t?.kind === 'op' ? t.op : undefined;
  };
  const primary = (): RowExpr | undefined => {
    const t = ts[i++];
    if (t === undefined) return undefined;
    if (t.kind === 'value') return t.expr;
    if (t.op === '!') {
      const e = primary();
      return e && ((r) => !truthy(e(r)));
    }
    if (t.op !== '(') return undefined;
    const e = or();
    return e && peek() === ')' && ++i ? e : undefined;
  };
  const comparison = (): RowExpr | undefined => {
    const a = primary();
    const op = peek();
    const cmp = op !== undefined ? COMPARE[op] : undefined;
    if (a === undefined || cmp === undefined) return a;
    i++;
    const b = primary();
    return b && ((r) => cmp(a(r), b(r)));
  };
  const chain = (
    op: string,
    next: () => RowExpr | undefined,
    all: boolean,
  ): RowExpr | undefined => {
    const parts = [next()];
    while (peek() === op) {
      i++;
      parts.push(next());
    }
    if (parts.some((p) => p === undefined)) return undefined;
    const ps = parts as RowExpr[];
    if (ps.length === 1) return ps[0];
    return all ? (r) => ps.every((p) => truthy(p(r))) : (r) => ps.some((p) => truthy(p(r)));
  };
  const and = (): RowExpr | undefined => chain('&&', comparison, true);
  const or = (): RowExpr | undefined => chain('||', and, false);
  const e = or();
  return e !== undefined && i === ts.length ? e : undefined;
}

/** The fields an expression reads (`datum.f`, `datum['f']`), in order of first use. */
export function exprFields(src: string): string[] {
  const out: string[] = [];
  for (const m of src.matchAll(
    /datum\s*(?:\.\s*([A-Za-z_$][\w$]*)|\[\s*(?:'([^'\\]*)'|"([^"\\]*)")\s*\])/g,
  )) {
    const f = (m[1] ?? m[2] ?? m[3]) as string;
    if (!out.includes(f)) out.push(f);
  }
  return out;
}

/** Whether an expression's value is truthy, as vega's filter reads it. */
export const isTruthy = truthy;
