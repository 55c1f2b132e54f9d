/**
 * Why: a kernel writes stdout/stderr in arbitrary chunks, so an email can arrive as "jo" + "hn@…".
 * Scanning each chunk alone misses it (NB Defense's 512-character chunks do); rescanning the whole
 * stream is quadratic. `StreamChecker` keeps a bounded tail of each stream's normalized text,
 * scans tail + new chunk, and reports only findings that reach into the new chunk, once each.
 */
import { FindingSink, identifierSpans, redact } from './check.js';
import { normalize } from './normalize.js';
import { textCounts } from './text-rules.js';
import { smallCells, rowLevel, statedTotal } from './table-rules.js';
import { alignedTables, textTables } from './text-table.js';
import {
  resolveSettings,
  type Finding,
  type ReviewContext,
  type ReviewResult,
  type ReviewSettings,
  type Verdict,
} from './types.js';

/** Longest identifier we must catch across a chunk boundary (an email is ≤ 254 characters). */
const DEFAULT_WINDOW = 512;

interface StreamState {
  tail: string;
  /** Absolute offset (in the stream's normalized text) of tail[0]. */
  tailStart: number;
  reported: Set<string>;
}

/** Checks a live stream chunk by chunk, finding identifiers split across chunks. */
export class StreamChecker {
  private readonly settings: ReviewSettings;
  private readonly streams = new Map<string, StreamState>();
  private readonly all: Finding[] = [];
  private readonly window: number;

  /** `window` is the number of trailing characters kept per stream (≥ 300). */
  constructor(
    private readonly context: ReviewContext = {},
    window = DEFAULT_WINDOW,
  ) {
    this.settings = resolveSettings(context.policy);
    this.window = Math.max(300, Math.min(window, 65_536));
  }

  /** Adds a chunk of stream `name` (stdout/stderr); returns the check of what this chunk adds. */
  push(chunk: string, name = 'stdout'): ReviewResult {
    const mime = `stream/${name}`;
    let st = this.streams.get(name);
    if (st === undefined) {
      st = { tail: '', tailStart: 0, reported: new Set() };
      this.streams.set(name, st);
    }
    const text = normalize(chunk).text;
    const buf = st.tail + text;
    const newFrom = st.tail.length;
    const sink = new FindingSink(this.settings);
    const small: number[] = [];
    const spans = identifierSpans(buf, small, this.settings.small_cell_threshold);
    const fresh = spans.filter((sp) => {
      const key = `${sp.rule}@${st.tailStart + sp.start}`;
      if (sp.end <= newFrom || st.reported.has(key)) return false;
      st.reported.add(key);
      return true;
    });
    sink.addSpans(mime, buf, fresh, st.tailStart);
    for (const h of textCounts(buf, this.settings, small)) {
      const key = `small-cell@${st.tailStart + h.start}`;
      if (h.end <= newFrom || st.reported.has(key)) continue;
      st.reported.add(key);
      sink.add(
        'small-cell',
        mime,
        { start: st.tailStart + h.start, end: st.tailStart + h.end },
        h.message,
      );
    }
    const partial = sink.partialReads(mime);
    for (const t of textTables(text, mime, partial)) {
      for (const h of [
        ...smallCells(t, this.settings, () => statedTotal(text)),
        ...rowLevel(t, this.settings, this.context.viewsUsed ?? []),
      ])
        sink.add(h.rule, mime, { row: h.row, column: h.column }, h.message);
    }
    if ((this.context.viewsUsed?.length ?? 0) > 0) {
      for (const t of alignedTables(text, mime, partial))
        for (const h of rowLevel(t, this.settings, this.context.viewsUsed ?? []))
          sink.add(h.rule, mime, { row: h.row, column: h.column }, h.message);
    }
    const keep = Math.min(buf.length, this.window);
    st.tailStart += buf.length - keep;
    st.tail = buf.slice(buf.length - keep);
    if (st.reported.size > 4096) st.reported.clear();
    this.all.push(...sink.findings);
    return {
      verdict: sink.verdict(),
      findings: sink.findings,
      redactedPreview: redact(buf, spans),
    };
  }

  /** Every finding so far, over all streams. */
  get findings(): readonly Finding[] {
    return this.all;
  }

  /** Verdict over everything pushed so far. */
  verdict(): Verdict {
    if (this.all.some((f) => f.severity === 'block')) return 'block';
    return this.all.some((f) => f.severity === 'flag') ? 'flag' : 'pass';
  }
}
