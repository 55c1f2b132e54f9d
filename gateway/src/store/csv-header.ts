// Why: the engine loads only a source's declared columns (engine.ts), so a column of the file the
// policy does not declare is never read — safe, but a steward may not know it is there. Naming it
// needs the header row only: this reads the file in small blocks up to the block where its first
// record ends, and looks at nothing after that record, so no data row is parsed or kept for it.
import { closeSync, openSync, readSync } from 'node:fs';

/** The header row is read up to this many bytes; a longer one is not read at all. */
const MAX_HEADER_BYTES = 1 << 20;

/** Bytes read at a time: a header usually ends in the first block. */
const BLOCK_BYTES = 4096;

/** The delimiters DuckDB's CSV sniffer tries first, in the order a tie is broken. */
const DELIMITERS = [',', ';', '\t', '|'] as const;

/**
 * The first record of the file at `path` (up to a line break outside quotes), without a UTF-8 byte
 * order mark; undefined when the file cannot be read or the record is longer than MAX_HEADER_BYTES.
 */
function firstRecord(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    let quoted = false;
    const chunk = Buffer.alloc(BLOCK_BYTES);
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, total);
      if (n === 0) break;
      for (let i = 0; i < n; i++) {
        const byte = chunk[i]!;
        if (byte === 0x22) quoted = !quoted;
        else if (!quoted && (byte === 0x0a || byte === 0x0d)) {
          chunks.push(Buffer.from(chunk.subarray(0, i)));
          return decode(Buffer.concat(chunks));
        }
      }
      chunks.push(Buffer.from(chunk.subarray(0, n)));
      total += n;
      if (total > MAX_HEADER_BYTES) return undefined;
    }
    return decode(Buffer.concat(chunks));
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** UTF-8 text of `bytes`, without a leading byte order mark. */
function decode(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/** The fields of one CSV record split on `delimiter` (double quotes, `""` inside them for `"`). */
function splitRecord(record: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < record.length; i++) {
    const ch = record[i]!;
    if (quoted) {
      if (ch === '"' && record[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

/**
 * The column names in the header row of the CSV file at `path`, split on whichever usual delimiter
 * names the most of the `declared` columns; undefined when the file cannot be read or none of them
 * is in its first row — it then probably has no header row, and that row, which may hold data, is
 * not returned. Reads the first record only.
 */
export function readCsvHeader(path: string, declared: readonly string[]): string[] | undefined {
  const record = firstRecord(path);
  if (record === undefined) return undefined;
  const wanted = new Set(declared);
  let best: { names: string[]; found: number } | undefined;
  for (const delimiter of DELIMITERS) {
    const names = splitRecord(record, delimiter);
    const found = new Set(names.filter((n) => wanted.has(n))).size;
    if (found > (best?.found ?? 0)) best = { names, found };
  }
  return best?.names;
}
