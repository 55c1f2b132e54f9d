/**
 * Per-MIME checks: text (plain, HTML, markdown, SVG, LaTeX, streams, tracebacks), JSON (plain,
 * dataresource, plotly, vega-lite, DP releases), raster images and output metadata. Each part is
 * normalized once and every rule runs on that one string.
 */
import {
  DP_RELEASE_MIME,
  looksLikeRelease,
  releaseContentText,
  releaseIdOf,
} from './dp-release.js';
import { htmlTables } from './html-table.js';
import { scanJson } from './json-table.js';
import { literalText } from './literal-text.js';
import { normalize } from './normalize.js';
import { drawsPicture } from './pictures.js';
import { svgText } from './svg-text.js';
import { FindingSink, identifierSpans, isMultilineString, joinText } from './sink.js';
import type { OnPartial, Table } from './table.js';
import {
  birthDateColumns,
  dominance,
  identifierColumns,
  rowLevel,
  smallCells,
  statedTotal,
  type CellHit,
} from './table-rules.js';
import { addTextCounts } from './text-counts.js';
import { tableRulesFilter } from './table-filter.js';
import { alignedTables, forEachTextTable, markdownTables, type TableFilter } from './text-table.js';
import { isScriptMime, markupRunsCode } from './scripts.js';
import { texToText } from './tex.js';
import type { ReviewContext, RuleId } from './types.js';

/** Binary media the check cannot read at all: every image but SVG, PDF, video and audio. */
const BINARY_MEDIA =
  /^(?:image\/(?!svg\+xml$)[\w.+-]+|application\/pdf|video\/[\w.+-]+|audio\/[\w.+-]+)$/;

function tableRules(
  sink: FindingSink,
  tables: readonly Table[],
  ctx: ReviewContext,
  text: string,
  exempt: boolean,
): void {
  const check = tableChecker(sink, ctx, text, exempt);
  for (const t of tables) check(t);
}

/** The table rules of one part, one table per call; `skip` counts a table read but not checked. */
type TableCheck = ((t: Table) => void) & { skip: () => void };

/**
 * The table rules of one part as a function of one table, so tables can be checked as they are
 * read; the total the part's `text` states is read once, when a table first needs it.
 */
function tableChecker(
  sink: FindingSink,
  ctx: ReviewContext,
  text: string,
  exempt: boolean,
): TableCheck {
  const s = sink.settings;
  let total: number | undefined | null = null;
  const outputTotal = (): number | undefined =>
    total === null ? (total = statedTotal(text)) : total;
  // Tables of one part in the order read: a cell of a nested table and the cell of the table
  // around it at the same row and column are two findings, each naming its table.
  let read = 0;
  const report = (
    rule: RuleId,
    mime: string,
    table: number,
    row: number,
    column: number,
    message: string,
  ): void => {
    if (table === 0) sink.add(rule, mime, { row, column }, message);
    else
      sink.add(rule, mime, { row, column, table }, `${message} (table ${table + 1} of this part)`);
  };
  const check = (t: Table): void => {
    const table = read++;
    const hits: CellHit[] = birthDateColumns(t);
    for (const h of rowLevel(t, s, ctx.viewsUsed ?? [])) hits.push(h);
    for (const h of dominance(t, s)) hits.push(h);
    if (!exempt) for (const h of smallCells(t, s, outputTotal)) hits.push(h);
    for (const h of hits) report(h.rule, t.mime, table, h.row, h.column, h.message);
    for (const h of identifierColumns(t))
      report(
        h.rule,
        t.mime,
        table,
        h.row,
        h.column,
        `a column of ${h.rule === 'ssn' ? 'US SSNs' : 'phone numbers'} (row ${h.row + 1})`,
      );
  };
  // A skipped table still takes its index: later tables keep the numbers their findings name.
  return Object.assign(check, { skip: (): void => void read++ });
}

/**
 * The table rules over the tables of a text part (`html` is its markup, '' if none). Findings keep
 * the order of gathering every table first: each reader's partial reads, then the HTML and
 * markdown tables, then the text tables, which are checked as soon as each is read (a text may
 * hold thousands).
 */
function checkTables(
  sink: FindingSink,
  mime: string,
  html: string,
  text: string,
  ctx: ReviewContext,
  kind: 'plain' | 'html' | 'markdown',
  partial: OnPartial,
): void {
  const earlier: Table[] = [];
  const add = (found: readonly Table[]): void => {
    for (const t of found) earlier.push(t);
  };
  if (html.indexOf('<') >= 0) add(htmlTables(html, mime, partial));
  if (kind === 'markdown' || kind === 'plain') add(markdownTables(text, mime, partial));
  const check = tableChecker(sink, ctx, text, false);
  // The HTML and markdown tables, checked once: before the first text table, or at the end.
  const checkEarlier = (): void => {
    if (earlier.length === 0) return;
    for (const t of earlier) check(t);
    earlier.length = 0;
  };
  const onTextTable = (t: Table): void => {
    checkEarlier();
    check(t);
  };
  // A text table the rules cannot find anything in (table-filter.ts) is not built: it is
  // counted in its turn, after the earlier tables, as `check` would have counted it.
  const mayFind = tableRulesFilter(sink.settings, ctx.viewsUsed ?? []);
  const wanted: TableFilter = (columns, from, rows) => {
    checkEarlier();
    if (mayFind(columns, from, rows)) return true;
    check.skip();
    return false;
  };
  if (kind === 'plain') forEachTextTable(text, mime, onTextTable, partial, wanted);
  checkEarlier();
}

/** Checks one text part (plain, HTML, markdown or SVG). */
export function checkText(
  sink: FindingSink,
  mime: string,
  raw: string,
  ctx: ReviewContext,
  kind: 'plain' | 'html' | 'markdown' | 'svg',
): void {
  const markup = kind !== 'plain' || (raw.indexOf('<') >= 0 && /<table[\s>]/i.test(raw));
  const { text, attrs, shownAttrs } = normalize(raw, { markup, markdown: kind === 'markdown' });
  const small: number[] = [];
  const spans = identifierSpans(text, small, sink.settings.small_cell_threshold);
  sink.addSpans(mime, text, spans);
  if (attrs !== '') {
    const a = identifierSpans(attrs);
    for (const sp of a)
      sink.add(
        sp.rule,
        `${mime} (attributes)`,
        { start: sp.start, end: sp.end },
        `${sp.masked} found in a markup attribute`,
      );
  }
  if (shownAttrs !== undefined) {
    // A tooltip (`title`), an image's `alt`, an `aria-label` is drawn too: counts stated there.
    addTextCounts(sink, `${mime} (attributes)`, shownAttrs);
  }
  sink.addPreview(mime, text, spans);
  if (kind === 'svg') {
    addTextCounts(sink, mime, text, small);
    checkSvgText(sink, mime, raw, ctx, true);
    return checkLiteral(sink, mime, raw, ctx, false);
  }
  const partial = sink.partialReads(mime);
  checkTables(sink, mime, markup ? raw : '', text, ctx, kind, partial);
  if (kind === 'plain' && (ctx.viewsUsed?.length ?? 0) > 0) {
    for (const t of alignedTables(text, mime, partial)) {
      for (const h of rowLevel(t, sink.settings, ctx.viewsUsed ?? []))
        sink.add(h.rule, mime, { row: h.row, column: h.column }, h.message);
    }
  }
  addTextCounts(sink, mime, text, small);
  if (kind !== 'plain') {
    checkSvgText(sink, mime, raw, ctx, false);
    checkLiteral(sink, mime, raw, ctx, kind === 'markdown');
  }
}

/**
 * The count rule and the text-table reader over the text an SVG draws (`whole`: an SVG document;
 * else the `<svg>` elements of HTML or Markdown), read as drawn (svg-text.ts): text elements at one
 * `y` side by side as a row, and each bare number drawn as a label outside axes and legends as a
 * count. Findings name `(SVG text)`; a label's location is its row and place in that row.
 */
function checkSvgText(
  sink: FindingSink,
  mime: string,
  raw: string,
  ctx: ReviewContext,
  whole: boolean,
): void {
  const drawn = svgText(raw, whole);
  if (drawn === undefined) return;
  const where = `${mime} (SVG text)`;
  const th = sink.settings.small_cell_threshold;
  const { text } = normalize(drawn.rows);
  forEachTextTable(text, where, tableChecker(sink, ctx, text, false), sink.partialReads(where));
  addTextCounts(sink, where, text);
  for (const l of drawn.labels)
    if (l.value > 0 && l.value < th)
      sink.add(
        'small-cell',
        where,
        { row: l.row, column: l.column },
        `a count drawn as a label below the threshold of ${th} (text row ${l.row + 1}, item ${l.column + 1})`,
      );
}

/**
 * The count rule and the text-table reader over the text that markup draws as written
 * (`<textarea>`, `<xmp>`, CDATA, Markdown code; `<pre>` as laid out: literal-text.ts), where a
 * tag or comment the tag passes remove is shown to the user. Findings name `(as written)`.
 */
function checkLiteral(
  sink: FindingSink,
  mime: string,
  raw: string,
  ctx: ReviewContext,
  markdown: boolean,
): void {
  const written = literalText(raw, markdown);
  if (written === '') return;
  const where = `${mime} (as written)`;
  const { text } = normalize(written);
  forEachTextTable(text, where, tableChecker(sink, ctx, text, false), sink.partialReads(where));
  addTextCounts(sink, where, text);
}

function checkJson(sink: FindingSink, mime: string, value: unknown, ctx: ReviewContext): void {
  let v = value;
  if (isMultilineString(v)) {
    const s = joinText(v);
    try {
      v = JSON.parse(s) as unknown;
    } catch {
      sink.add(
        'malformed',
        mime,
        { start: 0, end: 0 },
        'JSON output that does not parse; checked as text',
      );
      checkText(sink, mime, s, ctx, 'plain');
      return;
    }
  }
  let exempt = false;
  if (mime === DP_RELEASE_MIME) {
    const id = releaseIdOf(v);
    const known =
      id !== undefined &&
      ctx.knownRelease !== undefined &&
      ctx.knownRelease(id, releaseContentText(v)) === true;
    if (known) exempt = true;
    else
      sink.add(
        'dp-provenance',
        mime,
        { start: 0, end: 0 },
        id === undefined
          ? 'a DP release without a release id'
          : 'a DP release the ledger does not know (unknown id, or content other than released)',
      );
  } else if (looksLikeRelease(v)) {
    sink.add(
      'dp-provenance',
      mime,
      { start: 0, end: 0 },
      `a DP-release-shaped value outside ${DP_RELEASE_MIME}; not trusted as a release`,
    );
  }
  const { text: rawText, tables } = scanJson(mime, v, sink.partialReads(mime));
  const markup = rawText.indexOf('<') >= 0 && /<[a-z]/i.test(rawText);
  const { text, attrs } = normalize(rawText, { markup });
  const small: number[] = [];
  const spans = identifierSpans(text, small, sink.settings.small_cell_threshold);
  sink.addSpans(mime, text, spans);
  // Strings a JSON viewer or a chart draws (a title, an annotation, a note): counts stated in them.
  addTextCounts(sink, mime, text, small);
  if (markup) {
    // A chart draws its strings as markup (read above); a JSON viewer draws them as written, tags,
    // comments and attribute values included: both readings are checked.
    const written = normalize(rawText).text;
    sink.addSpans(mime, written, identifierSpans(written));
    if (attrs !== '') sink.addSpans(mime, attrs, identifierSpans(attrs));
  }
  sink.addPreview(mime, text, spans);
  tableRules(sink, tables, ctx, text, exempt);
}

/** LaTeX tabular → aligned text (cells split by &, rows by \\\\), so text tables are read. */
function latexToText(tex: string): string {
  if (tex.indexOf('&') < 0) return tex;
  return tex
    .replace(/\\(?:toprule|midrule|bottomrule|hline|cline\{[^}]*\})\s*/g, '')
    .replace(/\\\\[ \t]*\n?/g, '\n')
    .replace(/\s*&\s*/g, '  ');
}

/**
 * An `image` finding for content the check cannot read (`what`): noted at display, held for review
 * at export when the policy says `images: review`.
 */
function unreadablePicture(
  sink: FindingSink,
  mime: string,
  ctx: ReviewContext,
  what: string,
): void {
  const held = (ctx.mode ?? 'display') === 'export' && sink.settings.images === 'review';
  sink.add(
    'image',
    mime,
    { start: 0, end: 0 },
    held
      ? `${what} cannot be read by the check; it is held for review at export`
      : `${what} cannot be read by the check: shown, but held for review at export`,
    held ? 'flag' : 'info',
  );
}

/** True for a JSON MIME type (`application/json`, `*+json`): its value may be any JSON. */
function isJsonMime(m: string): boolean {
  return m.endsWith('json') || m.includes('+json');
}

/**
 * A part whose value is not text where its MIME type takes text (a string or a list of strings):
 * renderers draw it as String(value) — nested lists and objects included — so it is blocked as
 * `malformed`, and what it holds is still read for the other rules' findings.
 */
export function checkMisshapenText(
  sink: FindingSink,
  mime: string,
  value: unknown,
  ctx: ReviewContext,
): void {
  const shape =
    value === null ? 'null' : Array.isArray(value) ? 'a list holding non-text' : typeof value;
  sink.add(
    'malformed',
    mime,
    { start: 0, end: 0 },
    `${mime} content that is not text (${shape}; it must be a string or a list of strings): a renderer would draw it unchecked`,
    'block',
  );
  if (typeof value === 'object' && value !== null) checkJson(sink, mime, value, ctx);
  else checkText(sink, mime, String(value), ctx, 'plain');
}

/** Checks one MIME part of a display output. */
export function checkPart(
  sink: FindingSink,
  mime: string,
  value: unknown,
  ctx: ReviewContext,
): void {
  const m = mime.toLowerCase().split(';')[0]?.trim() ?? '';
  // Only JSON types hold objects; every other type is text, and anything else is never passed.
  if (!isJsonMime(m) && !isMultilineString(value))
    return checkMisshapenText(sink, mime, value, ctx);
  if (BINARY_MEDIA.test(m)) return unreadablePicture(sink, mime, ctx, `${m} content`);
  if (isScriptMime(m)) {
    sink.add(
      'script',
      mime,
      { start: 0, end: 0 },
      `${m} is code the notebook runs when it shows the output: what it draws cannot be read here`,
    );
    return checkText(sink, mime, joinText(value), ctx, 'plain');
  }
  if (m === 'image/svg+xml' || m === 'text/html' || m === 'text/markdown') {
    const text = joinText(value);
    if (markupRunsCode(text))
      sink.add(
        'script',
        mime,
        { start: 0, end: 0 },
        'markup that runs code when shown (a script, an event handler, a javascript: link or an embedded frame): what it draws cannot be read here',
      );
    // Text in the markup is read; what it draws as paths or embeds (a chart's glyphs, a base64
    // PNG) is not, so such markup is treated like an image as well (pictures.ts).
    if (m === 'image/svg+xml') checkText(sink, mime, text, ctx, 'svg');
    else if (m === 'text/html') checkText(sink, mime, text, ctx, 'html');
    // Math in Markdown is typeset: read it as drawn (tex.ts).
    else checkText(sink, mime, texToText(text), ctx, 'markdown');
    const kind = m === 'image/svg+xml' ? 'svg' : m === 'text/html' ? 'html' : 'markdown';
    if (drawsPicture(text, kind))
      unreadablePicture(sink, mime, ctx, 'a picture drawn by this markup');
    return;
  }
  if (m === 'text/latex')
    return checkText(sink, mime, texToText(latexToText(joinText(value))), ctx, 'plain');
  if (isJsonMime(m)) return checkJson(sink, mime, value, ctx);
  return checkText(sink, mime, joinText(value), ctx, 'plain');
}

/** Scans metadata strings (evasion: identifiers stashed in output metadata). */
export function checkMetadata(sink: FindingSink, metadata: unknown): void {
  if (typeof metadata !== 'object' || metadata === null || Object.keys(metadata).length === 0)
    return;
  const { text: raw } = scanJson('metadata', metadata, sink.partialReads('metadata'));
  const { text } = normalize(raw);
  sink.addSpans('metadata', text, identifierSpans(text));
}
