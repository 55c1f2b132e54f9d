/**
 * Raw identifier values of the test gateway's demo data, read by the test process from the raw
 * Parquet file global setup generated (VsCodeTestEnv.gatewayDataDir): a spec prints one from a
 * kernel to see that the gate holds it. Only the test reads raw data, never a notebook.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { VsCodeTestEnv } from './env.js';

/** One raw patient name, and whether `unrelated` is a raw value of an identifier column too. */
export interface RawName {
  name: string;
  unrelatedIsRaw: boolean;
}

/**
 * The first raw patient name (by patient_id) of two plain words, e.g. "Maria Lopez": text no
 * local rule recognises, so only the gateway's keyed index can find it. Also tells whether
 * `unrelated` (compared case-insensitively, whole or any of its words) is a raw value of the
 * patients' identifier columns name, email or address, so a spec can assert its made-up name is not.
 */
export async function rawPatientName(env: VsCodeTestEnv, unrelated: string): Promise<RawName> {
  const path = join(env.gatewayDataDir, 'patients.parquet');
  if (!existsSync(path))
    throw new Error(`no raw demo data at ${path}: the gateway of the global setup makes it`);
  const file = `'${path.replaceAll("'", "''")}'`;
  const forms = [unrelated, ...unrelated.split(/\s+/)]
    .map((s) => `'${s.toLowerCase().replaceAll("'", "''")}'`)
    .join(', ');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(
      `SELECT name,
         (SELECT count(*) FROM read_parquet(${file})
           WHERE lower(name) IN (${forms}) OR lower(email) IN (${forms})
              OR lower(address) IN (${forms})) AS unrelated
       FROM read_parquet(${file})
       WHERE regexp_full_match(name, '[A-Z][a-z]{3,} [A-Z][a-z]{3,}')
       ORDER BY patient_id LIMIT 1`,
    );
    const row = reader.getRowObjectsJson()[0];
    if (!row || typeof row.name !== 'string')
      throw new Error(`no two-word patient name in ${path}`);
    return { name: row.name, unrelatedIsRaw: String(row.unrelated) !== '0' };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
