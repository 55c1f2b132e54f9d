/**
 * How one result value becomes display text, by its column's cell kind: dates and times as SQL
 * writes them; the types apache-arrow hands over as raw words or bytes (exact decimals, 128-bit
 * integers, intervals, blobs, arbitrary-precision integers) as DuckDB's own `CAST(x AS VARCHAR)`.
 * Pure: no Arrow import, no host APIs.
 */

/** How a cell's column is typed, as far as display text cares (times by their unit). */
export type CellKind =
  | 'date'
  | 'timestamp'
  | 'time_s'
  | 'time_ms'
  | 'time_us'
  | 'time_ns'
  | 'decimal'
  | 'interval'
  | 'blob'
  | 'uhugeint'
  | 'bignum'
  | 'other';

/** An interval as DuckDB stores it: months, days and nanoseconds (Arrow's MONTH_DAY_NANO). */
export interface IntervalParts {
  months: number;
  days: number;
  nanos: bigint;
}

/** Blob bytes shown before the rest is summed up as a size. */
const BLOB_SHOWN_BYTES = 256;

/** Bignum bytes beyond which digits are not worked out (their text would be thousands of digits). */
const BIGNUM_SHOWN_BYTES = 1024;

/** A two's complement integer from little-endian 32-bit words (Arrow's decimal layout). */
function signedFromWords(words: ArrayLike<number>): bigint {
  let value = 0n;
  for (let i = words.length - 1; i >= 0; i--) value = (value << 32n) | BigInt(words[i]! >>> 0);
  const bits = BigInt(words.length * 32);
  const top = words[words.length - 1];
  return top !== undefined && top >>> 31 === 1 ? value - (1n << bits) : value;
}

/** An exact decimal from its unscaled integer (or Arrow's words) and scale, e.g. `-0.050`. */
export function exactDecimalText(
  unscaled: bigint | Uint32Array | Int32Array,
  scale: number,
): string {
  const value = typeof unscaled === 'bigint' ? unscaled : signedFromWords(unscaled);
  if (scale <= 0) return (value * 10n ** BigInt(-scale)).toString();
  const digits = (value < 0n ? -value : value).toString().padStart(scale + 1, '0');
  const sign = value < 0n ? '-' : '';
  return `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** An unsigned integer from little-endian bytes (DuckDB's UHUGEINT as Arrow fixed-size binary). */
export function unsignedLittleEndianText(bytes: Uint8Array): string {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
  return value.toString();
}

/**
 * DuckDB's BIGNUM (VARINT) bytes as digits: a 3-byte header whose top bit is set for positive
 * numbers, then the magnitude big-endian; a negative number has every byte inverted.
 */
export function bignumText(bytes: Uint8Array): string {
  if (bytes.length < 3 || bytes.length - 3 > BIGNUM_SHOWN_BYTES) {
    return `(bignum, ${bytes.length} bytes)`;
  }
  const negative = (bytes[0]! & 0x80) === 0;
  let hex = '';
  for (const b of bytes.subarray(3))
    hex += ((negative ? ~b : b) & 0xff).toString(16).padStart(2, '0');
  const magnitude = hex === '' ? 0n : BigInt(`0x${hex}`);
  return (negative ? -magnitude : magnitude).toString();
}

/** A blob as DuckDB writes it (printable ASCII kept, other bytes as `\xHH`), long ones cut short. */
export function blobText(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes.subarray(0, BLOB_SHOWN_BYTES)) {
    const regular = b >= 32 && b <= 126 && b !== 0x5c && b !== 0x27 && b !== 0x22;
    text += regular
      ? String.fromCharCode(b)
      : `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return bytes.length > BLOB_SHOWN_BYTES ? `${text}… (blob, ${bytes.length} bytes)` : text;
}

/** `n unit`, plural unless n is ±1 (DuckDB's interval words). */
function count(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 || n === -1 ? '' : 's'}`;
}

/** An interval as DuckDB writes it: `1 year 2 months 3 days 04:05:06.5`, or `00:00:00`. */
export function sqlIntervalText(parts: IntervalParts): string {
  const years = Math.trunc(parts.months / 12);
  const months = parts.months - years * 12;
  const words: string[] = [];
  if (years !== 0) words.push(count(years, 'year'));
  if (months !== 0) words.push(count(months, 'month'));
  if (parts.days !== 0) words.push(count(parts.days, 'day'));
  // DuckDB keeps microseconds; Arrow carries them as nanoseconds.
  const micros = parts.nanos / 1000n;
  if (micros !== 0n || words.length === 0) {
    const sign = micros < 0n ? '-' : '';
    words.push(sign + timeText(micros < 0n ? -micros : micros, 'time_us'));
  }
  return words.join(' ');
}

/** Digits after the second (microseconds at most, trailing zeros dropped), with their dot. */
function fraction(micros: number): string {
  return micros === 0 ? '' : `.${String(micros).padStart(6, '0').replace(/0+$/, '')}`;
}

/** A timestamp given in (fractional) milliseconds since the epoch, as `YYYY-MM-DD hh:mm:ss.ffffff` (UTC). */
function timestampText(ms: number): string {
  const second = Math.floor(ms / 1000) * 1000;
  const iso = new Date(second).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction(Math.round((ms - second) * 1000))}`;
}

/** A time of day given in `kind`'s unit since midnight, as `hh:mm:ss.ffffff`. */
function timeText(value: number | bigint, kind: CellKind): string {
  const perSecond = { time_s: 1n, time_ms: 1_000n, time_us: 1_000_000n, time_ns: 1_000_000_000n }[
    kind as 'time_s'
  ];
  const ticks = typeof value === 'bigint' ? value : BigInt(Math.round(value));
  const seconds = ticks / perSecond;
  const micros = Number(((ticks % perSecond) * 1_000_000n) / perSecond);
  const two = (n: bigint): string => String(n).padStart(2, '0');
  return `${two(seconds / 3600n)}:${two((seconds / 60n) % 60n)}:${two(seconds % 60n)}${fraction(micros)}`;
}

/** Whether a value is an interval's parts (as toQueryResult reads them). */
function isIntervalParts(value: unknown): value is IntervalParts {
  const v = value as Partial<IntervalParts> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.months === 'number' &&
    typeof v.days === 'number' &&
    typeof v.nanos === 'bigint'
  );
}

/** Text of the kinds apache-arrow gives as words or bytes, or undefined for an unexpected value. */
function rawCellText(value: unknown, kind: CellKind, scale: number): string | undefined {
  if (kind === 'decimal') {
    if (value instanceof Uint32Array || value instanceof Int32Array || typeof value === 'bigint') {
      return exactDecimalText(value, scale);
    }
    return undefined;
  }
  // apache-arrow 17 cannot decode MONTH_DAY_NANO intervals (toQueryResult reads them raw), so
  // anything but parts is shown as a placeholder, never as apache-arrow's meaningless array.
  if (kind === 'interval') return isIntervalParts(value) ? sqlIntervalText(value) : '(interval)';
  if (!(value instanceof Uint8Array)) return undefined;
  if (kind === 'blob') return blobText(value);
  if (kind === 'uhugeint') return unsignedLittleEndianText(value);
  if (kind === 'bignum') return bignumText(value);
  return undefined;
}

/**
 * Renders one result value as text (dates as ISO, big integers and decimals exactly, intervals and
 * blobs as DuckDB writes them); `scale` is a decimal column's digits after the point; null stays null.
 */
export function formatCell(value: unknown, kind: CellKind, scale = 0): string | null {
  if (value === null || value === undefined) return null;
  const raw = rawCellText(value, kind, scale);
  if (raw !== undefined) return raw;
  if (kind === 'date' && typeof value === 'number') {
    return new Date(value).toISOString().slice(0, 10);
  }
  if (kind === 'timestamp' && typeof value === 'number') return timestampText(value);
  if (kind.startsWith('time_') && (typeof value === 'number' || typeof value === 'bigint')) {
    return timeText(value, kind);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'object') {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  }
  return String(value);
}
