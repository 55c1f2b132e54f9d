/**
 * Why: renderers draw from an output's metadata as well as its data — JupyterLab's JSON viewer
 * labels the tree with `root`, the vega renderer hands `embed_options` to vega-embed, whose
 * `patch` rewrites the chart (its data and title) before drawing — yet the checks and the approval
 * hash read the data. A gate therefore hands renderers only the metadata that sizes or frames what
 * the data draws, never what could add to it.
 */

/** Per-MIME metadata keys that only size or frame a drawing (images, JSON tree, HTML frames). */
const DRAWN_KEYS = new Set([
  'width',
  'height',
  'unconfined',
  'needs_background',
  'isolated',
  'expanded',
]);
/** Output-level metadata keys that only frame a drawing. */
const OUTPUT_KEYS = new Set(['isolated', 'scrolled']);

/** A metadata value a renderer may size or frame a drawing with. */
export type DrawnScalar = boolean | number | string;

/** Keeps of an output's metadata only the keys that size or frame what its data draws. */
export function drawnMetadata(
  metadata: unknown,
): Record<string, DrawnScalar | Record<string, DrawnScalar>> {
  const kept: Record<string, DrawnScalar | Record<string, DrawnScalar>> = {};
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return kept;
  for (const [key, value] of Object.entries(metadata)) {
    if (OUTPUT_KEYS.has(key) && isScalar(value)) {
      kept[key] = value;
    } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const inner: Record<string, DrawnScalar> = {};
      for (const [k, v] of Object.entries(value))
        if (DRAWN_KEYS.has(k) && isScalar(v)) inner[k] = v;
      if (Object.keys(inner).length > 0) kept[key] = inner;
    }
  }
  return kept;
}

function isScalar(value: unknown): value is DrawnScalar {
  return (
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value)) ||
    (typeof value === 'string' && value.length <= 40)
  );
}
