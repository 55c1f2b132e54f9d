/**
 * Why: plotly.js (restyle, relayout, update; its `nestedProperty`) reads an attribute string as a
 * path of keys and array indexes — `'annotations[0].text'`, `'y[1]'`, `'transforms[-1].value'` —
 * and a null value resets (deletes) the attribute. The widget book applies edits the same way, so
 * the review reads the values plotly draws, never a key literally named `'y[1]'`. Changes copy
 * what they touch (the traces and layout read before an edit are never changed).
 */
import { isRecord, type Json } from './json-value.js';
import { isTypedArraySpec } from './typed-arrays.js';

/** One part of a parsed path: a key, an array index, or -1 (each item of an array, as plotly). */
export type PathPart = string | number;

/** Path parts that would reach an object's prototype instead of a key of it. */
export const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Most parts one attribute string may have (plotly's are a few levels deep). */
const MAX_PARTS = 64;

/** Highest array index an edit may set (plotly takes any; the book refuses more, as unread). */
export const MAX_INDEX = 999_999;

/** Most items an index edit may add past an array's end (plotly fills the gap with holes). */
export const MAX_INDEX_GAP = 10_000;

/** Most array items the index edits of one figure may copy (each state read keeps its copy). */
export const MAX_COPIED_ITEMS = 4_000_000;

/** A key with any bracketed indexes after it (`y[1]`, `a[0][2]`, `transforms[-1]`). */
const SEGMENT = /^([^[\]]+)((?:\[(?:-?\d{1,10})?\])*)$/;

/**
 * The parts of a plotly attribute string (`'xaxis.range[1]'` → `['xaxis', 'range', 1]`), or
 * undefined when it is malformed or unsafe (unbalanced or misplaced brackets, an empty key, a
 * negative index other than a non-final -1, a prototype key): plotly draws nothing from those.
 */
export function parsePlotlyPath(path: string): PathPart[] | undefined {
  const parts: PathPart[] = [];
  for (const segment of path.split('.')) {
    const m = SEGMENT.exec(segment);
    if (m === null || UNSAFE_KEYS.has(m[1] as string)) return undefined;
    parts.push(m[1] as string);
    const brackets = m[2] as string;
    if (brackets === '') continue;
    // plotly reads `[]` (Number('')) and `[-0]` as index 0.
    for (const index of brackets.slice(1, -1).split('][')) parts.push(Number(index) || 0);
  }
  if (parts.length > MAX_PARTS) return undefined;
  // plotly's -1 (each item) may not end a path; no other negative index names an item.
  const negative = (p: PathPart, k: number): boolean =>
    typeof p === 'number' && p < 0 && (p !== -1 || k === parts.length - 1);
  return parts.some(negative) ? undefined : parts;
}

/** What index edits of one figure may still copy, and whether any was refused for the caps. */
export class IndexBudget {
  private left = MAX_COPIED_ITEMS;
  /** True once an index edit plotly may draw was refused (caps, typed array): hold the output. */
  exceeded = false;

  /** Takes `items` from the budget; false (and exceeded) when they are more than is left. */
  take(items: number): boolean {
    if (items > this.left) {
      this.exceeded = true;
      return false;
    }
    this.left -= items;
    return true;
  }
}

/** True for a place plotly treats as empty (no value, or a hole in an array). */
const missing = (v: Json | undefined): boolean => v === undefined || v === null;

/** What `write` returns for an edit it refuses (distinct from a place left without a value). */
const REFUSED = Symbol('refused');

/** Result of writing under one node: the node as it is left (undefined: absent), or REFUSED. */
type Written = Json | undefined | typeof REFUSED;

/**
 * `node` with `value` written at `parts[at..]` as plotly's nestedProperty sets it (a missing
 * container created: a list before an index, else an object; null deletes, and an object it
 * leaves empty goes too), copying what changes; `node` itself when a deletion finds nothing, and
 * REFUSED when plotly would refuse the edit or draw nothing from it (an index on something not a
 * list, a key on a list or on a plain value) or it passes the caps of `budget`.
 */
function write(
  node: Json | undefined,
  parts: readonly PathPart[],
  at: number,
  value: Json,
  budget: IndexBudget,
): Written {
  const part = parts[at] as PathPart;
  const remove = value === null;
  if (missing(node)) {
    if (remove) return node;
    node = typeof part === 'number' ? [] : {};
  }
  if (typeof part === 'number') {
    if (!Array.isArray(node)) {
      // A typed array's items (plotly.py 6 sends numpy data so): the book does not decode them
      // here, so it cannot tell what plotly draws after the edit: hold (fail closed).
      if (isTypedArraySpec(node)) budget.exceeded = true;
      return REFUSED;
    }
    return part === -1
      ? writeEach(node, parts, at, value, budget)
      : writeItem(node, part, parts, at, value, budget);
  }
  if (!isRecord(node)) return REFUSED;
  if (at === parts.length - 1) {
    if (remove && !Object.hasOwn(node, part)) return node;
    const copy: Record<string, Json> = { ...node };
    if (remove) delete copy[part];
    else copy[part] = value;
    return copy;
  }
  const old = Object.hasOwn(node, part) ? node[part] : undefined;
  const next = write(old, parts, at + 1, value, budget);
  if (next === REFUSED) return REFUSED;
  if (next === old) return node;
  const copy: Record<string, Json> = { ...node };
  // plotly prunes the containers a deletion leaves empty.
  if (next === undefined || (remove && isRecord(next) && Object.keys(next).length === 0))
    delete copy[part];
  else copy[part] = next;
  return copy;
}

/** `list` with item `index` written (as `write`), the holes before it filled with null. */
function writeItem(
  list: Json[],
  index: number,
  parts: readonly PathPart[],
  at: number,
  value: Json,
  budget: IndexBudget,
): Written {
  const last = at === parts.length - 1;
  if (value === null && (index >= list.length || missing(list[index]))) return list;
  if (index > MAX_INDEX || index > list.length + MAX_INDEX_GAP) {
    budget.exceeded = true;
    return REFUSED;
  }
  const item = last ? value : write(list[index], parts, at + 1, value, budget);
  if (item === REFUSED) return REFUSED;
  if (item === list[index] && index < list.length) return list;
  if (!budget.take(Math.max(list.length, index + 1))) return REFUSED;
  const copy = [...list];
  while (copy.length < index) copy.push(null);
  copy[index] = item ?? null;
  // plotly deletes an item as a hole, and drops the holes it leaves at the end.
  if (value === null && last) while (copy.length > 0 && copy[copy.length - 1] === null) copy.pop();
  return copy;
}

/** `list` with the rest of the path written in each item (plotly's `[-1]`), a list value cycled. */
function writeEach(
  list: Json[],
  parts: readonly PathPart[],
  at: number,
  value: Json,
  budget: IndexBudget,
): Written {
  if (!budget.take(list.length)) return REFUSED;
  const copy: Json[] = [];
  for (let k = 0; k < list.length; k++) {
    const v = Array.isArray(value) ? (value[k % value.length] ?? null) : value;
    const next = write(list[k], parts, at + 1, v, budget);
    if (next === REFUSED) return REFUSED;
    copy.push(next ?? null);
  }
  return copy;
}

/**
 * `root` (a trace or a layout) with `value` at the plotly attribute string `path` (null deletes
 * it, as plotly resets it), as a copy; `root` itself when the path is malformed or refused.
 */
export function setPlotlyPath(
  root: Record<string, Json>,
  path: string,
  value: Json,
  budget: IndexBudget,
): Record<string, Json> {
  const parts = parsePlotlyPath(path);
  if (parts === undefined) return root;
  const next = write(root, parts, 0, value, budget);
  return isRecord(next) ? next : root;
}
