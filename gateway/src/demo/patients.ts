/**
 * Demo patients, one row each, drawn so the columns relate the way real ones do: age drives
 * diagnosis, income (through an education-like latent, peaking at 45–55) and visit counts; sex
 * drives diagnosis; ZIP drives town and phone area code; email derives from the name.
 */
import { drawDiagnosis, visitRate, type DiagnosisDraw } from './clinical.js';
import { buildGeography } from './geography.js';
import { IdentityFactory } from './identity.js';
import { Weighted, type DemoRandom } from './random.js';

/** Ages are computed as of this day (the demo policy's `age_band.as_of`). */
export const AS_OF_DAYS = Date.UTC(2026, 0, 1) / 86_400_000;
/** First patient id; ids are consecutive from here. */
export const FIRST_PATIENT_ID = 100_001;
/** Upper bound of the `visits` column, matching the demo policy's bounds. */
export const MAX_VISITS = 50;
/** Upper bound of the `income` column, matching the demo policy's bounds. */
export const MAX_INCOME = 500_000;

/** The patients table, column by column, plus what visit generation needs to know per patient. */
export interface PatientColumns {
  patient_id: number[];
  name: string[];
  email: string[];
  phone: string[];
  national_id: string[];
  address: string[];
  /** Days since 1970-01-01. */
  date_of_birth: number[];
  sex: ('F' | 'M')[];
  zip: string[];
  diagnosis: string[];
  income: number[];
  visits: number[];
  /** Not written: age in whole years on AS_OF_DAYS. */
  age: number[];
  /** Not written: the diagnosis with its department and visit-rate effect. */
  diagnosisDraw: DiagnosisDraw[];
}

// Age pyramid of the clinic's patients (weight per year of age within each band).
const AGE_BANDS: readonly [from: number, to: number, weight: number][] = [
  [0, 9, 10], [10, 17, 8], [18, 29, 14], [30, 39, 13], [40, 49, 13],
  [50, 59, 14], [60, 69, 14], [70, 79, 9], [80, 89, 4], [90, 99, 1],
]; // prettier-ignore
const AGES = new Weighted(
  Array.from({ length: 100 }, (_, a) => a),
  Array.from({ length: 100 }, (_, a) => {
    const [from, to, w] = AGE_BANDS.find(([f, t]) => a >= f && a <= t)!;
    return w / (to - from + 1);
  }),
);

// Education-like latent (0 = none … 4 = graduate): younger cohorts are more educated.
const EDU_MEDIAN_INCOME = [26_000, 36_000, 44_000, 65_000, 90_000];
const EDU_YOUNG = new Weighted([0, 1, 2, 3, 4], [8, 26, 22, 28, 16]);
const EDU_MIDDLE = new Weighted([0, 1, 2, 3, 4], [10, 30, 24, 23, 13]);
const EDU_OLD = new Weighted([0, 1, 2, 3, 4], [15, 35, 22, 17, 11]);

function drawIncome(random: DemoRandom, age: number, sex: 'F' | 'M'): number {
  if (age < 16) return 0;
  if (age >= 18 && age < 67 && random.chance(0.05)) return 0; // not in the labour force
  const edu = (age < 45 ? EDU_YOUNG : age < 65 ? EDU_MIDDLE : EDU_OLD).sample(random);
  const ageFactor =
    age < 22 ? 0.3 : age < 67 ? 0.5 + 0.5 * Math.exp(-(((age - 50) / 14) ** 2)) : 0.5;
  const sexFactor = sex === 'F' ? 0.9 : 1.08;
  const income = EDU_MEDIAN_INCOME[edu]! * ageFactor * sexFactor * Math.exp(0.5 * random.normal());
  return Math.min(MAX_INCOME, Math.round(income / 100) * 100);
}

function drawVisitCount(random: DemoRandom, age: number, diagnosis: DiagnosisDraw): number {
  if (random.chance(0.03)) return 0; // registered, no visit in 2024–2026
  return Math.min(MAX_VISITS, 1 + random.poisson(Math.max(0, visitRate(age, diagnosis) - 1)));
}

/** Draws `count` patients. Calls `onRow` every 5,000 rows for progress reporting. */
export function generatePatients(
  random: DemoRandom,
  count: number,
  onRow?: (done: number) => void,
): PatientColumns {
  const zips = buildGeography(random);
  const identity = new IdentityFactory(random);
  const cols: PatientColumns = {
    patient_id: [], name: [], email: [], phone: [], national_id: [], address: [],
    date_of_birth: [], sex: [], zip: [], diagnosis: [], income: [], visits: [],
    age: [], diagnosisDraw: [],
  }; // prettier-ignore
  for (let i = 0; i < count; i++) {
    const sex: 'F' | 'M' = random.chance(0.52) ? 'F' : 'M';
    const age = AGES.sample(random);
    // Born in 2025 - age, on a day after 1 January, so the age on 2026-01-01 is exactly `age`.
    const birthYearStart = Date.UTC(2025 - age, 0, 1) / 86_400_000;
    const yearLength = Date.UTC(2026 - age, 0, 1) / 86_400_000 - birthYearStart;
    const dob = birthYearStart + random.int(1, yearLength - 1);
    const { first, last } = identity.name(sex);
    const place = zips.sample(random);
    const diagnosis = drawDiagnosis(random, age, sex);
    cols.patient_id.push(FIRST_PATIENT_ID + i);
    cols.name.push(`${first} ${last}`);
    cols.email.push(identity.email(first, last, 2025 - age));
    cols.phone.push(identity.phone(place.areaCodes));
    cols.national_id.push(identity.nationalId());
    const street = random.faker.location.streetAddress();
    cols.address.push(`${street}, ${place.town}, MA ${place.zip}`);
    cols.date_of_birth.push(dob);
    cols.sex.push(sex);
    cols.zip.push(place.zip);
    cols.diagnosis.push(diagnosis.name);
    cols.income.push(drawIncome(random, age, sex));
    cols.visits.push(drawVisitCount(random, age, diagnosis));
    cols.age.push(age);
    cols.diagnosisDraw.push(diagnosis);
    if (onRow && (i + 1) % 5000 === 0) onRow(i + 1);
  }
  return cols;
}
