/**
 * Prop removals as plotly's widget model applies them (`removeTraceProps`, `removeLayoutProps`:
 * lodash `unset` on the model): the key paths plotly.py sends, and a value without them.
 */
import { isRecord, type Json } from './json-value.js';
import { UNSAFE_KEYS } from './plotly-path.js';

/** A trace or layout object (as `figure-edits.ts` keeps them). */
type Figure = Record<string, Json>;

/** Most parts of one key path a remove message may name (plotly.py's are a few levels deep). */
const MAX_PATH_PARTS = 64;

/** A key path as plotly.py sends it (`['yaxis', 'title', 'text']`), or undefined when malformed. */
function keyPath(path: Json): string[] | undefined {
  if (!Array.isArray(path) || path.length === 0 || path.length > MAX_PATH_PARTS) return undefined;
  const keys: string[] = [];
  for (const part of path) {
    if (typeof part === 'number' && Number.isInteger(part) && part >= 0) keys.push(String(part));
    else if (typeof part === 'string' && !UNSAFE_KEYS.has(part)) keys.push(part);
    else return undefined;
  }
  return keys;
}

/** The `remove_props` of a remove message, or undefined when any path is malformed (all refused). */
export function keyPaths(list: Json | undefined): string[][] | undefined {
  if (!Array.isArray(list)) return undefined;
  const paths: string[][] = [];
  for (const p of list) {
    const keys = keyPath(p);
    if (keys === undefined) return undefined;
    paths.push(keys);
  }
  return paths;
}

/** An array index as lodash reads a key (`'2'`, not `'02'`). */
const INDEX = /^(?:0|[1-9]\d*)$/;

/**
 * `node` without the value at `keys`, as lodash's `unset` leaves plotly's widget model (an array
 * item becomes a hole, written null), copying what it changes; `node` itself when the path names
 * nothing there.
 */
function unset(node: Json | undefined, keys: readonly string[], at = 0): Json | undefined {
  const key = keys[at] as string;
  const last = at === keys.length - 1;
  if (Array.isArray(node)) {
    const k = INDEX.test(key) ? Number(key) : node.length;
    if (k >= node.length) return node;
    const next = last ? null : unset(node[k], keys, at + 1);
    if (next === node[k] || next === undefined) return node;
    const copy = [...node];
    copy[k] = next;
    return copy;
  }
  if (!isRecord(node) || !Object.hasOwn(node, key)) return node;
  const copy: Figure = { ...node };
  if (last) delete copy[key];
  else {
    const next = unset(node[key], keys, at + 1);
    if (next === node[key] || next === undefined) return node;
    copy[key] = next;
  }
  return copy;
}

/** `node` without the values at each of `paths` (as unset), `node` itself when none was there. */
export function removeProps(node: Json | undefined, paths: readonly string[][]): Json | undefined {
  let out = node;
  for (const keys of paths) out = unset(out, keys);
  return out;
}
