/**
 * Shared setup for publish tests: the demo dataset (generated once per seed and size, cached under
 * the OS temp folder so test files do not regenerate it) and fresh state folders.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  copyFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePolicy, type Policy } from '@privet/core';
import { openDurableDb } from '../../../gateway/src/audit/index.js';
import { generateDemoData } from '../../../gateway/src/demo/generate.js';
import { masterKeyPath } from '../../../gateway/src/keys.js';
import { PUBLICATION_KEY } from '../../../gateway/src/publish/index.js';
import { ADULT_DIR } from '../../adult-path.js';

const here = dirname(fileURLToPath(import.meta.url));

/** The repository root. */
export const REPO = join(here, '..', '..', '..');

/** Seed and size of the demo data used by the publish tests. */
export const DEMO_SEED = 7;
/** Number of demo patients (the brief asks for at least 50,000). */
export const DEMO_PATIENTS = 50_000;

/** Short hash of the demo generator's sources, so cached data is remade when the generator changes. */
export function generatorVersion(): string {
  const dir = join(REPO, 'gateway', 'src', 'demo');
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).sort())
    if (name.endsWith('.ts')) hash.update(name).update(readFileSync(join(dir, name)));
  return hash.digest('hex').slice(0, 12);
}

/** The demo policy as text and parsed. */
export function demoPolicy(): { text: string; policy: Policy } {
  const text = readFileSync(join(REPO, 'gateway', 'demo', 'policy.yaml'), 'utf8');
  return { text, policy: parsePolicy(text, 'gateway/demo/policy.yaml') };
}

/**
 * A folder laid out like the demo policy's folder (`data/patients.parquet`, `data/visits.parquet`),
 * generated on first use and reused afterwards. Pass it as `policyDir`.
 */
export async function demoPolicyDir(patients = DEMO_PATIENTS, seed = DEMO_SEED): Promise<string> {
  const dir = join(tmpdir(), `privet-demo-${seed}-${patients}-${generatorVersion()}`);
  if (existsSync(join(dir, 'data', 'visits.parquet'))) return dir;
  const staging = mkdtempSync(join(tmpdir(), `privet-demo-tmp-`));
  await generateDemoData({ outDir: join(staging, 'data'), patients, seed });
  try {
    renameSync(staging, dir);
  } catch {
    rmSync(staging, { recursive: true, force: true });
  }
  return dir;
}

/** A new empty state folder; remove it with `rmSync(dir, { recursive: true })`. */
export function freshStateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'privet-state-'));
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * A fixed master key (32 bytes, as the gateway makes them). The noise key of a synthetic view mixes
 * the master key with the policy seed, so a fresh key draws fresh DP noise every run.
 */
export const FIXED_MASTER_KEY = new Uint8Array(32).map((_, i) => (i * 97 + 13) % 256);

/**
 * Puts FIXED_MASTER_KEY in `stateDir` (created if missing), so the synthetic views published there
 * are the same in every run: for tests whose assertion a rare draw of the noise could fail.
 */
export function writeFixedMasterKey(stateDir: string): void {
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(masterKeyPath(stateDir), FIXED_MASTER_KEY, { mode: 0o600 });
}

/** The adult test policy (test/fixtures/adult-policy.yaml) as text and parsed. */
export function adultPolicy(): { text: string; policy: Policy } {
  const text = readFileSync(join(REPO, 'test', 'fixtures', 'adult-policy.yaml'), 'utf8');
  return { text, policy: parsePolicy(text, 'test/fixtures/adult-policy.yaml') };
}

/**
 * A folder holding adult.csv as the adult policy expects it: snake_case header, plus person_id
 * (row number) and person_code ("P" || person_id). Made once per process run, under the OS temp folder.
 */
export async function adultPolicyDir(): Promise<string> {
  const dir = join(tmpdir(), 'privet-adult-v1');
  const target = join(dir, 'adult.csv');
  if (existsSync(target)) return dir;
  const staging = mkdtempSync(join(tmpdir(), 'privet-adult-tmp-'));
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    await c.run(`COPY (SELECT row_number() OVER () AS person_id, 'P' || row_number() OVER () AS person_code,
        "age" AS age, "workclass" AS workclass, "fnlwgt" AS fnlwgt, "education-num" AS education_num,
        "marital-status" AS marital_status, "occupation" AS occupation, "relationship" AS relationship,
        "race" AS race, "sex" AS sex, "capital-gain" AS capital_gain, "capital-loss" AS capital_loss,
        "hours-per-week" AS hours_per_week, "native-country" AS native_country, "income>50K" AS income_gt_50k
      FROM read_csv('${ADULT_CSV}', header = true)) TO '${join(staging, 'adult.csv')}' (HEADER, DELIMITER ',')`);
  } finally {
    c.closeSync();
    db.closeSync();
  }
  try {
    renameSync(staging, dir);
  } catch {
    rmSync(staging, { recursive: true, force: true });
  }
  return dir;
}

/** The shared, read-only Adult extract. */
export const ADULT_CSV = join(ADULT_DIR, 'adult.csv');

/**
 * The HTTP-test policy (masked views people_masked and people_later, and a DP view) with its
 * people.csv (30 rows, emails included) in a fresh folder named after `tag`.
 */
export function httpPolicyFixture(tag: string): {
  dir: string;
  stateDir: string;
  policyPath: string;
} {
  const dir = mkdtempSync(join(tmpdir(), `privet-publish-${tag}-`));
  const policyPath = join(dir, 'policy.yaml');
  copyFileSync(join(REPO, 'test/fixtures/http/policy.yaml'), policyPath);
  const rows = Array.from(
    { length: 30 },
    (_, i) => `${500 + i},secret${i}@example.org,${['Lyon', 'Oslo', 'Pune'][i % 3]},${30000 + i}`,
  );
  writeFileSync(join(dir, 'people.csv'), `person_id,email,city,income\n${rows.join('\n')}\n`);
  return { dir, stateDir: join(dir, 'state'), policyPath };
}

/** The state folder's publication reservations (ledger rows), oldest first. */
export function publicationCharges(
  stateDir: string,
): { id: string; status: string; epsilon: string }[] {
  const db = openDurableDb(join(stateDir, 'privet.db'));
  try {
    return db
      .prepare<[string], { id: string; status: string; epsilon: string }>(
        'SELECT id, status, epsilon FROM ledger_reservations WHERE experiment = ? ORDER BY reserved_at, rowid',
      )
      .all(PUBLICATION_KEY);
  } finally {
    db.close();
  }
}
