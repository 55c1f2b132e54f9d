/**
 * Maps a path inside a parsed YAML document back to file:line:column, so every policy error can
 * point at the exact key. Uses the `yaml` package's own node ranges — no re-parsing by hand.
 */
import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
} from 'yaml';
import type { SourcePosition } from './errors.js';
import { POLICY_YAML_OPTIONS } from './yaml-options.js';

/** Each mapping's pairs by key text, built once: every issue looks a key up (4,000 issues, one map). */
const pairIndex = new WeakMap<YAMLMap, Map<string, Pair>>();

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  let index = pairIndex.get(map);
  if (!index) {
    index = new Map();
    for (const p of map.items) {
      const k = isScalar(p.key) ? String(p.key.value) : undefined;
      if (k !== undefined && !index.has(k)) index.set(k, p);
    }
    pairIndex.set(map, index);
  }
  return index.get(key);
}

/** Finds the position of `path` (keys and indexes) in `doc`, falling back to the nearest parent. */
export function positionOf(
  doc: Document,
  lineCounter: LineCounter,
  file: string,
  path: readonly (string | number)[],
  preferKey = false,
): SourcePosition {
  let node: unknown = doc.contents;
  let offset = node && (node as Node).range ? (node as Node).range![0] : 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (isMap(node)) {
      const pair = pairOf(node, String(segment));
      if (!pair || !isPair(pair)) break;
      const keyNode = pair.key as Node;
      const last = i === path.length - 1;
      offset = keyNode.range ? keyNode.range[0] : offset;
      if (last && preferKey) break;
      node = pair.value;
      if (!last && node && (node as Node).range) offset = (node as Node).range![0];
      if (last && node && (node as Node).range && !preferKey) offset = (node as Node).range![0];
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      node = item;
      if (item.range) offset = item.range[0];
    } else {
      break;
    }
  }
  const { line, col } = lineCounter.linePos(offset);
  return { file, line, column: col };
}

/** The path (keys and indexes) of the innermost node containing `offset`, for YAML-level errors. */
export function pathAtOffset(doc: Document, offset: number): (string | number)[] {
  const path: (string | number)[] = [];
  let node: unknown = doc.contents;
  for (let depth = 0; depth < 100 && node; depth++) {
    let next: unknown;
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = pair.key as Node | null;
        const value = pair.value as Node | null;
        const start = key?.range?.[0] ?? value?.range?.[0];
        const end = value?.range?.[2] ?? key?.range?.[2];
        if (start === undefined || end === undefined || offset < start || offset >= end) continue;
        path.push(isScalar(key) ? String(key.value) : '?');
        next = value && value.range && offset >= value.range[0] ? value : undefined;
        break;
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const range = (item as Node | null)?.range;
        if (range && offset >= range[0] && offset < range[2]) {
          path.push(i);
          next = item;
        }
      });
    }
    node = next;
  }
  return path;
}

/** Where keys of policy `text` (from `file`) are, for notes about a policy that parsed fine. */
export function policyPositions(
  text: string,
  file: string,
): (path: readonly (string | number)[]) => SourcePosition {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { ...POLICY_YAML_OPTIONS, lineCounter });
  return (path) => positionOf(doc, lineCounter, file, path, true);
}
