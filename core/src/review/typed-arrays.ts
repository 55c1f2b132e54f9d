/**
 * Plotly typed arrays: plotly.py ≥ 6 writes numpy arrays as `{dtype, bdata, shape?}` (base64 of the
 * array's little-endian bytes) and plotly.js decodes them into the numbers it draws, so a chart of
 * `value_counts()` carries its counts only as base64. They are decoded here into plain number lists
 * before the table rules and the identifier scan read the figure. A spec that does not decode
 * exactly (unknown dtype, not base64, a byte count that is not a whole number of items, a shape that
 * does not match, more values than the budget) is never skipped: it is reported, so the output is
 * held, and read as an empty list.
 */
import type { Json } from './json-value.js';

/** Most values decoded from the typed arrays of one output (as many as a JSON output may hold). */
export const MAX_TYPED_VALUES = 2_000_000;

/** How one dtype is read: bytes per item and the little-endian read of one item. */
interface Dtype {
  size: number;
  read: (v: DataView, at: number) => number;
}

const i1: Dtype = { size: 1, read: (v, at) => v.getInt8(at) };
const u1: Dtype = { size: 1, read: (v, at) => v.getUint8(at) };
const i2: Dtype = { size: 2, read: (v, at) => v.getInt16(at, true) };
const u2: Dtype = { size: 2, read: (v, at) => v.getUint16(at, true) };
const i4: Dtype = { size: 4, read: (v, at) => v.getInt32(at, true) };
const u4: Dtype = { size: 4, read: (v, at) => v.getUint32(at, true) };
const f4: Dtype = { size: 4, read: (v, at) => v.getFloat32(at, true) };
const f8: Dtype = { size: 8, read: (v, at) => v.getFloat64(at, true) };

/**
 * The dtypes plotly.js decodes (src/lib/array.js): the short names plotly.py writes and the long
 * names plotly.js accepts as well. A Map, so that 'constructor' or '__proto__' is no dtype.
 */
const DTYPES = new Map<string, Dtype>([
  ['i1', i1],
  ['u1', u1],
  ['u1c', u1],
  ['i2', i2],
  ['u2', u2],
  ['i4', i4],
  ['u4', u4],
  ['f4', f4],
  ['f8', f8],
  ['int8', i1],
  ['uint8', u1],
  ['uint8c', u1],
  ['int16', i2],
  ['uint16', u2],
  ['int32', i4],
  ['uint32', u4],
  ['float32', f4],
  ['float64', f8],
]);

/** The value of each base64 character, -1 for any other code unit below 128. */
const B64 = new Int8Array(128).fill(-1);
for (let k = 0; k < 64; k++)
  B64['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(k)] = k;

/**
 * The length of strict base64 `s` without its padding (only A–Z a–z 0–9 + /, then at most two '='
 * ending a length that is a multiple of 4; unpadded, any length but 4k+1), or -1. Strict because
 * plotly.js's decoder does not check its input: whitespace or other characters would decode to
 * other numbers there than here.
 */
function base64Length(s: string): number {
  let n = s.length;
  if (n > 0 && s.charCodeAt(n - 1) === 61) {
    if (n % 4 !== 0) return -1;
    n--;
    if (s.charCodeAt(n - 1) === 61) n--;
  }
  if (n % 4 === 1) return -1;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(k);
    if (c >= 128 || (B64[c] as number) < 0) return -1;
  }
  return n;
}

/** The bytes of the first `n` base64 characters of `s` (checked by `base64Length`). */
function decodeBase64(s: string, n: number): Uint8Array {
  const bytes = Math.floor((n * 3) / 4);
  const out = new Uint8Array(bytes);
  const at = (k: number): number => (k < n ? (B64[s.charCodeAt(k)] as number) : 0);
  let o = 0;
  for (let k = 0; o < bytes; k += 4) {
    const bits = (at(k) << 18) | (at(k + 1) << 12) | (at(k + 2) << 6) | at(k + 3);
    out[o++] = bits >>> 16;
    if (o < bytes) out[o++] = (bits >>> 8) & 255;
    if (o < bytes) out[o++] = bits & 255;
  }
  return out;
}

/**
 * The dimensions a `shape` gives (plotly.py writes numpy's `"3, 2"`; plotly.js also takes a number
 * or `"3,2"`), or undefined when it is not 1–3 whole numbers (plotly.js reads at most 3).
 */
function dimensions(shape: Json | undefined, items: number): number[] | undefined {
  if (shape === undefined) return [items];
  if (typeof shape !== 'string' && typeof shape !== 'number') return undefined;
  const parts = String(shape).split(',');
  if (parts.length > 3) return undefined;
  const dims: number[] = [];
  for (const p of parts) {
    const t = p.trim();
    if (!/^\d{1,10}$/.test(t)) return undefined;
    dims.push(Number(t));
  }
  return dims;
}

/** Cuts `flat` into nested lists of `dims` (row-major, as numpy and plotly.js lay them out). */
function reshape(flat: number[], dims: readonly number[]): Json[] {
  if (dims.length === 1) return flat;
  const inner = dims.slice(1);
  const step = inner.reduce((a, b) => a * b, 1);
  const out: Json[] = [];
  for (let k = 0; k < (dims[0] ?? 0); k++)
    out.push(reshape(flat.slice(k * step, (k + 1) * step), inner));
  return out;
}

/** True for a value plotly.js would decode as a typed array, or one that tries to be: a `bdata` key. */
export function isTypedArraySpec(v: unknown): v is Record<string, Json> {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    Object.prototype.hasOwnProperty.call(v, 'bdata')
  );
}

/** An attribute name fit to quote in a finding (plotly's are short lower-case words). */
const quotable = (key: string): string => (/^[a-z][a-z0-9_]{0,30}$/.test(key) ? `${key}: ` : '');

/** The list a value nested in a trace draws: a list, a typed array decoded, else undefined. */
export type ListOf = (v: Json | undefined) => Json[] | undefined;

/**
 * Decodes the typed arrays of one plotly figure, each once (the table reader and the identifier
 * scan share the result), within one budget of MAX_TYPED_VALUES values; `onProblem` hears of each
 * spec that does not decode, as what it leaves unread (never a data value).
 */
export class TypedArrays {
  private readonly decoded = new Map<object, Json[]>();
  private left: number;
  constructor(
    private readonly onProblem?: (unread: string) => void,
    budget = MAX_TYPED_VALUES,
  ) {
    this.left = budget;
  }

  /** The list `v` draws: `v` itself when it is a list, a typed array's values, else undefined. */
  values(v: Json | undefined, key = ''): Json[] | undefined {
    if (Array.isArray(v)) return v;
    if (!isTypedArraySpec(v)) return undefined;
    let out = this.decoded.get(v);
    if (out === undefined) {
      out = this.decode(v, key);
      this.decoded.set(v, out);
    }
    return out;
  }

  private decode(spec: Record<string, Json>, key: string): Json[] {
    const fail = (why: string): Json[] => {
      this.onProblem?.(`the values of a plotly typed array (${quotable(key)}${why})`);
      return [];
    };
    const type = spec.dtype;
    const dtype = typeof type === 'string' ? DTYPES.get(type) : undefined;
    if (dtype === undefined) return fail('a dtype plotly.js does not decode');
    const b = spec.bdata;
    if (typeof b !== 'string') return fail('bdata that is not a base64 string');
    const chars = base64Length(b);
    if (chars < 0) return fail('bdata that is not base64');
    const bytes = Math.floor((chars * 3) / 4);
    if (bytes % dtype.size !== 0) return fail('a byte count that is not a whole number of items');
    const items = bytes / dtype.size;
    const dims = dimensions(spec.shape, items);
    if (dims === undefined) return fail('a shape that is not 1 to 3 whole numbers');
    // Every dimension at least 1 (a shape of "1000000000, 0" holds nothing but would loop long).
    if (items === 0) return [];
    if (dims.some((d) => d < 1) || dims.reduce((a, d) => a * d, 1) !== items)
      return fail('a shape other than its length');
    if (items > this.left)
      return fail(`past the first ${MAX_TYPED_VALUES.toLocaleString('en')} typed array values`);
    this.left -= items;
    const view = new DataView(decodeBase64(b, chars).buffer);
    const flat = new Array<number>(items);
    for (let k = 0; k < items; k++) flat[k] = dtype.read(view, k * dtype.size);
    return reshape(flat, dims);
  }
}
