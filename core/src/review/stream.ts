/**
 * Why: a kernel writes stdout/stderr in arbitrary chunks, so an email can arrive as "jo" + "hn@…".
 * Scanning each chunk alone misses it (NB Defense's 512-character chunks do); rescanning the whole
 * stream is quadratic. `StreamChecker` keeps a bounded tail of each stream's normalized text,
 * scans tail + new chunk, and reports only findings that reach into the new chunk, once each.
 * Tables arrive in pieces too (a print loop writes one row at a time): the table rules read the
 * stream's last lines (bounded) plus the chunk, and report each table cell once, by its line.
 */
import { checkOutput, FindingSink, identifierSpans, joinText, redact } from './check.js';
import { isMultilineString } from './sink.js';
import { normalize, takeDrawnOrder } from './normalize.js';
import { textCounts } from './text-rules.js';
import { smallCells, rowLevel, statedTotal, type CellHit } from './table-rules.js';
import { alignedTables, textTables } from './text-table.js';
import {
  resolveSettings,
  type Finding,
  type NotebookOutput,
  type ReviewContext,
  type ReviewResult,
  type ReviewSettings,
  type Verdict,
} from './types.js';

/** Longest identifier we must catch across a chunk boundary (an email is ≤ 254 characters). */
const DEFAULT_WINDOW = 512;
/**
 * Most trailing lines, and characters, the table rules re-read with each chunk: ~0.5 ms per chunk
 * here, while ipykernel flushes a stream about five times a second.
 */
const TABLE_LINES = 128;
const TABLE_CHARS = 16_384;

interface StreamState {
  tail: string;
  /** Absolute offset (in the stream's normalized text) of tail[0]. */
  tailStart: number;
  reported: Set<string>;
  /** The stream's last lines (raw text, the last one possibly incomplete), for the table rules. */
  lines: string;
  /** Absolute index of the first line in `lines`. */
  lineBase: number;
}

/** Drops leading lines of `text` past TABLE_LINES lines or TABLE_CHARS characters; returns it and how many lines went. */
function trimLines(text: string): [string, number] {
  let cut = 0;
  let dropped = 0;
  let newlines = 0;
  for (let k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', k + 1)) newlines++;
  while (newlines - dropped > TABLE_LINES || text.length - cut > TABLE_CHARS) {
    const k = text.indexOf('\n', cut);
    if (k < 0) return [text.slice(Math.max(cut, text.length - TABLE_CHARS)), dropped];
    cut = k + 1;
    dropped++;
  }
  return [text.slice(cut), dropped];
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
      st = { tail: '', tailStart: 0, reported: new Set(), lines: '', lineBase: 0 };
      this.streams.set(name, st);
    }
    takeDrawnOrder(); // a note left by text read before this chunk is not the chunk's
    const text = normalize(chunk).text;
    const reordered = takeDrawnOrder();
    const buf = st.tail + text;
    const newFrom = st.tail.length;
    const sink = new FindingSink(this.settings);
    // Bidi controls reorder what is drawn around them, here or in a later chunk: held for review.
    if (reordered !== undefined)
      sink.add(
        'drawn-order',
        mime,
        { start: st.tailStart + newFrom, end: st.tailStart + buf.length },
        reordered,
      );
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
    this.tableRules(sink, st, text, mime);
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

  /** Table rules over the stream's last lines plus `chunk`; each table cell is reported once. */
  private tableRules(sink: FindingSink, st: StreamState, chunk: string, mime: string): void {
    const lines = st.lines + chunk;
    const partial = sink.partialReads(mime);
    const views = this.context.viewsUsed ?? [];
    // `table`: the table's place among those read now, so two tables' findings at the same row
    // and column stay two findings, each naming its table.
    const report = (kind: string, firstLine: number, h: CellHit, table = 0): void => {
      const key = `${kind}:${h.rule}@${st.lineBase + firstLine + h.row}:${h.column}`;
      if (st.reported.has(key)) return;
      st.reported.add(key);
      if (table === 0) sink.add(h.rule, mime, { row: h.row, column: h.column }, h.message);
      else
        sink.add(
          h.rule,
          mime,
          { row: h.row, column: h.column, table },
          `${h.message} (table ${table + 1} of this part)`,
        );
    };
    let table = 0;
    for (const t of textTables(lines, mime, partial)) {
      for (const h of [
        ...smallCells(t, this.settings, () => statedTotal(lines)),
        ...rowLevel(t, this.settings, views),
      ])
        report('text', t.firstLine ?? 0, h, table);
      table++;
    }
    if (views.length > 0)
      for (const t of alignedTables(lines, mime, partial))
        for (const h of rowLevel(t, this.settings, views)) report('aligned', t.firstLine ?? 0, h);
    const [kept, dropped] = trimLines(lines);
    st.lines = kept;
    st.lineBase += dropped;
  }

  /**
   * Feeds text that came before what will be pushed (earlier outputs of the same stream) without
   * reporting it: it only serves as context, so a table or identifier continued by the next push
   * is found there. Its own findings are left to whoever checked that text.
   */
  prime(context: string, name = 'stdout'): void {
    const before = this.all.length;
    this.push(context, name);
    this.all.length = before;
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

/**
 * `checkOutput`, except that a stream output is read as the continuation of `streamContext` (the
 * earlier parts of its stream in the cell, `streamContextBefore`): what it completes is found.
 */
export function checkOutputAfter(
  output: NotebookOutput,
  streamContext: string,
  context: ReviewContext = {},
): ReviewResult {
  // A stream whose text is not text is held as malformed by checkOutput.
  if (output.output_type !== 'stream' || streamContext === '' || !isMultilineString(output.text))
    return checkOutput(output, context);
  const checker = new StreamChecker(context);
  checker.prime(streamContext, output.name);
  return checker.push(joinText(output.text), output.name);
}

/**
 * The stream context a cell's output `index` continues: the text of the cell's earlier stream
 * outputs named `name` (a stderr write between two stdout writes splits stdout into two outputs),
 * oldest first, cut at a line start to about the part the table and identifier rules re-read.
 */
export function streamContextBefore(
  outputs: readonly unknown[],
  index: number,
  name: string,
): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = index - 1; i >= 0 && length <= TABLE_CHARS; i--) {
    const o = outputs[i] as { output_type?: unknown; name?: unknown; text?: unknown } | null;
    if (o?.output_type !== 'stream' || (o.name ?? 'stdout') !== name) continue;
    const text = Array.isArray(o.text) ? o.text.join('') : typeof o.text === 'string' ? o.text : '';
    parts.push(text);
    length += text.length;
  }
  const context = parts.reverse().join('');
  if (context.length <= TABLE_CHARS) return context;
  const cut = context.indexOf('\n', context.length - TABLE_CHARS);
  return cut < 0 ? context.slice(context.length - TABLE_CHARS) : context.slice(cut + 1);
}
