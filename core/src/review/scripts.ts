// Why: JupyterLab runs the scripts of trusted output (every output of the running session is
// trusted) and VS Code's renderers run application/javascript. A script can draw anything — text
// it assembles while it runs (atob, String.fromCharCode, a fetch) that no reading of the markup
// sees — so an output that can run code is held for a reviewer rather than read as its text.
import { decodeHTMLAttribute } from 'entities';

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

/** Elements that run code, or load a document or plugin that can. */
const RUNNING_ELEMENT = /^<(?:script|iframe|frame|object|embed|applet)\b/i;
/** An event-handler attribute (onload=, onerror=, onbegin= …) inside one tag. */
const HANDLER = /[\s"'/]on[a-z]+\s*=/i;
/** A URL that runs code when followed or loaded. */
const SCRIPT_URL = /(?:java|vb)script\s*:/i;
/** Characters a browser ignores inside a URL scheme ("jav\tascript:"). */
// eslint-disable-next-line no-control-regex -- C0 controls are exactly what browsers strip there
const IGNORED_IN_SCHEME = /[\u0000-\u0020]/g;

/**
 * True when HTML, SVG or Markdown markup can run code when drawn as trusted output: a script,
 * frame, object or embed element, an event-handler attribute, or a javascript: URL (also spelt
 * with character references). Each tag is read once, so the scan is linear in the text.
 */
export function markupRunsCode(text: string): boolean {
  let at = text.indexOf('<');
  while (at >= 0 && at < text.length) {
    const next = text.charCodeAt(at + 1);
    const isTag = (next >= 65 && next <= 90) || (next >= 97 && next <= 122);
    if (!isTag) {
      at = text.indexOf('<', at + 1);
      continue;
    }
    const end = text.indexOf('>', at);
    const stop = end < 0 ? text.length : end;
    const tag = text.slice(at, stop);
    if (RUNNING_ELEMENT.test(tag) || HANDLER.test(tag)) return true;
    const decoded = tag.indexOf('&') >= 0 ? decodeHTMLAttribute(tag) : tag;
    if (SCRIPT_URL.test(decoded.replace(IGNORED_IN_SCHEME, ''))) return true;
    if (end < 0) return false;
    at = text.indexOf('<', end);
  }
  return false;
}
