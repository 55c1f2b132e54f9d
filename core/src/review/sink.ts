/**
 * The finding sink of one output (rule severities and switches applied, duplicates dropped), the
 * redacted preview, and the identifier scan every MIME part shares.
 */
import { credentialSpans } from './credentials.js';
import { base64Spans } from './encoded.js';
import { findBirthDates, scanIdentifiers, type IdSpan } from './identifiers.js';
import { redactionLabel } from './mask.js';
import type { OnPartial } from './table.js';
import type {
  Finding,
  MultilineString,
  ReviewSettings,
  RuleId,
  Severity,
  Verdict,
} from './types.js';

/** Longest redacted preview kept per output. */
export const PREVIEW_LIMIT = 16_000;
const DEFAULT_SEVERITY: Record<RuleId, Severity> = {
  email: 'block',
  phone: 'block',
  'payment-card': 'block',
  iban: 'block',
  ssn: 'block',
  'ip-address': 'block',
  credential: 'block',
  'date-of-birth': 'flag',
  'small-cell': 'flag',
  'row-level': 'flag',
  dominance: 'flag',
  'dp-provenance': 'flag',
  image: 'flag',
  malformed: 'flag',
  'drawn-order': 'flag',
  script: 'flag',
  'raw-value': 'block',
};

/** True for an nbformat multiline string: a string, or a list holding only strings. */
export function isMultilineString(t: unknown): t is MultilineString {
  return typeof t === 'string' || (Array.isArray(t) && t.every((x) => typeof x === 'string'));
}

/**
 * Joins an nbformat multiline string. Anything else is read as '' (non-string list items are
 * dropped): a check must first test `isMultilineString` and hold any other value as `malformed`.
 */
export function joinText(t: MultilineString | unknown): string {
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return t.map((x) => (typeof x === 'string' ? x : '')).join('');
  return '';
}

/** Collects findings of one output with rule severities applied. */
export class FindingSink {
  readonly findings: Finding[] = [];
  readonly preview: string[] = [];
  private readonly seen = new Set<string>();
  private previewLength = 0;
  constructor(readonly settings: ReviewSettings) {}

  /**
   * A reader's `onPartial` for part `mime`: what the reader's caps left unread becomes a
   * `malformed` finding (held for review), so an output too large to check never passes unread.
   */
  partialReads(mime: string): OnPartial {
    return (unread) =>
      this.add(
        'malformed',
        mime,
        { start: 0, end: 0 },
        `${unread} were not checked: the output is too large to check in full; show fewer rows (e.g. df.head(100)) or request a review`,
      );
  }

  /** Adds a finding unless its rule is switched off. */
  add(
    rule: RuleId,
    mime: string,
    location: Finding['location'],
    message: string,
    severity?: Severity,
  ): void {
    const raw = this.settings.rules[rule];
    const set = raw === true ? undefined : raw;
    if (set === 'off' || set === false || this.findings.length >= 1000) return;
    const key =
      'row' in location
        ? `${rule}|${mime}|t${location.table ?? 0}r${location.row}c${location.column}`
        : `${rule}|${mime}|${location.start}-${location.end}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.findings.push({
      rule,
      severity: set ?? severity ?? DEFAULT_SEVERITY[rule],
      mime,
      location,
      message,
    });
  }

  /** Adds identifier spans of a text (and the redacted text to the preview). */
  addSpans(mime: string, text: string, spans: readonly IdSpan[], offset = 0): void {
    for (const sp of spans) {
      const sev = sp.rule === 'date-of-birth' ? (sp.strong === true ? 'block' : 'flag') : undefined;
      this.add(
        sp.rule,
        mime,
        { start: sp.start + offset, end: sp.end + offset },
        `${sp.masked} found`,
        sev,
      );
    }
  }

  /** Appends the redacted text of a part to the preview (only what the preview can show). */
  addPreview(mime: string, text: string, spans: readonly IdSpan[]): void {
    if (this.previewLength > PREVIEW_LIMIT) return;
    // One character past the limit keeps "this part was cut" visible to the gate above.
    const entry = `--- ${mime} ---\n${redact(text, spans, PREVIEW_LIMIT + 1)}`;
    this.preview.push(entry);
    this.previewLength += entry.length;
  }

  /** The verdict these findings imply. */
  verdict(): Verdict {
    let v: Verdict = 'pass';
    for (const f of this.findings) {
      if (f.severity === 'block') return 'block';
      if (f.severity === 'flag') v = 'flag';
    }
    return v;
  }
}

/**
 * Replaces every span with a label (spans may overlap; later ones are merged). With `maxLength`,
 * returns only the first `maxLength` characters of that result (and does only that much work).
 */
export function redact(text: string, spans: readonly IdSpan[], maxLength = Infinity): string {
  if (spans.length === 0) return text.length > maxLength ? text.slice(0, maxLength) : text;
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const parts: string[] = [];
  let length = 0;
  let last = 0;
  for (const sp of sorted) {
    if (length > maxLength) break;
    if (sp.end <= last) continue;
    const before = text.slice(
      last,
      Math.min(Math.max(last, sp.start), last + maxLength - length + 1),
    );
    const label = redactionLabel(sp.rule);
    parts.push(before, label);
    length += before.length + label.length;
    last = sp.end;
  }
  if (length <= maxLength) parts.push(text.slice(last, last + maxLength - length + 1));
  const out = parts.join('');
  return out.length > maxLength ? out.slice(0, maxLength) : out;
}

/**
 * Scans text for identifiers (including dates of birth); `small` collects the [start, end] of
 * stand-alone numbers in 1..`below`-1 (candidates for the small-count text rule).
 */
export function identifierSpans(text: string, small?: number[], below = 1000): IdSpan[] {
  const dates: number[] = [];
  const ids = scanIdentifiers(
    text,
    dates,
    small === undefined ? undefined : { below, found: small },
  );
  ids.push(...base64Spans(text, (decoded) => scanIdentifiers(decoded)));
  ids.push(...credentialSpans(text));
  const dob = findBirthDates(text, dates, ids);
  return dob.length === 0 ? ids : [...ids, ...dob];
}
