/**
 * Layout edits that only move the view of a FigureWidget (zoom, pan, autorange, rotation, resize,
 * drag mode): the widget book drops them, as no figure table reads them and a gesture sends many.
 */
/** Layout paths a zoom, pan, rotation, resize or mode switch sets (as relayout data names them). */
const VIEW_PATH = new RegExp(
  `^(?:${[
    String.raw`[xy]axis\d*\.(?:range(?:\[[01]\])?|autorange|showspikes)`,
    String.raw`scene\d*\.(?:camera(?:\..+)?|[xyz]axis\.(?:range(?:\[[01]\])?|autorange))`,
    String.raw`geo\d*\.(?:projection\.(?:rotation\.(?:lon|lat|roll)|scale)|center\.(?:lon|lat))`,
    String.raw`(?:mapbox|map)\d*\.(?:center(?:\.(?:lon|lat))?|zoom|bearing|pitch|_derived)`,
    String.raw`polar\d*\.(?:radialaxis\.(?:range(?:\[[01]\])?|autorange|angle)|angularaxis\.rotation)`,
    String.raw`ternary\d*\.[abc]axis\.min`,
    'dragmode|hovermode|autosize|width|height|lastInputTime',
  ].join('|')})$`,
);

/** A mode name (`zoom`, `x unified`, `perspective`) or a date on a date axis (`2024-03-01 12:00`). */
const VIEW_WORD =
  /^(?:[a-z]{1,16}(?: [a-z]{1,16})?|\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?)$/;

/** Most values one view-only edit may hold (a map's `_derived` corner list is a few dozen). */
const MAX_VIEW_VALUES = 1_000;

/** True when `value` holds only numbers, booleans, nulls and view words (any nesting, bounded). */
function viewValue(value: unknown): boolean {
  const stack: unknown[] = [value];
  let seen = 0;
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v === 'number' || typeof v === 'boolean') continue;
    if (typeof v === 'string' && VIEW_WORD.test(v)) continue;
    if (typeof v !== 'object') return false;
    for (const item of Array.isArray(v) ? v : Object.values(v)) {
      if (++seen > MAX_VIEW_VALUES) return false;
      stack.push(item);
    }
  }
  return true;
}

/**
 * True for a layout edit that only moves the view (zoom, pan, autorange, rotation, resize, drag
 * mode): numbers and mode names at view paths, which no figure table reads. Zooming sends a few of
 * these per gesture, so the widget book does not keep them (it keeps every other layout edit).
 */
export function isViewOnlyEdit(key: string, payload: Record<string, unknown>): boolean {
  if (key === '_py2js_relayout' || key === '_js2py_relayout') {
    const changes = payload.relayout_data;
    if (typeof changes !== 'object' || changes === null || Array.isArray(changes)) return false;
    return Object.entries(changes).every(([path, v]) => VIEW_PATH.test(path) && viewValue(v));
  }
  if (key === '_py2js_removeLayoutProps') {
    const paths = payload.remove_props;
    return (
      Array.isArray(paths) &&
      paths.every((p) => Array.isArray(p) && p.length <= 8 && VIEW_PATH.test(p.join('.')))
    );
  }
  return false;
}
