/**
 * TeX as it is drawn: LaTeX outputs and math in Markdown are typeset (MathJax in JupyterLab, KaTeX
 * in VS Code), so `\text{jane.roe}@\text{example.org}` or `\texttt{jane}.\texttt{roe}@example.org`
 * shows a plain address. The check reads the text the reader sees: text and font commands are
 * unwrapped, spacing commands become spaces, escaped specials become the character, braces and
 * math delimiters vanish. Only for scanning; held content is never rewritten.
 */

/** Commands whose argument is shown as text (text, font and box commands). */
const TEXT_COMMAND =
  /\\(?:text(?:rm|tt|sf|bf|it|up|sl|sc|normal)?|math(?:rm|tt|sf|bf|it|normal)|operatorname|emph|mbox|hbox|fbox|boxed|url|nolinkurl|textsuperscript|textsubscript)\*?\s*\{/g;
/** `\verb|…|` and `\verb+…+`: the delimited text is shown as is. */
const VERB = /\\verb\*?([^A-Za-z\s])(.*?)\1/g;
/** Spacing commands (thin, medium, thick, quad, control space) and `~`: a space on screen. */
const SPACE_COMMAND = /\\(?:[,:; ]|quad|qquad|enspace|thinspace|medspace|thickspace)|~/g;
/** Negative thin space `\!`: nothing on screen. */
const NEGATIVE_SPACE = /\\!/g;
/** Escaped specials drawn as the character itself. */
const ESCAPED_SPECIAL = /\\([_&%#${}])/g;
/** Math delimiters: `$`, `$$`, `\(`, `\)`, `\[`, `\]`. */
const MATH_DELIMITER = /\$+|\\[()[\]]/g;
/** Grouping braces (escaped ones were turned into placeholders first). */
const BRACE = /[{}]/g;

/** Private-use placeholders for escaped braces while grouping braces are removed. */
const OPEN = '\uE000';
const CLOSE = '\uE001';

/** True when `text` may hold TeX that draws differently from its source. */
export function mayHoldTex(text: string): boolean {
  return text.indexOf('\\') >= 0 || text.indexOf('$') >= 0 || text.indexOf('{') >= 0;
}

/** The text a reader sees once TeX in `text` is typeset (for scanning only). */
export function texToText(text: string): string {
  if (!mayHoldTex(text)) return text;
  return text
    .replace(VERB, '$2')
    .replace(TEXT_COMMAND, '')
    .replace(NEGATIVE_SPACE, '')
    .replace(SPACE_COMMAND, ' ')
    .replace(ESCAPED_SPECIAL, (_m, c: string) => (c === '{' ? OPEN : c === '}' ? CLOSE : c))
    .replace(MATH_DELIMITER, '')
    .replace(BRACE, '')
    .replaceAll(OPEN, '{')
    .replaceAll(CLOSE, '}');
}
