/**
 * Why: plotly.js's relayout (also the layout half of update and animate) edits the layout's lists
 * of components — annotations, shapes, images, sliders, updatemenus, selections, and the nested
 * scene annotations, map layers and menu buttons (`Registry.layoutArrayContainers` and
 * `layoutArrayRegexes`) — unlike other attributes (`plot_api/manage_arrays.js`,
 * `applyContainerArrayChanges`): `'annotations[2]'` set to an object or 'add' inserts an item
 * there (the items after it move down), set to null or 'remove' deletes it (they move up), and
 * `'annotations'` set to null or 'remove' deletes the list. Those edits run after the relayout's
 * other attributes, per list, index by index in ascending order, deletions last. Read as a
 * replacement, an insert would lose the item it pushes down for later edits, and a 'remove' left
 * as a string would refuse every later edit of that item (its text never read).
 */
import { isRecord, type Json } from './json-value.js';
import { parsePlotlyPath, setPlotlyPath, type IndexBudget } from './plotly-path.js';

/** A layout object. */
type Layout = Record<string, Json>;

/** Layout lists plotly.js edits as component arrays (components whose attributes are a `templatedArray`). */
const LISTS = new Set(['annotations', 'shapes', 'images', 'sliders', 'updatemenus', 'selections']);

/** Nested component arrays (`_arrayAttrRegexps`, as plotly.js writes them), matched first. */
const NESTED_LISTS = [
  /^scene([2-9]|[1-9][0-9]+)?\.annotations/,
  /^mapbox([2-9]|[1-9][0-9]+)?\.layers/,
  /^map([2-9]|[1-9][0-9]+)?\.layers/,
  /^updatemenus\[(0|[1-9][0-9]+)\]\.buttons/,
];

/** An item index and the rest of the path after it (`containerArrayMatch`'s tail). */
const ITEM = /^\[(0|[1-9][0-9]*)\](?:\.(.+))?$/;

/** One relayout key into a component list: the list, the item (undefined: the whole list), the rest. */
interface ListEdit {
  list: string;
  index: number | undefined;
  prop: string;
}

/** The list edit `path` names (plotly.js `containerArrayMatch`), or undefined for another path. */
function listEdit(path: string): ListEdit | undefined {
  let list = NESTED_LISTS.map((re) => re.exec(path)?.[0]).find((m) => m !== undefined);
  if (list === undefined) {
    const root = path.split('[')[0] as string;
    if (LISTS.has(root)) list = root;
  }
  if (list === undefined) return undefined;
  const tail = path.slice(list.length);
  if (tail === '') return { list, index: undefined, prop: '' };
  const m = ITEM.exec(tail);
  return m === null ? undefined : { list, index: Number(m[1]), prop: m[2] ?? '' };
}

/** The value at the plotly attribute string `path` of `layout`, undefined when none is there. */
function valueAt(layout: Layout, path: string): Json | undefined {
  let node: Json | undefined = layout;
  for (const part of parsePlotlyPath(path) ?? []) {
    if (typeof part === 'number') node = Array.isArray(node) ? node[part] : undefined;
    else node = isRecord(node) && Object.hasOwn(node, part) ? node[part] : undefined;
  }
  return node;
}

/** True for a value plotly.js reads as deleting an item or the list (`isRemoveVal`). */
const removes = (v: Json | undefined): boolean => v === null || v === 'remove';

/** True for a value plotly.js inserts as a new item (`isAddVal`). */
const adds = (v: Json | undefined): boolean => v === 'add' || isRecord(v);

/** The path of item `index` of `list` with `prop` after it (`prop` '' for the item itself). */
const itemPath = (list: string, index: number, prop: string): string =>
  `${list}[${index}]${prop === '' ? '' : `.${prop}`}`;

/**
 * `layout` with one list's edits applied as `applyContainerArrayChanges` applies them (`edits`:
 * item index, or undefined for the whole list → rest of path → value). An edit plotly.js finds out
 * of range, or a list that is not a list, is written as a plain attribute path instead (as before:
 * more is read, never less); a value plotly.js refuses for an item or a list changes nothing.
 */
function applyListEdits(
  layout: Layout,
  list: string,
  edits: Map<number | undefined, Map<string, Json>>,
  budget: IndexBudget,
): Layout {
  const plain = (out: Layout, index: number, props: Map<string, Json>): Layout => {
    for (const [prop, v] of props)
      if (!removes(v))
        out = setPlotlyPath(out, itemPath(list, index, prop), v === 'add' ? {} : v, budget);
    return out;
  };
  const whole = edits.get(undefined)?.get('');
  if (edits.has(undefined)) {
    if (removes(whole)) return setPlotlyPath(layout, list, null, budget);
    return Array.isArray(whole) ? setPlotlyPath(layout, list, whole, budget) : layout;
  }
  const current = valueAt(layout, list);
  const indexes = [...edits.keys()]
    .filter((k): k is number => k !== undefined)
    .sort((a, b) => a - b);
  if (current !== undefined && current !== null && !Array.isArray(current)) {
    let out = layout;
    for (const k of indexes) out = plain(out, k, edits.get(k) as Map<string, Json>);
    return out;
  }
  const items: Json[] = Array.isArray(current) ? [...current] : [];
  if (!budget.take(items.length)) return layout;
  const deletes: number[] = [];
  const outOfRange: number[] = [];
  for (const k of indexes) {
    const props = edits.get(k) as Map<string, Json>;
    const item = props.get('');
    if (k > items.length - (adds(item) ? 0 : 1)) {
      outOfRange.push(k);
      continue;
    }
    if (props.has('')) {
      // The item itself: inserted or deleted; other edits of the same index are ignored.
      if (removes(item)) deletes.push(k);
      else if (adds(item)) items.splice(k, 0, item === 'add' ? {} : (item as Json));
      continue;
    }
    for (const [prop, v] of props) {
      const old = items[k];
      // plotly.js cannot edit into a hole; the book writes an item there (more is read).
      if (isRecord(old) || old === null || old === undefined)
        items[k] = setPlotlyPath(isRecord(old) ? old : {}, prop, v, budget);
    }
  }
  for (const k of deletes.reverse()) items.splice(k, 1);
  let out = setPlotlyPath(layout, list, items.length === 0 ? null : items, budget);
  for (const k of outOfRange) out = plain(out, k, edits.get(k) as Map<string, Json>);
  return out;
}

/**
 * `layout` after a relayout (`{path: value}`, plotly attribute strings), as plotly.js applies it:
 * every other attribute in order, then the edits of each component list (`applyListEdits`).
 */
export function relayout(layout: Layout, changes: Json | undefined, budget: IndexBudget): Layout {
  if (!isRecord(changes)) return layout;
  let out: Layout = { ...layout };
  const lists = new Map<string, Map<number | undefined, Map<string, Json>>>();
  for (const [path, value] of Object.entries(changes)) {
    const edit = listEdit(path);
    if (edit === undefined) {
      out = setPlotlyPath(out, path, value, budget);
      continue;
    }
    const items = lists.get(edit.list) ?? new Map<number | undefined, Map<string, Json>>();
    lists.set(edit.list, items);
    const props = items.get(edit.index) ?? new Map<string, Json>();
    items.set(edit.index, props);
    props.set(edit.prop, value);
  }
  for (const [list, edits] of lists) out = applyListEdits(out, list, edits, budget);
  return out;
}
