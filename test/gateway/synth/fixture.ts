/**
 * A small raw source and policy for synthetic-publishing tests: 3,000 people with a public-domain
 * column (sex), a discovered column (city, plus one value held by a single person), bounded numbers,
 * a date and a boolean target. Data come from a fixed integer generator so every run is identical.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePolicy, type Policy } from '@privet/core';

/** The value only one raw row holds; it must never appear in a synthetic view. */
export const RARE_CITY = 'Zzyzx-Springs';

/** A deterministic stream of integers in [0, n) (a 32-bit xorshift; test data only). */
function generator(seed: number): (n: number) => number {
  let x = seed >>> 0 || 1;
  return (n) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
}

/**
 * Writes people.csv into a new folder and returns the folder; `years` is how many years the join
 * dates spread over (the default 5 keeps every year above the DP discovery threshold).
 */
export function writeSource(rows = 3000, years = 5): string {
  const dir = mkdtempSync(join(tmpdir(), 'privet-synth-src-'));
  const next = generator(20261201);
  const cities = ['Ames', 'Boise', 'Cary', 'Dover', 'Erie', 'Fargo'];
  const lines = ['person_id,sex,city,age,income,joined,smoker'];
  for (let i = 0; i < rows; i++) {
    const sex = next(2) === 0 ? 'F' : 'M';
    const city = i === 17 ? RARE_CITY : cities[next(cities.length)]!;
    const age = 18 + next(60);
    const income = Math.round(20000 + age * 800 + next(30000));
    // Five years (~600 people each): dense enough that DP year discovery at ε = 1 (threshold
    // ≈ 193) keeps them all; spread over twenty (~150 each), no year cleared it in ~1 run of 10.
    const year = 2000 + next(years);
    const joined = `${year}-${String(1 + next(12)).padStart(2, '0')}-${String(1 + next(28)).padStart(2, '0')}`;
    const smoker = (age < 40 ? next(10) < 5 : next(10) < 2) ? 'true' : 'false';
    lines.push([i + 1, sex, city, age, income, joined, smoker].join(','));
  }
  writeFileSync(join(dir, 'people.csv'), lines.join('\n') + '\n');
  return dir;
}

/** Policy text for the fixture; `publication` is the ε of the publication budget (or none). */
export function policyText(
  opts: {
    publication?: string;
    seed?: string;
    analysts?: boolean;
    epsilon?: number;
    /** The public years declared for "joined" (none: discovered with DP). */
    joinedYears?: [number, number];
  } = {},
): string {
  const joinedYears = opts.joinedYears ? `, years: [${opts.joinedYears.join(', ')}]` : '';
  const seed = opts.seed === undefined ? '' : `\n    seed: ${opts.seed}`;
  const analysts = opts.analysts ? '\n    fidelity_for_analysts: true' : '';
  const budget =
    opts.publication === undefined
      ? ''
      : `publication_budgets:\n  - { source: people, epsilon: '${opts.publication}', delta: '1e-6' }\n`;
  return `version: 1
name: synth-fixture
sources:
  people:
    path: people.csv
    format: csv
    privacy_unit: person_id
    columns:
      person_id: { type: integer, identifier: true }
      sex: { type: string, categories: [F, M] }
      city: { type: string }
      age: { type: integer, bounds: [18, 78] }
      income: { type: number, bounds: [0, 100000] }
      joined: { type: date${joinedYears} }
      smoker: { type: boolean }
views:
  people_synth:
    tier: synthetic
    source: people
    columns: [sex, city, age, income, joined, smoker]
    epsilon: ${opts.epsilon ?? 1}
    delta: 1.0e-7
    bins: 12
    target: smoker${seed}${analysts}
users:
  ann: { name: Ann Analyst, roles: [analyst] }
  sue: { name: Sue Steward, roles: [steward] }
  rex: { name: Rex Reviewer, roles: [reviewer] }
budgets:
  - { source: people, epsilon: '3', delta: '1e-6', scope: experiment }
${budget}retention:
  derived_artefacts_days: 30
  audit_log_days: 3650
export:
  require_review_for_flagged: true
  images: review
  small_cell_threshold: 10
`;
}

/** The fixture policy parsed. */
export function fixturePolicy(text: string): Policy {
  return parsePolicy(text, 'synth-fixture.yaml');
}
