/**
 * Demo visits: exactly `visits` rows per patient (so patients.visits matches the visits table),
 * dated in 2024–2026 but never before the patient's birth, in date order per patient, with the
 * department following the diagnosis and the cost following the department.
 */
import { drawCost, drawDepartment } from './clinical.js';
import type { PatientColumns } from './patients.js';
import type { DemoRandom } from './random.js';

/** First visit id; ids are consecutive from here. */
export const FIRST_VISIT_ID = 5_000_001;
const FIRST_DAY = Date.UTC(2024, 0, 1) / 86_400_000;
const LAST_DAY = Date.UTC(2026, 11, 31) / 86_400_000;

/** The visits table, column by column. */
export interface VisitColumns {
  visit_id: number[];
  patient_id: number[];
  /** Days since 1970-01-01. */
  visit_date: number[];
  department: string[];
  cost: number[];
}

/** Draws every patient's visits. Calls `onPatient` every 5,000 patients for progress reporting. */
export function generateVisits(
  random: DemoRandom,
  patients: PatientColumns,
  onPatient?: (done: number) => void,
): VisitColumns {
  const cols: VisitColumns = {
    visit_id: [],
    patient_id: [],
    visit_date: [],
    department: [],
    cost: [],
  };
  const n = patients.patient_id.length;
  for (let i = 0; i < n; i++) {
    const count = patients.visits[i]!;
    const first = Math.max(FIRST_DAY, patients.date_of_birth[i]!);
    const dates = Array.from({ length: count }, () => random.int(first, LAST_DAY)).sort(
      (a, b) => a - b,
    );
    for (const day of dates) {
      const department = drawDepartment(random, patients.age[i]!, patients.diagnosisDraw[i]!);
      cols.visit_id.push(FIRST_VISIT_ID + cols.visit_id.length);
      cols.patient_id.push(patients.patient_id[i]!);
      cols.visit_date.push(day);
      cols.department.push(department);
      cols.cost.push(drawCost(random, department));
    }
    if (onPatient && (i + 1) % 5000 === 0) onPatient(i + 1);
  }
  return cols;
}
