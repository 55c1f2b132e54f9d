// Why: free text that people submit (experiment titles and purposes, review justifications,
// comments, decision notes) reaches other people's screens, among them a steward's terminal
// (`privet experiment list`). There, a raw ESC, CR or OSC sequence could erase and forge lines or
// set the clipboard (OSC 52), and a bidirectional override could make a title read otherwise.
// Such characters are refused where the text is submitted, and escaped where a CLI prints text,
// so that records stored before the refusal cannot attack a terminal either.

/** How a free text may be laid out: one line, a title (one line, no bidi controls), or lines. */
export type TextShape = 'line' | 'title' | 'lines';

/** A refused character: its code point as `U+001B` and its 1-based position in the text. */
export interface RefusedCharacter {
  codePoint: string;
  position: number;
  kind: 'control' | 'bidi';
}

/** What a refusal says: what happened and how to fix it (never the text itself). */
export interface TextRefusal {
  message: string;
  fix: string;
}

/** C0 controls, DEL and C1 controls (U+0000–U+001F, U+007F–U+009F). */
function isControl(cp: number): boolean {
  return cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f);
}

/** Bidirectional embeddings, overrides (U+202A–U+202E) and isolates (U+2066–U+2069). */
function isBidiControl(cp: number): boolean {
  return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/** Line and paragraph separators (U+2028, U+2029): some terminals and viewers break lines on them. */
function isSeparator(cp: number): boolean {
  return cp === 0x2028 || cp === 0x2029;
}

function codePointName(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The first character of `text` its shape refuses, or undefined: any control character, except
 * line feeds, tabs and CR LF line ends in `lines`; in a `title` also bidirectional controls.
 */
export function refusedCharacter(text: string, shape: TextShape): RefusedCharacter | undefined {
  const chars = [...text];
  for (const [i, ch] of chars.entries()) {
    const position = i + 1;
    const cp = ch.codePointAt(0)!;
    const allowed =
      shape === 'lines' && (cp === 0x0a || cp === 0x09 || (cp === 0x0d && chars[i + 1] === '\n'));
    if (isControl(cp) && !allowed)
      return { codePoint: codePointName(cp), position, kind: 'control' };
    if (shape === 'title' && isBidiControl(cp))
      return { codePoint: codePointName(cp), position, kind: 'bidi' };
  }
  return undefined;
}

/**
 * The refusal for `field` (as the request names it, e.g. `"title"` or `"analyses" item 2`) when
 * `text` holds a character its shape refuses; undefined when the text is clean.
 */
export function textRefusal(
  field: string,
  text: string,
  shape: TextShape,
): TextRefusal | undefined {
  const found = refusedCharacter(text, shape);
  if (!found) return undefined;
  const at = `${found.codePoint}, character ${found.position}`;
  if (found.kind === 'bidi')
    return {
      message: `${field} holds a bidirectional-text control (${at}), which could reorder how it is shown`,
      fix: `remove the bidirectional override and isolate characters (U+202A–U+202E, U+2066–U+2069) from ${field} and send it again`,
    };
  return {
    message: `${field} holds a control character (${at}), which could rewrite what a terminal shows`,
    fix:
      shape === 'lines'
        ? `remove control characters such as escape sequences and carriage returns from ${field} (line breaks and tabs are fine) and send it again`
        : `remove control characters such as escape sequences, line breaks and tabs from ${field} (it is one line) and send it again`,
  };
}

/**
 * `text` safe to print in a terminal: each control character, line or paragraph separator and
 * bidirectional control is shown as an escape such as `\u{1b}`; everything else is kept.
 */
export function printable(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    out += isControl(cp) || isSeparator(cp) || isBidiControl(cp) ? `\\u{${cp.toString(16)}}` : ch;
  }
  return out;
}

/**
 * `value` as JSON safe to print in a terminal. JSON.stringify escapes C0 controls inside strings
 * (any left are its own indentation); this also escapes DEL, C1 controls, line and paragraph
 * separators and bidi controls as `\u0085`-style escapes, so the JSON stays valid and equal.
 */
export function printableJson(value: unknown, indent?: number): string {
  let out = '';
  for (const ch of JSON.stringify(value, null, indent)) {
    const cp = ch.codePointAt(0)!;
    out +=
      cp >= 0x7f && (isControl(cp) || isSeparator(cp) || isBidiControl(cp))
        ? `\\u${cp.toString(16).padStart(4, '0')}`
        : ch;
  }
  return out;
}
