// Why: JupyterLab runs the scripts of trusted output (every output of the running session is
// trusted) and VS Code's renderers run application/javascript. A script can draw anything — text
// it assembles while it runs (atob, String.fromCharCode, a fetch) that no reading of the markup
// sees — so an output that can run code is held for a reviewer rather than read as its text.
import { decodeHTMLAttribute } from 'entities';
import { isAlpha } from './scan-util.js';

/** MIME types whose content is code the renderer runs. */
const SCRIPT_MIMES: ReadonlySet<string> = new Set([
  'application/javascript',
  'application/x-javascript',
  'application/ecmascript',
  'text/javascript',
  'text/ecmascript',
]);

/** True for a MIME type (lower-cased, no parameters) whose content is run as code. */
export function isScriptMime(mime: string): boolean {
  return SCRIPT_MIMES.has(mime);
}

/** Elements that run code, or load a document or plugin that can (a '<' and a letter: a tag). */
const RUNNING_ELEMENT = /<(?:script|iframe|frame|object|embed|applet)\b/i;
/** An event-handler attribute (onload=, onerror=, onbegin= …), wherever it stands. */
const HANDLER = /[\s"'/]on[a-z]+\s*=/gi;
/** Characters a browser drops from a URL scheme, between any two of its letters. */
const GAP = '[\\u0000-\\u0020]*';
/**
 * A URL that runs code when followed or loaded, wherever it stands, also with characters a browser
 * ignores inside the scheme ("jav\tascript:", a newline in an attribute).
 */
const SCRIPT_URL = new RegExp(
  `(?:${[...'java'].join(GAP)}|v${GAP}b)${GAP}${[...'script'].join(GAP)}${GAP}:`,
  'gi',
);
/** The same, for one tag's text after its character references are decoded. */
const SCRIPT_URL_IN_TAG = new RegExp(SCRIPT_URL.source, 'i');

/** The tag `text[at]` stands in (from its '<' to its '>' or the end), or undefined outside tags. */
function tagAround(text: string, at: number): [number, number] | undefined {
  const open = text.lastIndexOf('<', at);
  if (open < 0 || text.lastIndexOf('>', at - 1) > open) return undefined;
  const next = text.charCodeAt(open + 1);
  if (!isAlpha(next)) return undefined;
  const close = text.indexOf('>', at);
  return [open, close < 0 ? text.length : close];
}

/** True when a match of global `re` in `text` stands inside a tag. */
function inSomeTag(text: string, re: RegExp): boolean {
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) if (tagAround(text, m.index)) return true;
  return false;
}

/**
 * True when HTML, SVG or Markdown markup can run code when drawn as trusted output: a script,
 * frame, object or embed element, an event-handler attribute, or a javascript: URL (also spelt
 * with character references or with characters a browser ignores in a scheme). Whole-text
 * searches find the candidates, and only those are placed in their tag: ordinary tables, whose
 * tags hold none, cost a few linear scans.
 */
export function markupRunsCode(text: string): boolean {
  if (text.indexOf('<') < 0) return false;
  // Every HANDLER match holds an '=' and every SCRIPT_URL match a ':' (a native search each).
  if (
    RUNNING_ELEMENT.test(text) ||
    (text.indexOf('=') >= 0 && inSomeTag(text, HANDLER)) ||
    (text.indexOf(':') >= 0 && inSomeTag(text, SCRIPT_URL))
  )
    return true;
  // A scheme spelt with character references ("jav&#x61;script:"): read each tag holding a '&'
  // as the browser decodes it.
  for (let at = text.indexOf('&'); at >= 0;) {
    const tag = tagAround(text, at);
    if (tag && SCRIPT_URL_IN_TAG.test(decodeHTMLAttribute(text.slice(tag[0], tag[1])))) return true;
    at = text.indexOf('&', tag ? tag[1] : at + 1);
  }
  return false;
}
