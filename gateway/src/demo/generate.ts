/**
 * `privet demo generate`: writes the demo clinic's synthetic people — patients.parquet and
 * visits.parquet with exactly the columns of gateway/demo/policy.yaml — deterministically for a
 * seed. No real person is in it; the values only look realistic and relate realistically.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { generatePatients } from './patients.js';
import { writeParquet } from './parquet.js';
import { createDemoRandom } from './random.js';
import { generateVisits } from './visits.js';

/** Default number of demo patients. */
export const DEFAULT_DEMO_PATIENTS = 50_000;
/** Default seed of the demo dataset. */
export const DEFAULT_DEMO_SEED = 20261128;
/** Largest dataset the generator accepts (identifier uniqueness and memory stay comfortable). */
export const MAX_DEMO_PATIENTS = 1_000_000;

/** A progress report: which step runs and how far it got (`done` of `total` units). */
export interface DemoProgress {
  step: 'patients' | 'visits' | 'write-patients' | 'write-visits' | 'done';
  done: number;
  total: number;
}

/** Options of one generation run. */
export interface DemoOptions {
  outDir: string;
  patients: number;
  seed: number;
  onProgress?: (progress: DemoProgress) => void;
}

/** Generates the demo dataset into `outDir`; returns the paths of the two Parquet files. */
export async function generateDemoData({
  outDir,
  patients,
  seed,
  onProgress,
}: DemoOptions): Promise<{ patients: string; visits: string }> {
  if (!Number.isInteger(patients) || patients < 1 || patients > MAX_DEMO_PATIENTS)
    throw new Error(
      `demo data: the number of patients must be a whole number from 1 to ${MAX_DEMO_PATIENTS}. Fix: pass e.g. --patients ${DEFAULT_DEMO_PATIENTS}`,
    );
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new Error(
      `demo data: the seed must be a whole number from 0 to ${0xffffffff}. Fix: pass e.g. --seed ${DEFAULT_DEMO_SEED}`,
    );
  const report = (step: DemoProgress['step'], done: number, total: number) =>
    onProgress?.({ step, done, total });
  await mkdir(outDir, { recursive: true });
  const random = createDemoRandom(seed);

  report('patients', 0, patients);
  const p = generatePatients(random, patients, (done) => report('patients', done, patients));
  report('patients', patients, patients);
  report('visits', 0, patients);
  const v = generateVisits(random, p, (done) => report('visits', done, patients));
  report('visits', patients, patients);

  const patientsPath = join(outDir, 'patients.parquet');
  const visitsPath = join(outDir, 'visits.parquet');
  report('write-patients', 0, patients);
  await writeParquet(patientsPath, [
    { name: 'patient_id', type: 'INTEGER', values: p.patient_id },
    { name: 'name', type: 'VARCHAR', values: p.name },
    { name: 'email', type: 'VARCHAR', values: p.email },
    { name: 'phone', type: 'VARCHAR', values: p.phone },
    { name: 'national_id', type: 'VARCHAR', values: p.national_id },
    { name: 'address', type: 'VARCHAR', values: p.address },
    { name: 'date_of_birth', type: 'DATE', values: p.date_of_birth },
    { name: 'sex', type: 'VARCHAR', values: p.sex },
    { name: 'zip', type: 'VARCHAR', values: p.zip },
    { name: 'diagnosis', type: 'VARCHAR', values: p.diagnosis },
    { name: 'income', type: 'INTEGER', values: p.income },
    { name: 'visits', type: 'INTEGER', values: p.visits },
  ]);
  report('write-patients', patients, patients);
  report('write-visits', 0, v.visit_id.length);
  await writeParquet(visitsPath, [
    { name: 'visit_id', type: 'INTEGER', values: v.visit_id },
    { name: 'patient_id', type: 'INTEGER', values: v.patient_id },
    { name: 'visit_date', type: 'DATE', values: v.visit_date },
    { name: 'department', type: 'VARCHAR', values: v.department },
    { name: 'cost', type: 'DOUBLE', values: v.cost },
  ]);
  report('write-visits', v.visit_id.length, v.visit_id.length);
  report('done', 1, 1);
  return { patients: patientsPath, visits: visitsPath };
}
