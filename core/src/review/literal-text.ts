/**
 * Why: some text is drawn as written, tags and all: the contents of `<textarea>` and `<title>`
 * (RCDATA), `<xmp>` and `<plaintext>` (raw text), CDATA sections in SVG and MathML, and Markdown
 * code (spans, fences, indented lines). There a `<!-- 3 patients -->` or `<x 3 patients>` is
 * shown to the user, while the tag passes of `stripTags` remove it as a comment or a tag. And text
 * laid out in lines there or in `<pre>` (`df.value_counts()` printed into a page) is an aligned
 * table, which the text-table reader reads only in plain text. This module cuts those regions out
 * of the markup, as written (`<pre>` and `<listing>` with their tags dropped, as a browser draws
 * them), so the count rule and the text-table reader read them as the user sees them. The
 * identifier scan already reads the whole markup as written (`StrippedMarkup.also`).
 */

/** A start tag of an element whose text is drawn as written or as laid out, or a CDATA section. */
const GATE = /<(?:textarea|xmp|plaintext|title|pre|listing)\b|<!\[CDATA\[/i;

/** An element drawn as written or as laid out, to its end tag (or the end of the markup). */
const ELEMENT = /<(textarea|xmp|title|pre|listing)\b[^<>]*>([\s\S]*?)(?:<\/\1\s*>|(?![\s\S]))/gi;

/** `<plaintext>`: everything after it is text (no end tag ends it). */
const PLAINTEXT = /<plaintext\b[^<>]*>([\s\S]*)/i;

/** A CDATA section (SVG, MathML), to its `]]>` or the end. */
const CDATA = /<!\[CDATA\[([\s\S]*?)(?:\]\]>|(?![\s\S]))/g;

/** Elements whose markup is parsed (so their tags are not drawn) but whose lines are kept. */
const LAID_OUT = new Set(['pre', 'listing']);

/** A tag, as the tag passes remove it (for `<pre>`, whose tags a browser does not draw). */
const TAG = /<\/?[A-Za-z][^<>]*>/g;

/**
 * A Markdown fenced code block's contents (to its closing fence or the end of the text); the
 * lookaheads keep a long fence from being retried at every shorter length.
 */
const FENCE =
  /^ {0,3}(`{3,}(?!`)|~{3,}(?!~))[^\n]*\n([\s\S]*?)(?:^ {0,3}\1[`~]*[ \t]*$|(?![\s\S]))/gm;

/** A Markdown indented code line. */
const INDENTED = /^(?: {4}|\t).*$/gm;

/**
 * True if Markdown may hold code: a backtick, a `~~~` fence or an indented line (what
 * `/`|~~~|^(?: {4}|\t)/m` finds, LF and CR line ends alike), by native indexOf: a multiline regex
 * tries every position of the text, and most Markdown output holds none of these.
 */
function mayHoldCode(s: string): boolean {
  return (
    s.indexOf('`') >= 0 ||
    s.indexOf('~~~') >= 0 ||
    s.startsWith('    ') ||
    s.startsWith('\t') ||
    s.indexOf('\n    ') >= 0 ||
    s.indexOf('\n\t') >= 0 ||
    // A bare CR ends a line too (CommonMark), as it does for the multiline regexes here.
    (s.indexOf('\r') >= 0 && /\r(?: {4}|\t)/.test(s))
  );
}

/**
 * Pushes the contents of every Markdown code span of `s` (from a run of backticks to the next run
 * of the same length, as CommonMark pairs them) and returns `s` without them; paired by hand in
 * one pass over the runs (a regex would rescan the rest of the text from every unpaired run).
 */
function cutCodeSpans(s: string, out: string[]): string {
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = s.indexOf('`'); i >= 0; i = s.indexOf('`', i)) {
    let e = i + 1;
    while (s.charCodeAt(e) === 96) e++;
    starts.push(i);
    ends.push(e);
    i = e;
  }
  // The next run of the same length after each run, or -1.
  const partner = new Array<number>(starts.length).fill(-1);
  const lastOfLength = new Map<number, number>();
  for (let k = starts.length - 1; k >= 0; k--) {
    const length = (ends[k] as number) - (starts[k] as number);
    partner[k] = lastOfLength.get(length) ?? -1;
    lastOfLength.set(length, k);
  }
  const rest: string[] = [];
  let kept = 0;
  for (let k = 0; k < starts.length; k++) {
    const j = partner[k] as number;
    if (j < 0) continue;
    out.push(s.slice(ends[k], starts[j]));
    rest.push(s.slice(kept, starts[k]), ' ');
    kept = ends[j] as number;
    k = j;
  }
  if (kept === 0) return s;
  rest.push(s.slice(kept));
  return rest.join('');
}

/**
 * The text of `markup` drawn as written (or, for `<pre>`, as laid out), one region per line, each
 * region once; '' when it has none. `markdown`: also the code fences, spans and indented lines of
 * Markdown (read first: a fence shows an element's tags as written too).
 */
export function literalText(markup: string, markdown: boolean): string {
  const out: string[] = [];
  let rest = markup;
  if (markdown && mayHoldCode(rest)) {
    rest = rest.replace(FENCE, (_fence, _open: string, body: string) => {
      out.push(body);
      return '\n';
    });
    rest = cutCodeSpans(rest, out);
    rest = rest.replace(INDENTED, (line) => {
      out.push(line);
      return '';
    });
  }
  if (rest.indexOf('<') >= 0 && GATE.test(rest)) {
    rest = rest.replace(ELEMENT, (_element, name: string, body: string) => {
      out.push(LAID_OUT.has(name.toLowerCase()) ? body.replace(TAG, '') : body);
      return ' ';
    });
    const plain = PLAINTEXT.exec(rest);
    if (plain !== null) {
      out.push(plain[1] ?? '');
      rest = rest.slice(0, plain.index);
    }
    CDATA.lastIndex = 0;
    for (let m = CDATA.exec(rest); m !== null; m = CDATA.exec(rest)) out.push(m[1] ?? '');
  }
  return out.join('\n');
}
