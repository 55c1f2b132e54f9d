/**
 * The Arrow IPC stream of a published view, for duckdb-wasm in the browser (whose npm build has no
 * Parquet reader). Rows are read back from the verified Parquet file in file order, so both files
 * hold the same rows in the same order. Why not node-api's getColumnsJS + vectorFromArray: that
 * converts every string through JavaScript one by one (≈ 5 µs each here); instead DuckDB returns
 * each string column as one UTF-8 blob plus per-row byte lengths, which become Arrow's data and
 * offsets buffers directly, and fixed-width columns are copied out of the column vectors.
 */
import type { DuckDBConnection, DuckDBVector } from '@duckdb/node-api';
import {
  Bool,
  DateDay,
  Float64,
  Int64,
  Table,
  Utf8,
  makeData,
  makeVector,
  tableToIPC,
  type Vector,
} from 'apache-arrow';
import { quoteIdent, sqlString } from '@privet/core/mask/index';
import { runQuiet } from '../store/errors.js';

const FIX = 'check the state folder and free memory';

/** Packs row validity (true = value present) into Arrow's LSB-first bitmap. */
function bitmap(valid: Uint8Array): { nullBitmap: Uint8Array; nullCount: number } {
  const nullBitmap = new Uint8Array(Math.ceil(valid.length / 8));
  let nullCount = 0;
  for (let i = 0; i < valid.length; i++) {
    if (valid[i]) nullBitmap[i >> 3] = (nullBitmap[i >> 3] ?? 0) | (1 << (i & 7));
    else nullCount++;
  }
  return { nullBitmap, nullCount };
}

/** Per-column row values of a fixed-width query, read chunk by chunk from the column vectors. */
async function readFixed(c: DuckDBConnection, sql: string, columns: number, rows: number) {
  const result = await c.run(sql);
  const cols = Array.from({ length: columns }, () => ({
    values: new Array<unknown>(rows),
    valid: new Uint8Array(rows),
  }));
  let at = 0;
  for (let i = 0; i < result.chunkCount; i++) {
    const chunk = result.getChunk(i);
    const n = chunk.rowCount;
    for (let j = 0; j < columns; j++) {
      const vector: DuckDBVector = chunk.getColumnVector(j);
      const out = cols[j];
      if (!out) continue;
      for (let r = 0; r < n; r++) {
        const v = vector.getItem(r);
        out.values[at + r] = v;
        out.valid[at + r] = v === null ? 0 : 1;
      }
    }
    at += n;
  }
  return cols;
}

/** Reads a Parquet file with DuckDB and returns it as an Arrow IPC stream. */
export async function parquetToArrowStream(
  c: DuckDBConnection,
  parquetPath: string,
): Promise<Uint8Array> {
  const file = `read_parquet(${sqlString(parquetPath)}, file_row_number = true)`;
  const described = await runQuiet(
    c,
    `DESCRIBE SELECT * EXCLUDE (file_row_number) FROM ${file}`,
    'reading the published schema',
    FIX,
  );
  const schema = described
    .getRowObjectsJS()
    .map((r) => ({ name: String(r['column_name']), type: String(r['column_type']) }));
  const rows = Number(
    (
      await runQuiet(c, `SELECT count(*) AS n FROM ${file}`, 'counting published rows', FIX)
    ).getColumnsJS()[0]?.[0] ?? 0,
  );
  const fixedSql = schema.map((col) =>
    col.type === 'VARCHAR'
      ? `CAST(strlen(${quoteIdent(col.name)}) AS INTEGER)`
      : quoteIdent(col.name),
  );
  const fixed = await readFixed(
    c,
    `SELECT ${fixedSql.join(', ')} FROM ${file} ORDER BY file_row_number`,
    schema.length,
    rows,
  );
  const strings = schema.filter((col) => col.type === 'VARCHAR');
  const blobs = new Map<string, Uint8Array>();
  if (strings.length > 0) {
    const agg = strings.map(
      (col) =>
        `encode(coalesce(string_agg(${quoteIdent(col.name)}, '' ORDER BY file_row_number), ''))`,
    );
    const result = await c.run(`SELECT ${agg.join(', ')} FROM ${file}`);
    const chunk = result.getChunk(0);
    strings.forEach((col, j) => {
      const blob = chunk.getColumnVector(j).getItem(0) as { bytes: Uint8Array } | null;
      blobs.set(col.name, blob?.bytes ?? new Uint8Array(0));
    });
  }
  const vectors: Record<string, Vector> = {};
  schema.forEach((col, j) => {
    const { values, valid } = fixed[j] ?? { values: [], valid: new Uint8Array(0) };
    const { nullBitmap, nullCount } = bitmap(valid);
    const base = { length: rows, nullCount, nullBitmap };
    switch (col.type) {
      case 'VARCHAR': {
        const valueOffsets = new Int32Array(rows + 1);
        for (let r = 0; r < rows; r++) {
          const next = (valueOffsets[r] ?? 0) + Number(values[r] ?? 0);
          if (next > 0x7fffffff)
            throw new Error(
              `column "${col.name}" is over 2 GiB of text; Arrow Utf8 cannot hold it`,
            );
          valueOffsets[r + 1] = next;
        }
        vectors[col.name] = makeVector(
          makeData({
            ...base,
            type: new Utf8(),
            valueOffsets,
            data: blobs.get(col.name) ?? new Uint8Array(0),
          }),
        );
        break;
      }
      case 'BIGINT':
        vectors[col.name] = makeVector(
          makeData({
            ...base,
            type: new Int64(),
            data: BigInt64Array.from(values, (v) => (v as bigint | null) ?? 0n),
          }),
        );
        break;
      case 'DOUBLE':
        vectors[col.name] = makeVector(
          makeData({
            ...base,
            type: new Float64(),
            data: Float64Array.from(values, (v) => (v as number | null) ?? 0),
          }),
        );
        break;
      case 'DATE':
        vectors[col.name] = makeVector(
          makeData({
            ...base,
            type: new DateDay(),
            data: Int32Array.from(values, (v) => (v as { days: number } | null)?.days ?? 0),
          }),
        );
        break;
      case 'BOOLEAN':
        vectors[col.name] = makeVector(
          makeData({
            ...base,
            type: new Bool(),
            data: bitmap(Uint8Array.from(values, (v) => (v === true ? 1 : 0))).nullBitmap,
          }),
        );
        break;
      default:
        throw new Error(`no Arrow mapping for published DuckDB type ${col.type}`);
    }
  });
  return tableToIPC(new Table(vectors), 'stream');
}
