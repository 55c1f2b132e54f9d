/**
 * The demo clinic's medicine: diagnosis categories whose frequencies depend on age band and sex,
 * the department each diagnosis is mostly seen in, visit rates and visit costs. The numbers are
 * plausible orders of magnitude for a US outpatient network, not statistics of any real clinic.
 */
import { Weighted, type DemoRandom } from './random.js';

/** Age bands the diagnosis weights are given for: 0-9, 10-17, 18-29, 30-44, 45-59, 60-74, 75+. */
const BAND_STARTS = [0, 10, 18, 30, 45, 60, 75] as const;

interface Diagnosis {
  name: string;
  /** Relative weight per age band (BAND_STARTS). */
  byAge: readonly [number, number, number, number, number, number, number];
  female: number;
  male: number;
  /** Department where most of its visits happen (adults; children go to Pediatrics). */
  department: string;
  /** Extra expected visits per patient over the base rate (chronic care). */
  extraVisits: number;
}

// prettier-ignore
const DIAGNOSES: readonly Diagnosis[] = [
  { name: 'Upper respiratory infection', byAge: [30, 18, 12, 9, 6, 4, 3], female: 1, male: 1, department: 'Primary Care', extraVisits: 0 },
  { name: 'Hypertension', byAge: [0, 0.2, 2, 8, 16, 22, 22], female: 1, male: 1.1, department: 'Cardiology', extraVisits: 2 },
  { name: 'Type 2 diabetes', byAge: [0, 0.2, 1, 4, 9, 12, 10], female: 0.9, male: 1.1, department: 'Endocrinology', extraVisits: 3 },
  { name: 'Hyperlipidemia', byAge: [0, 0, 0.5, 4, 9, 10, 7], female: 0.9, male: 1.15, department: 'Cardiology', extraVisits: 1 },
  { name: 'Asthma', byAge: [14, 12, 6, 4, 3, 3, 2], female: 1, male: 1, department: 'Pulmonology', extraVisits: 1 },
  { name: 'Otitis media', byAge: [18, 4, 0.5, 0.3, 0.2, 0.2, 0.2], female: 1, male: 1.1, department: 'ENT', extraVisits: 0 },
  { name: 'Anxiety disorder', byAge: [1, 6, 10, 8, 5, 3, 2], female: 1.6, male: 0.8, department: 'Psychiatry', extraVisits: 2 },
  { name: 'Depression', byAge: [0.3, 5, 8, 8, 6, 4, 4], female: 1.6, male: 0.8, department: 'Psychiatry', extraVisits: 2 },
  { name: 'Migraine', byAge: [0.5, 4, 7, 7, 4, 1.5, 0.5], female: 2.5, male: 0.6, department: 'Neurology', extraVisits: 1 },
  { name: 'Low back pain', byAge: [0.1, 1, 6, 9, 9, 6, 4], female: 1, male: 1, department: 'Orthopedics', extraVisits: 1 },
  { name: 'Osteoarthritis', byAge: [0, 0, 0.3, 2, 7, 12, 15], female: 1.3, male: 0.85, department: 'Orthopedics', extraVisits: 1.5 },
  { name: 'Coronary artery disease', byAge: [0, 0, 0.05, 0.5, 4, 9, 12], female: 0.7, male: 1.4, department: 'Cardiology', extraVisits: 4 },
  { name: 'COPD', byAge: [0, 0, 0.1, 0.5, 3, 7, 8], female: 1, male: 1.1, department: 'Pulmonology', extraVisits: 3.5 },
  { name: 'Chronic kidney disease', byAge: [0, 0, 0.1, 0.5, 2, 5, 9], female: 1, male: 1, department: 'Nephrology', extraVisits: 6 },
  { name: 'Hypothyroidism', byAge: [0.2, 1, 2, 4, 5, 5, 5], female: 2.2, male: 0.5, department: 'Endocrinology', extraVisits: 0.5 },
  { name: 'Prenatal care', byAge: [0, 0.3, 12, 7, 0, 0, 0], female: 1, male: 0, department: 'Obstetrics', extraVisits: 5 },
  { name: 'Benign prostatic hyperplasia', byAge: [0, 0, 0, 0.3, 4, 9, 11], female: 0, male: 1, department: 'Urology', extraVisits: 1 },
  { name: 'Dermatitis', byAge: [8, 7, 5, 4, 3, 3, 3], female: 1.1, male: 0.9, department: 'Dermatology', extraVisits: 0 },
];

/** Every diagnosis category of the demo data. */
export const DIAGNOSIS_NAMES: readonly string[] = DIAGNOSES.map((d) => d.name);

/** Median cost (USD) of one visit per department; costs are log-normal around it. */
const MEDIAN_COST: Readonly<Record<string, number>> = {
  'Primary Care': 160,
  Pediatrics: 150,
  Cardiology: 420,
  Endocrinology: 300,
  Pulmonology: 380,
  ENT: 220,
  Psychiatry: 220,
  Neurology: 400,
  Orthopedics: 450,
  Nephrology: 520,
  Obstetrics: 350,
  Urology: 380,
  Dermatology: 200,
  Emergency: 1600,
  Radiology: 700,
  Laboratory: 90,
};

/** Every department of the demo data. */
export const DEPARTMENTS: readonly string[] = Object.keys(MEDIAN_COST);

/** Upper bound of a visit's cost, matching the demo policy's `cost` bounds. */
export const MAX_COST = 20000;

function bandIndex(age: number): number {
  let i = 0;
  while (i + 1 < BAND_STARTS.length && age >= BAND_STARTS[i + 1]!) i++;
  return i;
}

const bySexAndBand = new Map<string, Weighted<Diagnosis>>();
for (const sex of ['F', 'M'] as const) {
  BAND_STARTS.forEach((_, band) => {
    const weights = DIAGNOSES.map((d) => d.byAge[band]! * (sex === 'F' ? d.female : d.male));
    bySexAndBand.set(`${sex}${band}`, new Weighted(DIAGNOSES, weights));
  });
}

/** A patient's primary diagnosis with what it implies for visits. */
export interface DiagnosisDraw {
  name: string;
  department: string;
  extraVisits: number;
}

/** Draws a primary diagnosis for a patient of this age (years) and sex. */
export function drawDiagnosis(random: DemoRandom, age: number, sex: 'F' | 'M'): DiagnosisDraw {
  const d = bySexAndBand.get(`${sex}${bandIndex(age)}`)!.sample(random);
  return { name: d.name, department: d.department, extraVisits: d.extraVisits };
}

/** Expected number of visits (2024–2026) for a patient: young children and the old come more. */
export function visitRate(age: number, diagnosis: DiagnosisDraw): number {
  const base = age < 5 ? 3 : age < 18 ? 1.5 : 1.2 + 0.04 * (age - 18);
  return base + diagnosis.extraVisits;
}

/** Draws the department of one visit of a patient with this diagnosis and age. */
export function drawDepartment(random: DemoRandom, age: number, diagnosis: DiagnosisDraw): string {
  const u = random.uniform();
  const primary = age < 18 ? 'Pediatrics' : 'Primary Care';
  if (u < 0.5)
    return age < 18 && diagnosis.department === 'Primary Care' ? primary : diagnosis.department;
  if (u < 0.72) return primary;
  if (u < 0.84) return 'Laboratory';
  if (u < 0.93) return 'Radiology';
  return 'Emergency';
}

/** Draws the cost (USD, cents) of a visit to this department, within [0, MAX_COST]. */
export function drawCost(random: DemoRandom, department: string): number {
  const median = MEDIAN_COST[department] ?? 200;
  const cost = median * Math.exp(0.6 * random.normal());
  return Math.round(Math.min(MAX_COST, Math.max(0, cost)) * 100) / 100;
}
