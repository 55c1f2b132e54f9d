// Why: the review check reads outputs and cell sources only, yet a notebook carries text and
// numbers in other places too: notebook and cell metadata, cell ids and types, execution counts,
// nbformat_minor, and the MIME types and values of a display output. Each of those leaves an
// export only as nbformat needs it and in a form that cannot carry a raw value: a cell's UI flags
// as booleans, the kernel's names as short plain words (checked with the sources, filter.ts),
// small integers, ids the gateway makes up itself, and a text MIME part only as text (the check
// joins the strings of a part and skips anything else, so a part holding other items is
// malformed). A MIME type is free text too: one that is not among the common ones is checked
// like a source (filter.ts). Everything else is dropped, or (an unknown cell type) refused.
import type { JsonValue } from '@privet/core/record/index';
import {
  DP_RELEASE_MIME,
  WIDGET_STATE_MIME,
  WIDGET_VIEW_MIME,
  type NotebookOutput,
} from '@privet/core/review/index';
import { HttpError } from '../http/errors.js';

type JsonObject = { [key: string]: JsonValue };

const isObject = (v: JsonValue | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The cell types nbformat 4 defines; a cell of any other type refuses the export. */
export const CELL_TYPES: readonly string[] = ['code', 'markdown', 'raw'];

/** The newest nbformat 4 minor version the export writes (cell ids from 4.5 on). */
const NEWEST_MINOR = 5;

/** Refuses (400) a notebook with a cell whose type is not code, markdown or raw. */
export function requireCellTypes(cells: readonly JsonObject[]): void {
  const at = cells.findIndex(
    (c) => typeof c.cell_type !== 'string' || !CELL_TYPES.includes(c.cell_type),
  );
  if (at >= 0)
    throw new HttpError(
      'bad_request',
      `cell ${at} of the notebook has a missing or unknown "cell_type" (nbformat 4 knows code, markdown and raw)`,
      `make cell ${at} a code, markdown or raw cell (or delete it), save the notebook in Jupyter and export again`,
    );
}

/** nbformat_minor as exported: 0–5 as given; anything else (or missing) becomes 5. */
export function exportedMinor(value: JsonValue | undefined): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= NEWEST_MINOR
    ? value
    : NEWEST_MINOR;
}

/**
 * A cell's id as exported: made up from its index (`cell-<index>`), never the id it came with,
 * which is free text that could itself be a raw value; only nbformat 4.5 and later have ids.
 */
export function exportedCellId(index: number, minor: number): string | undefined {
  return minor >= NEWEST_MINOR ? `cell-${index}` : undefined;
}

/** An execution count as exported: a non-negative integer below 1,000,000, else null. */
export function exportedExecutionCount(value: JsonValue | undefined): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value < 1e6
    ? value
    : null;
}

const CELL_FLAGS = ['collapsed', 'editable', 'deletable'] as const;
const JUPYTER_FLAGS = ['source_hidden', 'outputs_hidden'] as const;

/**
 * A cell's metadata as exported: only its UI flags, as booleans (`scrolled` may also be nbformat's
 * "auto", a fixed word); tags, names and everything else are dropped.
 */
export function exportedCellMetadata(metadata: JsonValue | undefined): JsonObject {
  const out: JsonObject = {};
  if (!isObject(metadata)) return out;
  for (const k of CELL_FLAGS) if (typeof metadata[k] === 'boolean') out[k] = metadata[k];
  const scrolled = metadata.scrolled;
  if (typeof scrolled === 'boolean' || scrolled === 'auto') out.scrolled = scrolled;
  const jupyter = metadata.jupyter;
  if (isObject(jupyter)) {
    const flags: JsonObject = {};
    for (const k of JUPYTER_FLAGS) if (typeof jupyter[k] === 'boolean') flags[k] = jupyter[k];
    if (Object.keys(flags).length > 0) out.jupyter = flags;
  }
  return out;
}

/** What a kernel's or language's name may look like to be exported (short, plain words). */
const KERNEL_NAME = /^[A-Za-z0-9 ._+()-]{1,64}$/;

function names(source: JsonValue | undefined, keys: readonly string[]): JsonObject | undefined {
  if (!isObject(source)) return undefined;
  const out: JsonObject = {};
  for (const k of keys) {
    const v = source[k];
    if (typeof v === 'string' && KERNEL_NAME.test(v)) out[k] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * The notebook metadata an export may keep: the kernelspec's name, display name and language and
 * language_info's name, each only when it is a short plain name (others dropped). The caller
 * checks the kept names as it checks sources (`metadataText`) and drops them all on a hit.
 */
export function exportedNotebookMetadata(metadata: JsonValue | undefined): JsonObject {
  const out: JsonObject = {};
  if (!isObject(metadata)) return out;
  const kernelspec = names(metadata.kernelspec, ['name', 'display_name', 'language']);
  if (kernelspec) out.kernelspec = kernelspec;
  const languageInfo = names(metadata.language_info, ['name']);
  if (languageInfo) out.language_info = languageInfo;
  return out;
}

/** The kept metadata's names, one a line, as the rules and the raw-value lookup read them. */
export function metadataText(metadata: JsonObject): string {
  return Object.values(metadata)
    .flatMap((group) => (isObject(group) ? Object.values(group) : []))
    .filter((v): v is string => typeof v === 'string')
    .join('\n');
}

/** A MIME type as nbformat writes it (RFC 6838 names): anything else makes an output malformed. */
const MIME_TYPE =
  /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;

/** True for a JSON MIME type (application/json, anything +json): its value may be any JSON. */
export function isJsonMime(mime: string): boolean {
  const m = mime.toLowerCase();
  return m === 'application/json' || m.endsWith('+json');
}

/** MIME types Jupyter, its usual libraries and Privet write: fixed words, not looked up. */
const COMMON_MIME = new Set([
  'text/plain',
  'text/html',
  'text/markdown',
  'text/latex',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/svg+xml',
  'application/json',
  'application/javascript',
  'application/pdf',
  'application/geo+json',
  'application/vnd.dataresource+json',
  'application/vnd.plotly.v1+json',
  'application/vnd.vega.v5+json',
  'application/vnd.vegalite.v4+json',
  'application/vnd.vegalite.v5+json',
  'application/vnd.privet.withheld+json',
  DP_RELEASE_MIME,
  WIDGET_STATE_MIME,
  WIDGET_VIEW_MIME,
]);

/**
 * The MIME types of a display output besides the common ones, as a stream output that the rules
 * and the raw-value lookup read: each type as written and with its punctuation read as spaces
 * (the lookup splits words at spaces, not at "/" or "."); undefined when it has none.
 */
export function unusualMimeTypes(output: JsonValue | undefined): NotebookOutput | undefined {
  if (!isObject(output) || !isObject(output.data)) return undefined;
  const text = Object.keys(output.data)
    .filter((m) => !COMMON_MIME.has(m))
    .map((m) => `${m}\n${m.replace(/[^\p{L}\p{N}]+/gu, ' ')}`)
    .join('\n');
  if (text === '') return undefined;
  return { output_type: 'stream', name: 'stdout', text } as NotebookOutput;
}

const isText = (v: JsonValue | undefined): boolean =>
  typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));

/**
 * A display output's MIME bundle as exported, or undefined when it is malformed: a MIME type that
 * is not one, or a part of a non-JSON type that is not a string or a list of strings (the check
 * reads only the strings of such a part, so nothing else in it may leave).
 */
export function checkedData(data: JsonValue | undefined): JsonObject | undefined {
  if (!isObject(data)) return undefined;
  const out: JsonObject = {};
  for (const [mime, value] of Object.entries(data)) {
    if (!MIME_TYPE.test(mime)) return undefined;
    if (!isJsonMime(mime) && !isText(value)) return undefined;
    out[mime] = value;
  }
  return out;
}
