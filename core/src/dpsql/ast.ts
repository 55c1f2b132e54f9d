/**
 * Narrow, fail-closed accessors for DuckDB's `json_serialize_sql` AST. The AST is untrusted JSON
 * (its shape may change between DuckDB versions), so every access checks the type and anything
 * unexpected becomes a refusal rather than a guess.
 */
import { refuse } from './errors.js';

/** A JSON object node of the AST. */
export type AstNode = { readonly [key: string]: unknown };

/** Largest number of AST nodes the analyzer will visit (bounds recursion on hostile input). */
export const MAX_AST_NODES = 5000;

/** True for a non-null, non-array object. */
export function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object at `node[key]`, or a refusal. */
export function child(node: AstNode, key: string, where: string): AstNode {
  const value = node[key];
  if (!isNode(value)) return unexpected(where);
  return value;
}

/** The array at `node[key]` (missing → empty), or a refusal. */
export function list(node: AstNode, key: string, where: string): unknown[] {
  const value = node[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) return unexpected(where);
  return value;
}

/** The string at `node[key]` (missing → ''), or a refusal. */
export function text(node: AstNode, key: string, where: string): string {
  const value = node[key];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') return unexpected(where);
  return value;
}

/** True when `node[key]` is absent, null, false, an empty array or an empty object/map. */
export function isEmpty(node: AstNode, key: string): boolean {
  const value = node[key];
  if (value === undefined || value === null || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isNode(value)) {
    if (Array.isArray(value['map'])) return value['map'].length === 0;
    if (Array.isArray(value['orders'])) return value['orders'].length === 0;
  }
  return false;
}

/** Counts AST nodes and refuses absurdly large queries before any analysis. */
export function checkSize(root: unknown): void {
  let count = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (++count > MAX_AST_NODES) {
      refuse(
        'unsupported_expression',
        `The query has more than ${MAX_AST_NODES} syntax nodes`,
        'write a shorter query (fewer IN values or predicates), or split it into several queries',
      );
    }
    // Loops, not push(...list): a list of 100,000+ IN values spread as arguments overflows the stack.
    if (Array.isArray(value)) for (const v of value) stack.push(v);
    else if (isNode(value)) for (const v of Object.values(value)) stack.push(v);
  }
}

/** Refusal for an AST shape the analyzer does not know (fail closed). */
export function unexpected(where: string): never {
  return refuse(
    'unsupported_expression',
    `Unexpected syntax in ${where} (not part of the supported DP SQL subset)`,
    'use SELECT <keys>, <aggregates> FROM <dp view> [WHERE …] [GROUP BY …]',
  );
}
