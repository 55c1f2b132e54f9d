/**
 * How one result value becomes display text, by its column's cell kind: every kind as DuckDB's own
 * `CAST(x AS VARCHAR)` writes it — dates, timestamps and times (to the nanosecond, BC years,
 * infinities), floats with the digits DuckDB's {fmt} gives, and the types apache-arrow hands over
 * as raw words or bytes (exact decimals, 128-bit integers, intervals, blobs, bits, UUIDs, bignums).
 * Pure: no Arrow import, no host APIs.
 */

/** A time unit as Arrow numbers them: SECOND, MILLISECOND, MICROSECOND, NANOSECOND. */
export type TimeUnitName = 's' | 'ms' | 'us' | 'ns';

/** How a cell's column is typed, as far as display text cares (times by their unit). */
export type CellKind =
  | 'date'
  | 'timestamp'
  | `timestamp_${TimeUnitName}`
  | `timestamptz_${TimeUnitName}`
  | `time_${TimeUnitName}`
  | 'timetz'
  | 'boolean'
  | 'float'
  | 'double'
  | 'decimal'
  | 'interval'
  | 'blob'
  | 'bit'
  | 'uuid'
  | 'hugeint'
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

/** Bits of a BIT value shown before the rest is summed up as a count. */
const BITS_SHOWN = 2048;

/** Bignum bytes beyond which digits are not worked out (their text would be thousands of digits). */
const BIGNUM_SHOWN_BYTES = 1024;

/** Ticks per second and digits after the second, by time unit. */
const UNIT: Record<TimeUnitName, { perSecond: bigint; digits: number }> = {
  s: { perSecond: 1n, digits: 0 },
  ms: { perSecond: 1_000n, digits: 3 },
  us: { perSecond: 1_000_000n, digits: 6 },
  ns: { perSecond: 1_000_000_000n, digits: 9 },
};

/** DuckDB's `infinity` timestamp (any unit) is the largest int64, `-infinity` its negation. */
const TIMESTAMP_INFINITY = 2n ** 63n - 1n;

/** DuckDB's `infinity` date is the largest int32 day, `-infinity` its negation. */
const DATE_INFINITY = 2 ** 31 - 1;

/** Milliseconds per day (apache-arrow gives a date as milliseconds since the epoch). */
const MS_PER_DAY = 86_400_000;

/** DuckDB's TIMETZ keeps its offset as 57599 (16 hours less a second) minus offset seconds. */
const TIMETZ_MAX_OFFSET = 16 * 60 * 60 - 1;

/** A two's complement integer from little-endian 32-bit words (Arrow's decimal layout). */
function signedFromWords(words: ArrayLike<number>): bigint {
  let value = 0n;
  for (let i = words.length - 1; i >= 0; i--) value = (value << 32n) | BigInt(words[i]! >>> 0);
  const bits = BigInt(words.length * 32);
  const top = words[words.length - 1];
  return top !== undefined && top >>> 31 === 1 ? value - (1n << bits) : value;
}

/**
 * An exact decimal from its unscaled integer (or Arrow's words) and scale, e.g. `-0.050`. Given its
 * width (total digits) equal to its scale, DuckDB writes no zero before the point: `.500`.
 */
export function exactDecimalText(
  unscaled: bigint | Uint32Array | Int32Array,
  scale: number,
  width?: number,
): string {
  const value = typeof unscaled === 'bigint' ? unscaled : signedFromWords(unscaled);
  if (scale <= 0) return (value * 10n ** BigInt(-scale)).toString();
  const digits = (value < 0n ? -value : value).toString().padStart(scale + 1, '0');
  const sign = value < 0n ? '-' : '';
  const whole =
    width === scale ? digits.slice(0, -scale).replace(/^0$/, '') : digits.slice(0, -scale);
  return `${sign}${whole}.${digits.slice(-scale)}`;
}

/** An integer from little-endian bytes, two's complement when `signed`. */
function littleEndianInteger(bytes: Uint8Array, signed: boolean): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
  return signed ? BigInt.asIntN(bytes.length * 8, value) : value;
}

/** An unsigned integer from little-endian bytes (DuckDB's UHUGEINT as Arrow fixed-size binary). */
export function unsignedLittleEndianText(bytes: Uint8Array): string {
  return littleEndianInteger(bytes, false).toString();
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

/**
 * DuckDB's BIT bytes as its `0`/`1` text: the first byte counts the padding bits that open the
 * second byte, then the bits, most significant first. Long values are cut short.
 */
export function bitText(bytes: Uint8Array): string {
  const padding = bytes[0] ?? 8;
  if (bytes.length < 2 || padding > 7) return `(bit, ${bytes.length} bytes)`;
  const total = (bytes.length - 1) * 8 - padding;
  let text = '';
  for (let i = padding; i < padding + Math.min(total, BITS_SHOWN); i++) {
    text += (bytes[1 + (i >> 3)]! >> (7 - (i & 7))) & 1 ? '1' : '0';
  }
  return total > BITS_SHOWN ? `${text}… (bit, ${total} bits)` : text;
}

/** A UUID's 16 bytes (Arrow's `arrow.uuid`, big-endian) as DuckDB writes it, 8-4-4-4-12 hex digits. */
export function uuidText(bytes: Uint8Array): string {
  if (bytes.length !== 16) return blobText(bytes);
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    hex.slice(12, 16),
    hex.slice(16, 20),
    hex.slice(20),
  ].join('-');
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
    words.push(sign + clockText(micros < 0n ? -micros : micros, 'us'));
  }
  return words.join(' ');
}

/** Two digits of a clock or calendar field. */
function two(n: number | bigint): string {
  return String(n).padStart(2, '0');
}

/** Ticks below a second as digits after the point (the unit's digits, trailing zeros dropped). */
function fraction(ticks: bigint, unit: TimeUnitName): string {
  if (ticks === 0n) return '';
  return `.${ticks.toString().padStart(UNIT[unit].digits, '0').replace(/0+$/, '')}`;
}

/** A non-negative count of `unit` ticks as `hh:mm:ss.fff` (hours may pass 24, as in intervals). */
function clockText(ticks: bigint, unit: TimeUnitName): string {
  const { perSecond } = UNIT[unit];
  const seconds = ticks / perSecond;
  const clock = `${two(seconds / 3600n)}:${two((seconds / 60n) % 60n)}:${two(seconds % 60n)}`;
  return clock + fraction(ticks % perSecond, unit);
}

/** A proleptic Gregorian date from days since 1970-01-01, as DuckDB writes it (`0044-03-15 (BC)`). */
function civilDateText(days: number): string {
  // Howard Hinnant's civil_from_days, on eras of 400 years (146097 days).
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shifted = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shifted + 2) / 5) + 1;
  const month = shifted < 10 ? shifted + 3 : shifted - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  // Year 0 is 1 BC, year -1 is 2 BC.
  const shown = String(year > 0 ? year : 1 - year).padStart(4, '0');
  return `${shown}-${two(month)}-${two(day)}${year > 0 ? '' : ' (BC)'}`;
}

/** A date given in milliseconds since the epoch (apache-arrow's), as DuckDB writes it. */
function dateText(ms: number): string {
  const days = Math.round(ms / MS_PER_DAY);
  if (days === DATE_INFINITY) return 'infinity';
  if (days === -DATE_INFINITY) return '-infinity';
  return civilDateText(days);
}

/** A timestamp in `unit` ticks since the epoch, as DuckDB writes it (UTC, `+00` when zoned). */
function timestampText(ticks: bigint, unit: TimeUnitName, zoned: boolean): string {
  if (ticks === TIMESTAMP_INFINITY) return 'infinity';
  if (ticks === -TIMESTAMP_INFINITY) return '-infinity';
  const perDay = UNIT[unit].perSecond * 86_400n;
  let days = ticks / perDay;
  if (ticks % perDay < 0n) days -= 1n;
  const text = `${civilDateText(Number(days))} ${clockText(ticks - days * perDay, unit)}`;
  return zoned ? `${text}+00` : text;
}

/** A timestamp cell: raw ticks of its unit, or apache-arrow's (fractional) milliseconds. */
function timestampCellText(value: unknown, kind: CellKind): string | undefined {
  const match = /^timestamp(tz)?(?:_(s|ms|us|ns))?$/.exec(kind);
  if (!match) return undefined;
  const zoned = match[1] !== undefined;
  if (typeof value === 'bigint')
    return timestampText(value, (match[2] ?? 'ms') as TimeUnitName, zoned);
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  return timestampText(BigInt(Math.round(value * 1000)), 'us', zoned);
}

/** A UTC offset in seconds as DuckDB writes it: `+05:30`, `-08`, `+15:59:59`. */
function offsetText(seconds: number): string {
  const abs = Math.abs(seconds);
  const [hours, minutes, secs] = [Math.floor(abs / 3600), Math.floor(abs / 60) % 60, abs % 60];
  const tail = (minutes || secs ? `:${two(minutes)}` : '') + (secs ? `:${two(secs)}` : '');
  return `${seconds < 0 ? '-' : '+'}${two(hours)}${tail}`;
}

/**
 * DuckDB's TIMETZ (its 8 bytes little-endian, or their integer) as `12:34:56+05:30`: the top 40
 * bits are microseconds since midnight, the low 24 bits 57599 minus the offset in seconds.
 */
export function timeTzText(value: Uint8Array | bigint): string {
  const bits = typeof value === 'bigint' ? value : littleEndianInteger(value, false);
  const offset = TIMETZ_MAX_OFFSET - Number(bits & 0xff_ffffn);
  return clockText(bits >> 24n, 'us') + offsetText(offset);
}

/*
 * Floats: DuckDB writes them with the {fmt} library it vendors (shortest round-trip digits, `1.0`,
 * `1e+16`, `1e-05`). The digits here are JavaScript's own shortest round-trip digits in that
 * layout; {fmt} 6.1.2's rare slips (a FLOAT given its double's digits, `21516.3125`; a power of
 * two from 2^53 up written doubled) are not copied: the value shown always reads back exactly.
 */

/** The shortest digits of a positive finite value and their exponent (value = digits × 10^exp). */
interface FloatDigits {
  digits: string;
  exp: number;
}

/**
 * The shortest decimal digits that read back as `abs` (JavaScript's own round-trip digits); for
 * a FLOAT, the shortest that read back as the same 32-bit float.
 */
function shortestDigits(abs: number, single: boolean): FloatDigits {
  let text = abs.toExponential();
  if (single) {
    for (let precision = 1; precision <= 9; precision++) {
      const candidate = abs.toExponential(precision - 1);
      if (Math.fround(Number(candidate)) === abs) {
        text = Number(candidate).toExponential();
        break;
      }
    }
  }
  const [mantissa = '0', exponent = '0'] = text.split('e');
  const digits = mantissa.replace('.', '').replace(/0+$/, '') || '0';
  return { digits, exp: Number(exponent) - (digits.length - 1) };
}

/** A decimal exponent as {fmt} writes it: a sign and at least two digits (`e+20`, `e-05`). */
function exponentText(exp: number): string {
  return `e${exp < 0 ? '-' : '+'}${two(Math.abs(exp))}`;
}

/**
 * A float as DuckDB writes it ({fmt}'s `{}`): its digits plainly from 1e-4 up to below 1e16 (always
 * with a point: `1.0`), otherwise as `1.5e+20` or `1e-05`; `inf`, `-inf`, `nan` and `-0.0`.
 */
export function floatText(value: number, single = false): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  if (value === 0) return `${sign}0.0`;
  const { digits, exp } = shortestDigits(Math.abs(value), single);
  const whole = digits.length + exp; // digits before the point
  if (whole - 1 < -4 || whole - 1 >= 16) {
    const rest = digits.length > 1 ? `.${digits.slice(1)}` : '';
    return `${sign}${digits[0]}${rest}${exponentText(whole - 1)}`;
  }
  if (whole >= digits.length) return `${sign}${digits}${'0'.repeat(whole - digits.length)}.0`;
  if (whole > 0) return `${sign}${digits.slice(0, whole)}.${digits.slice(whole)}`;
  return `${sign}0.${'0'.repeat(-whole)}${digits}`;
}

/**
 * A float given as its little-endian bytes (4 or 8): how a NaN reaches here, since its sign — which
 * DuckDB writes (`-nan`, as `'inf' - 'inf'` gives) — does not survive as a JavaScript number.
 */
function floatBytesText(bytes: Uint8Array, single: boolean): string | undefined {
  if (bytes.length !== (single ? 4 : 8)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const value = single ? view.getFloat32(0, true) : view.getFloat64(0, true);
  if (!Number.isNaN(value)) return floatText(value, single);
  return (bytes[bytes.length - 1]! & 0x80) === 0 ? 'nan' : '-nan';
}

/** A time of day given in `kind`'s unit since midnight, as `hh:mm:ss.fff`. */
function timeText(value: number | bigint, kind: CellKind): string {
  const unit = kind.slice('time_'.length) as TimeUnitName;
  const ticks = typeof value === 'bigint' ? value : BigInt(Math.round(value));
  return clockText(ticks, unit in UNIT ? unit : 'us');
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

/** Text of the kinds apache-arrow gives as bytes, or undefined for an unexpected value. */
function bytesCellText(value: unknown, kind: CellKind): string | undefined {
  if (!(value instanceof Uint8Array)) return undefined;
  switch (kind) {
    case 'blob':
      return blobText(value);
    case 'bit':
      return bitText(value);
    case 'uuid':
      return uuidText(value);
    case 'timetz':
      return value.length === 8 ? timeTzText(value) : blobText(value);
    case 'hugeint':
      return littleEndianInteger(value, true).toString();
    case 'uhugeint':
      return unsignedLittleEndianText(value);
    case 'bignum':
      return bignumText(value);
    case 'float':
    case 'double':
      return floatBytesText(value, kind === 'float');
    default:
      return undefined;
  }
}

/** Text of the kinds apache-arrow gives as words or bytes, or undefined for an unexpected value. */
function rawCellText(
  value: unknown,
  kind: CellKind,
  scale: number,
  width: number | undefined,
): string | undefined {
  if (kind === 'decimal') {
    if (value instanceof Uint32Array || value instanceof Int32Array || typeof value === 'bigint') {
      return exactDecimalText(value, scale, width);
    }
    return undefined;
  }
  // apache-arrow 17 cannot decode MONTH_DAY_NANO intervals (toQueryResult reads them raw), so
  // anything but parts is shown as a placeholder, never as apache-arrow's meaningless array.
  if (kind === 'interval') return isIntervalParts(value) ? sqlIntervalText(value) : '(interval)';
  return bytesCellText(value, kind);
}

/** Text of dates, times and floats (given as numbers or raw integers), or undefined. */
function numericCellText(value: unknown, kind: CellKind): string | undefined {
  if (typeof value !== 'number' && typeof value !== 'bigint') return undefined;
  if (kind === 'boolean') return value === 0 || value === 0n ? 'false' : 'true';
  if (kind === 'date' && typeof value === 'number') return dateText(value);
  if ((kind === 'float' || kind === 'double') && typeof value === 'number') {
    return floatText(value, kind === 'float');
  }
  if (kind === 'timetz' && typeof value === 'bigint') return timeTzText(value);
  if (kind.startsWith('time_')) return timeText(value, kind);
  return timestampCellText(value, kind);
}

/**
 * Renders one result value as text, as DuckDB writes it (dates, timestamps, floats, big integers,
 * decimals, intervals, blobs, bits); `scale` and `width` are a decimal column's digits after the
 * point and in all. A timestamp is raw ticks of its kind's unit (a bigint) or milliseconds (a
 * number); null stays null.
 */
export function formatCell(
  value: unknown,
  kind: CellKind,
  scale = 0,
  width?: number,
): string | null {
  if (value === null || value === undefined) return null;
  const text = rawCellText(value, kind, scale, width) ?? numericCellText(value, kind);
  if (text !== undefined) return text;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'object') {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  }
  return String(value);
}
