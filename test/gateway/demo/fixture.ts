// Shared setup of the demo-data tests: one generated dataset (5,000 patients, seed 7) opened in
// DuckDB as views p (patients), v (visits) and pa (patients with their age on 2026-01-01).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parsePolicy, type Policy } from '@privet/core';
import { generateDemoData } from '../../../gateway/src/demo/generate.js';

/** Patients in the shared test dataset. */
export const SMALL = 5000;

/** A generated dataset open for queries. */
export interface DemoFixture {
  dir: string;
  files: { patients: string; visits: string };
  rows(sql: string): Promise<Record<string, unknown>[]>;
  one(sql: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Generates the shared dataset into a fresh temp folder and opens it. */
export async function openDemoFixture(): Promise<DemoFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'privet-demo-'));
  const files = await generateDemoData({ outDir: join(dir, 'a'), patients: SMALL, seed: 7 });
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  await conn.run(`CREATE VIEW p AS SELECT * FROM read_parquet('${files.patients}')`);
  await conn.run(`CREATE VIEW v AS SELECT * FROM read_parquet('${files.visits}')`);
  await conn.run(
    `CREATE VIEW pa AS SELECT *, date_sub('year', date_of_birth, DATE '2026-01-01') AS age FROM p`,
  );
  const rows = async (sql: string) =>
    (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  return {
    dir,
    files,
    rows,
    one: async (sql) => {
      const [row] = await rows(sql);
      assert.ok(row, `no row from ${sql}`);
      return row;
    },
    close: async () => {
      conn.closeSync();
      db.closeSync();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A DuckDB result value as a JS number (counts come back as bigint). */
export const num = (v: unknown): number => Number(v);

/** The demo policy, parsed. */
export async function demoPolicy(): Promise<Policy> {
  const url = new URL('../../../gateway/demo/policy.yaml', import.meta.url);
  return parsePolicy(await readFile(url, 'utf8'), 'gateway/demo/policy.yaml');
}

/** SHA-256 of a file's bytes. */
export async function sha256(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}
