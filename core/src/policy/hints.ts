/**
 * What each policy key means and an example of a valid value, so that schema messages can say
 * how to fix a value and not only that it is wrong. Keyed by the key's own name (last path part).
 */

/** Explanation and example for one policy key. */
export interface KeyHint {
  /** What a valid value is, in words. */
  what: string;
  /** A valid line to copy, e.g. `k: 5`. */
  example: string;
}

/** Hints by key name. */
export const KEY_HINTS: Readonly<Record<string, KeyHint>> = {
  version: {
    what: 'the policy format version; this Privet reads version 1',
    example: 'version: 1',
  },
  name: { what: 'a non-empty display name', example: 'name: demo-clinic' },
  path: { what: 'the raw file, relative to the policy file', example: 'path: data/people.parquet' },
  format: { what: 'the raw file format: csv or parquet', example: 'format: parquet' },
  privacy_unit: {
    what: 'the column identifying the person each row belongs to',
    example: 'privacy_unit: person_id',
  },
  type: { what: 'integer, number, string, date or boolean', example: 'type: string' },
  identifier: {
    what: 'true for a direct identifier (name, email, id)',
    example: 'identifier: true',
  },
  bounds: {
    what: 'the public [low, high] range of a numeric column',
    example: 'bounds: [0, 100000]',
  },
  categories: { what: 'the public list of allowed values', example: 'categories: [F, M]' },
  years: {
    what: 'the public [first, last] years of a date column',
    example: 'years: [1926, 2025]',
  },
  source: { what: 'the name of a source declared under sources', example: 'source: people' },
  tier: { what: 'masked, synthetic or dp', example: 'tier: masked' },
  op: {
    what: 'a masking operator: keep, drop, token, mask_email, mask_phone, mask_chars, date_trunc, age_band, prefix or numeric_range',
    example: 'op: drop',
  },
  join_group: { what: 'a lower_snake_case group name', example: 'join_group: person' },
  keep_first: {
    what: 'how many leading characters stay visible, 0 to 4',
    example: 'keep_first: 1',
  },
  keep_last: { what: 'how many trailing characters stay visible, 0 to 4', example: 'keep_last: 2' },
  to: { what: 'year or month', example: 'to: month' },
  as_of: { what: 'the reference date ages are computed at', example: "as_of: '2026-01-01'" },
  width: { what: 'the width of each band, greater than 0', example: 'width: 10' },
  top: { what: 'the value from which everything falls into one top band', example: 'top: 80' },
  bottom: {
    what: 'the value below which everything falls into one bottom band',
    example: 'bottom: 0',
  },
  keep: { what: 'how many leading characters are kept, 1 to 32', example: 'keep: 3' },
  sources: {
    what: 'raw tables by name',
    example: 'sources: { people: { path: …, format: csv, … } }',
  },
  views: {
    what: 'published views by name',
    example: 'views: { people_masked: { tier: masked, … } }',
  },
  users: {
    what: 'users by id',
    example: 'users: { sam: { name: Sam Steward, roles: [steward] } }',
  },
  budgets: {
    what: 'a list of budgets, one per source',
    example: "budgets: [{ source: people, epsilon: '1.0', scope: experiment }]",
  },
  retention: {
    what: 'how long artefacts and records are kept',
    example: 'retention: { derived_artefacts_days: 30, audit_log_days: 3650 }',
  },
  export: {
    what: 'export rules',
    example:
      'export: { require_review_for_flagged: true, images: review, small_cell_threshold: 10 }',
  },
  k_anonymity: {
    what: 'k, quasi_identifiers and max_suppressed_fraction',
    example: 'k_anonymity: { k: 5, quasi_identifiers: [zip], max_suppressed_fraction: 0.05 }',
  },
  k: {
    what: 'the smallest group a published row may hide in, a whole number from 2 to 1000',
    example: 'k: 5',
  },
  quasi_identifiers: {
    what: 'published columns an attacker could link (age band, ZIP prefix, sex…)',
    example: 'quasi_identifiers: [birth_date, zip]',
  },
  max_suppressed_fraction: {
    what: 'the largest share of rows that may be suppressed, from 0 to 1',
    example: 'max_suppressed_fraction: 0.05',
  },
  columns: {
    what: 'the columns, at least one: a list for synthetic and dp views; by name, each with its masking operator, for masked views',
    example: 'columns: [zip, income]',
  },
  description: {
    what: 'free text for the people who use it (shown in the data panels)',
    example: 'description: Clinic patients, one row per person',
  },
  fidelity_for_analysts: {
    what: "true to let analysts read the view's fidelity report (stewards always can); it is exact, not DP: real row counts and per-column shares of the raw data, so reports of changing data can be subtracted to reveal one person's row",
    example: 'fidelity_for_analysts: true',
  },
  publication_budgets: {
    what: 'the budgets that publishing synthetic views spends, one per source',
    example: "publication_budgets: [{ source: people, epsilon: '2.0', delta: '1e-6' }]",
  },
  epsilon: { what: 'a privacy-loss parameter greater than 0', example: 'epsilon: 1' },
  // A budget's delta (exact decimal text or a number); a synthetic view's is in SECTION_HINTS.
  delta: {
    what: 'a probability from 0 up to (not including) 1, usually tiny',
    example: "delta: '1e-6'",
  },
  max_query_epsilon: {
    what: "the most ε one DP query may charge the budget, greater than 0 and at most the budget's epsilon",
    example: "max_query_epsilon: '0.5'",
  },
  max_query_delta: {
    what: "the most δ one DP query may charge the budget, at most the budget's delta",
    example: "max_query_delta: '1e-8'",
  },
  rows: { what: 'the number of synthetic rows, at least 1', example: 'rows: 10000' },
  seed: { what: 'a non-empty text seed', example: "seed: 'release-1'" },
  target: { what: 'one of the view columns', example: 'target: diagnosis' },
  bins: { what: 'bins per numeric column, a whole number from 2 to 256', example: 'bins: 32' },
  prefix: {
    what: 'string columns to synthesize as their first N characters (N from 1 to 32)',
    example: 'prefix: { zip: 3 }',
  },
  contribution: {
    what: 'how much one person may contribute to a query',
    example: 'contribution: { max_rows_per_unit: 1, max_groups_per_unit: 1 }',
  },
  max_rows_per_unit: { what: 'a whole number of at least 1', example: 'max_rows_per_unit: 1' },
  max_groups_per_unit: { what: 'a whole number of at least 1', example: 'max_groups_per_unit: 1' },
  public_keys: {
    what: 'declared GROUP BY keys per column',
    example: 'public_keys: { sex: [F, M] }',
  },
  response_time_ms: {
    what: 'a whole number of milliseconds from 10 to 30000: every real DP query reading the view is answered (released or refused) no sooner than this after it arrived, and one that runs longer at the next multiple, so its running time shows only as a number of steps (dry runs are not delayed)',
    example: 'response_time_ms: 1000',
  },
  roles: { what: 'a list of analyst, reviewer, steward', example: 'roles: [analyst]' },
  scope: { what: 'experiment or experiment_user', example: 'scope: experiment' },
  derived_artefacts_days: {
    what: 'days to keep derived artefacts, 0 or more',
    example: 'derived_artefacts_days: 30',
  },
  audit_log_days: {
    what: 'days to keep the audit log, at least 1',
    example: 'audit_log_days: 3650',
  },
  require_review_for_flagged: {
    what: 'true or false',
    example: 'require_review_for_flagged: true',
  },
  images: { what: 'allow or review', example: 'images: review' },
  small_cell_threshold: {
    what: 'a whole number of at least 1',
    example: 'small_cell_threshold: 10',
  },
};

/** Hints that differ by top-level section, keyed `section.key`. */
const SECTION_HINTS: Readonly<Record<string, KeyHint>> = {
  'sources.columns': {
    what: 'the raw columns by name, at least one, each with its type (and identifier, bounds or categories)',
    example: 'columns: { income: { type: integer, bounds: [0, 100000] } }',
  },
  'users.name': { what: "the person's display name", example: 'name: Sam Steward' },
  // A synthetic view's delta must be a number: the text '1e-6' that budgets accept is refused.
  'views.delta': {
    what: 'a number greater than 0 and less than 1, usually tiny',
    example: 'delta: 1.0e-6',
  },
};

/** The hint for the last named key of `path` (array indexes skipped), if there is one. */
export function hintFor(path: readonly (string | number)[]): KeyHint | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    const part = path[i];
    if (typeof part !== 'string') continue;
    const section = SECTION_HINTS[`${String(path[0])}.${part}`];
    return section && i > 0
      ? section
      : Object.hasOwn(KEY_HINTS, part)
        ? KEY_HINTS[part]
        : undefined;
  }
  return undefined;
}
