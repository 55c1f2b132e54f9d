// Why: a body of a few kilobytes can nest arrays 5,000 deep. Parsing it is fine, but every later
// step that walks it recursively (the output rules, copying it to the output-check worker) then
// runs out of stack: a 500 for a malformed request, and a failed copy used to stop the worker that
// other users' requests were waiting on. Real notebook bodies nest a few dozen levels at most, so
// deeper ones are refused before they are parsed, by a scan of the bytes.
import { HttpError } from './errors.js';

/** Most levels of arrays and objects a JSON request body may nest (notebooks need a few dozen). */
export const MAX_JSON_DEPTH = 256;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/**
 * True when the JSON text in `bytes` (UTF-8) opens more than `max` arrays and objects inside one
 * another; brackets inside strings do not count. Malformed JSON is left to the parser.
 */
export function nestsDeeperThan(bytes: Uint8Array, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) inString = true;
    else if (b === OPEN_ARRAY || b === OPEN_OBJECT) {
      if (++depth > max) return true;
    } else if (b === CLOSE_ARRAY || b === CLOSE_OBJECT) depth--;
  }
  return false;
}

/** The refusal of a body that nests deeper than MAX_JSON_DEPTH. */
export function tooDeep(): HttpError {
  return new HttpError(
    'bad_request',
    `the request body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep`,
    'send outputs and notebooks as Jupyter wrote them; a value nested that deep cannot be checked (flatten it before displaying it)',
  );
}
