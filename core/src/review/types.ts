/**
 * Types of the output review engine: the nbformat outputs it reads, the context it is given,
 * and the verdict it returns. Settings use the policy's snake_case names (see ExportRules).
 */

/** A multiline nbformat string: either one string or a list of lines to concatenate. */
export type MultilineString = string | readonly string[];

/** A Jupyter MIME bundle: MIME type → text, lines, or parsed JSON. */
export type MimeBundle = Readonly<Record<string, unknown>>;

/** nbformat `stream` output. */
export interface StreamOutput {
  output_type: 'stream';
  name: string;
  text: MultilineString;
}

/** nbformat `display_data` / `execute_result` / `update_display_data` output. */
export interface DisplayOutput {
  output_type: 'display_data' | 'execute_result' | 'update_display_data';
  data: MimeBundle;
  metadata?: Readonly<Record<string, unknown>>;
  execution_count?: number | null;
}

/** nbformat `error` output. */
export interface ErrorOutput {
  output_type: 'error';
  ename: string;
  evalue: string;
  traceback: readonly string[];
}

/** Any nbformat output object. */
export type NotebookOutput = StreamOutput | DisplayOutput | ErrorOutput;

/** Rule identifiers; each can be switched off or re-graded in `ReviewSettings.rules`. */
export type RuleId =
  | 'email'
  | 'phone'
  | 'payment-card'
  | 'iban'
  | 'ssn'
  | 'ip-address'
  /** A Privet gateway token (a credential: never shown, saved or exported). */
  | 'credential'
  | 'date-of-birth'
  | 'small-cell'
  | 'row-level'
  | 'dominance'
  | 'dp-provenance'
  | 'image'
  | 'malformed'
  /** Text drawn in another order than stored (bidi controls, <bdo>, CSS that reorders it). */
  | 'drawn-order'
  /** Content that runs code when drawn (a script, an event handler, application/javascript). */
  | 'script'
  /** A value of a raw identifier column (found only by the gateway's keyed index). */
  | 'raw-value';

/** How serious a finding is: `block` stops display, `flag` holds for review, `info` only notes. */
export type Severity = 'block' | 'flag' | 'info';

/** What to do with a rule: switch it off or force its severity. */
export type RuleSetting = 'off' | Severity | boolean;

/** Dominance parameters (SACRO defaults: N-k with n=2, k=90%; p-ratio 10%). */
export interface DominanceSettings {
  /** Number of largest contributors in the N-k rule. */
  n: number;
  /** Share (0..1) the n largest may not exceed. */
  k: number;
  /** p% rule ratio (0..1): the remainder must exceed p × the largest contribution. */
  p: number;
}

/** Review settings; a subset of the policy's `export` block plus review-only knobs. */
export interface ReviewSettings {
  small_cell_threshold: number;
  images: 'allow' | 'review';
  dominance: DominanceSettings;
  /** A table with at least this many rows carrying quasi-identifiers is row-level data. */
  rows_threshold: number;
  /** Per-rule overrides. */
  rules: Partial<Record<RuleId, RuleSetting>>;
}

/** A view a cell used, as the host knows it from the gateway. */
export interface ViewUsed {
  name: string;
  tier: 'masked' | 'synthetic' | 'dp' | string;
  quasiIdentifiers: readonly string[];
  columns: readonly string[];
}

/** Per-unit contributions of one table cell, when the host knows them. */
export interface CellContributions {
  /** Optional label, for messages only. */
  label?: string;
  values: readonly number[];
}

/** Everything the check may know besides the output itself. */
export interface ReviewContext {
  policy?: Partial<Omit<ReviewSettings, 'dominance'>> & { dominance?: Partial<DominanceSettings> };
  viewsUsed?: readonly ViewUsed[];
  /**
   * Answers whether the ledger committed a DP release with this id AND exactly this content
   * (`releaseContentText` of the value; the gateway keeps its SHA-256). Absent: no release is
   * trusted. Binding the content keeps a real id from vouching for other numbers.
   */
  knownRelease?: (id: string, content: string) => boolean;
  /** `display` (default) before showing an output; `export` before it leaves the sandbox. */
  mode?: 'display' | 'export';
  /** Contributions behind the cells of a magnitude table, for the dominance rule. */
  contributions?: readonly CellContributions[];
}

/**
 * Where a finding is: a span of the normalized text of one MIME part, or a table cell; `table`
 * tells the tables of one part apart (1 for the second table read, …; absent for the first).
 */
export type FindingLocation =
  { start: number; end: number } | { row: number; column: number; table?: number };

/** One problem found in an output. Messages never contain the sensitive value in full. */
export interface Finding {
  rule: RuleId;
  severity: Severity;
  mime: string;
  location: FindingLocation;
  message: string;
}

/** The overall decision for an output. */
export type Verdict = 'pass' | 'flag' | 'block';

/** Result of checking one output. */
export interface ReviewResult {
  verdict: Verdict;
  findings: Finding[];
  /** Normalized text of the output's text parts with every identifier match replaced. */
  redactedPreview: string;
}

/** Default settings (SACRO-like thresholds). */
export const DEFAULT_REVIEW_SETTINGS: ReviewSettings = {
  small_cell_threshold: 10,
  images: 'review',
  dominance: { n: 2, k: 0.9, p: 0.1 },
  rows_threshold: 10,
  rules: {},
};

/** Merges partial settings over the defaults, failing closed on nonsense values. */
export function resolveSettings(given: ReviewContext['policy']): ReviewSettings {
  const d = DEFAULT_REVIEW_SETTINGS;
  // A whole policy may be passed: its `export` block holds the shared settings.
  const block = (given as { export?: unknown } | undefined)?.export;
  const policy: ReviewContext['policy'] =
    typeof block === 'object' && block !== null
      ? { ...(block as ReviewContext['policy']), ...given }
      : given;
  const s: ReviewSettings = {
    small_cell_threshold: policy?.small_cell_threshold ?? d.small_cell_threshold,
    images: policy?.images ?? d.images,
    dominance: { ...d.dominance, ...(policy?.dominance ?? {}) },
    rows_threshold: policy?.rows_threshold ?? d.rows_threshold,
    rules: { ...(policy?.rules ?? {}) },
  };
  const bad = (what: string, fix: string): never => {
    throw new Error(`review settings: ${what} is invalid. Fix: ${fix}`);
  };
  if (!Number.isInteger(s.small_cell_threshold) || s.small_cell_threshold < 1)
    bad('small_cell_threshold', 'use an integer ≥ 1');
  if (!Number.isInteger(s.rows_threshold) || s.rows_threshold < 1)
    bad('rows_threshold', 'use an integer ≥ 1');
  const { n, k, p } = s.dominance;
  if (!Number.isInteger(n) || n < 1) bad('dominance.n', 'use an integer ≥ 1');
  if (!(k > 0 && k <= 1)) bad('dominance.k', 'use a share in (0, 1]');
  if (!(p >= 0 && p <= 1)) bad('dominance.p', 'use a ratio in [0, 1]');
  if (s.images !== 'allow' && s.images !== 'review') bad('images', "use 'allow' or 'review'");
  return s;
}

/** Review settings from a policy's `export` block (`small_cell_threshold`, `images`). */
export function settingsFromExportRules(rules: {
  small_cell_threshold: number;
  images: 'allow' | 'review';
}): NonNullable<ReviewContext['policy']> {
  return { small_cell_threshold: rules.small_cell_threshold, images: rules.images };
}
