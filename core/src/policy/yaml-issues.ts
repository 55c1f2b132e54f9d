/**
 * YAML syntax errors (and several documents in one file) as PolicyIssues with file:line:column,
 * the nearest key path and a fix. What parses but could be misread (aliases, tags, merge keys,
 * repeated or non-text keys) is checked in yaml-strict.ts.
 */
import type { Document, LineCounter, YAMLError } from 'yaml';
import type { PolicyIssue } from './errors.js';
import { pathAtOffset } from './positions.js';

const FIXES: Readonly<Record<string, string>> = {
  MULTIPLE_DOCS:
    'a policy file holds one YAML document: remove the "---" line and what follows, or move it to its own file',
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  BAD_INDENT: 'align this key with its siblings (same number of spaces)',
  MISSING_CHAR: 'add the missing closing quote or bracket',
  BLOCK_AS_IMPLICIT_KEY: 'put a colon and a space after the key, and quote values containing ": "',
  MULTILINE_IMPLICIT_KEY: 'put the key and its colon on one line',
  RESOURCE_EXHAUSTION:
    'a policy needs only a few levels (e.g. views → name → columns → column → op): remove the extra nesting',
};

/** Codes whose fix is unambiguous; for the others the offending line says more than the code. */
const CODE_ONLY = new Set([
  'MULTIPLE_DOCS',
  'TAB_AS_INDENT',
  'MISSING_CHAR',
  'RESOURCE_EXHAUSTION',
]);

const KEY = String.raw`[A-Za-z_][\w.-]*`;

/**
 * The line with quoted text blanked (same length, so columns still match) and without a trailing
 * comment: brackets and colons in them do not count.
 */
function structural(line: string): string {
  return line
    .replace(/'(?:[^']|'')*'|"(?:[^"\\]|\\.)*"/g, (q) => q[0]! + '_'.repeat(q.length - 2) + q[0]!)
    .replace(/(^|\s)#.*$/, '$1')
    .trimEnd();
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** The nearest line before (step -1) or after (step 1) `index` with content, as its index. */
function neighbour(lines: readonly string[], index: number, step: 1 | -1): number | undefined {
  for (let i = index + step; i >= 0 && i < lines.length; i += step) {
    if (structural(lines[i]!).trim() !== '') return i;
  }
  return undefined;
}

/** A better fix (and, for a mis-indented next line, a better position) read from the source lines. */
interface LineHint {
  fix: string;
  /** 0-based line and column to report instead of the parser's. */
  at?: { line: number; column: number };
  /** Key path to report instead (the parser's path ends inside the misread lines). */
  path?: (string | number)[];
}

/**
 * Reads the offending line (0-based `index`) of `lines` for what the parser's error code alone
 * cannot tell: an unclosed bracket, a list item out of line, `key:value` without a space, a key
 * without a colon, a value holding ": ", or a key line indented more or less than its siblings.
 */
export function hintFromLines(
  lines: readonly string[],
  index: number,
  path: readonly (string | number)[],
): LineHint | undefined {
  const raw = lines[index];
  if (raw === undefined) return undefined;
  const code = structural(raw);
  const body = code.trimStart();
  const count = (ch: string) => code.split(ch).length - 1;
  if (count('[') !== count(']') || count('{') !== count('}')) {
    return {
      fix: 'close each "[" with "]" and each "{" with "}" on this line, in the order they were opened',
    };
  }
  if (/^-(\s|$)/.test(body)) {
    return {
      fix: 'line up the "-" of this list item with the other items of the same list (same number of spaces)',
    };
  }
  const noSpace = new RegExp(`^(${KEY}):[^\\s:/]`).exec(body);
  if (noSpace) return { fix: `put a space after the colon: "${noSpace[1]}: …"` };
  const noColon = new RegExp(`^(${KEY})\\s+[^\\s:]`).exec(body);
  if (noColon && !body.includes(':')) {
    return { fix: `put a colon and a space after the key: "${noColon[1]}: …"` };
  }
  const keyValue = new RegExp(`^(${KEY}):\\s+(.*)$`).exec(body);
  if (!keyValue) return undefined;
  const key = keyValue[1]!;
  const value = keyValue[2]!;
  if (/^[^'"[{].*:\s/.test(value)) {
    // The parser took the text before the second colon for a key: the path ends at `key`.
    const at = path.lastIndexOf(key);
    return {
      fix: `quote the value of "${key}": it contains ": " (e.g. ${key}: "…")`,
      ...(at >= 0 ? { path: path.slice(0, at + 1) } : {}),
    };
  }
  // `key: value` followed by a more indented `other:` line: YAML reads both lines as one value
  // followed by a colon. Which line is out of line depends on the line before.
  const next = neighbour(lines, index, 1);
  const nextBody = next === undefined ? '' : structural(lines[next]!).trimStart();
  const nextKey = new RegExp(`^(${KEY}):(\\s|$)`).exec(nextBody);
  if (next === undefined || !nextKey || indentOf(lines[next]!) <= indentOf(raw)) return undefined;
  const before = neighbour(lines, index, -1);
  const prev = before === undefined ? undefined : structural(lines[before]!);
  const aligned =
    prev === undefined ||
    indentOf(prev) === indentOf(raw) ||
    (indentOf(prev) < indentOf(raw) && prev.endsWith(':'));
  // The parser's path ends with this key, then the misread value (text, never a key).
  const clean = trimMisread(path);
  if (aligned) {
    const parent = clean.at(-1) === key ? clean.slice(0, -1) : clean;
    return {
      fix: `"${nextKey[1]}:" is indented more than "${key}:" on the line above: align it with its siblings (same number of spaces)`,
      at: { line: next, column: indentOf(lines[next]!) },
      path: [...parent, nextKey[1]!],
    };
  }
  return {
    fix: `"${key}:" is indented differently from the lines around it: align it with its siblings (same number of spaces)`,
    at: { line: index, column: indentOf(raw) },
    path: clean,
  };
}

/** The parser's message when a `{` or `[` was left open on an earlier line (it points past it). */
const UNCLOSED_FLOW =
  /^Flow (map|sequence) in block collection must be sufficiently indented and end with a/;

/** Column (0-based) of the last "[" or "{" left open on `code`, if more are opened than closed. */
function unclosedColumn(code: string): number | undefined {
  const open: number[] = [];
  for (let i = 0; i < code.length; i++) {
    const ch = code[i];
    if (ch === '[' || ch === '{') open.push(i);
    else if ((ch === ']' || ch === '}') && open.length > 0) open.pop();
  }
  return open.at(-1);
}

/**
 * For the parser's "must … end with a }" error, which it reports on the line after the one that
 * left the bracket open: the nearest earlier line with an unclosed "{" or "[", and where.
 */
function unclosedFlowLine(
  lines: readonly string[],
  index: number,
): { line: number; column: number } | undefined {
  for (let i = Math.min(index, lines.length) - 1; i >= 0; i--) {
    const code = structural(lines[i]!);
    const column = unclosedColumn(code);
    if (column === undefined) continue;
    return { line: i, column };
  }
  return undefined;
}

/** Drops the path segments the parser made of misread lines (a "key" holding spaces or colons). */
function trimMisread(path: readonly (string | number)[]): (string | number)[] {
  const bad = path.findIndex((p) => typeof p === 'string' && /[\s:]/.test(p));
  return bad < 0 ? [...path] : path.slice(0, bad);
}

/**
 * Converts the YAML parser's errors of `doc` into issues; with the `source` text, fixes for
 * ambiguous codes are read from the offending line.
 */
export function yamlErrorIssues(
  doc: Document,
  errors: readonly YAMLError[],
  lineCounter: LineCounter,
  file: string,
  source?: string,
): PolicyIssue[] {
  // After the first syntax error the parser's recovery produces follow-on errors that mislead:
  // report that first one only.
  const [e] = errors;
  if (!e) return [];
  const { line, col } = lineCounter.linePos(e.pos[0]);
  const position = { file, line, column: col };
  if (e.code === 'RESOURCE_EXHAUSTION') {
    // The parser ran out of stack: the path would be as deep as the nesting, so name its start.
    return [
      {
        path: pathAtOffset(doc, e.pos[0]).slice(0, 3).join('.'),
        message: 'the policy is nested too deeply to read',
        fix: FIXES[e.code]!,
        position,
      },
    ];
  }
  const path = e.code === 'MULTIPLE_DOCS' ? [] : pathAtOffset(doc, e.pos[0]);
  const message =
    e.code === 'MULTIPLE_DOCS'
      ? 'YAML syntax error: the file holds more than one YAML document'
      : `YAML syntax error: ${e.message.split('\n')[0]}`;
  const lines = source?.split(/\r?\n/);
  const unclosed =
    lines && UNCLOSED_FLOW.test(e.message) ? unclosedFlowLine(lines, line - 1) : undefined;
  if (unclosed) {
    const closer = lines![unclosed.line]![unclosed.column] === '{' ? '}' : ']';
    const at = (lineCounter.lineStarts[unclosed.line] ?? 0) + unclosed.column;
    return [
      {
        path: trimMisread(pathAtOffset(doc, at)).join('.'),
        message: `YAML syntax error: the "${lines![unclosed.line]![unclosed.column]}" opened on this line is never closed`,
        fix: `add "${closer}" at the end of its value on this line (or after its last item, if it spans several lines)`,
        position: { file, line: unclosed.line + 1, column: unclosed.column + 1 },
      },
    ];
  }
  const hint = lines && !CODE_ONLY.has(e.code) ? hintFromLines(lines, line - 1, path) : undefined;
  return [
    {
      path: (hint?.path ?? trimMisread(path)).join('.'),
      message,
      fix:
        hint?.fix ??
        FIXES[e.code] ??
        'check indentation, colons, brackets and quotes on this line and the one before',
      position: hint?.at ? { file, line: hint.at.line + 1, column: hint.at.column + 1 } : position,
    },
  ];
}
