/**
 * What the policy checker (core's parsePolicy, the same as `privet policy check`) finds in a policy
 * file, as editor problems: every error with its fix, and the notes about a valid policy. Pure (no
 * VS Code API), so it is tested without an editor.
 */
import { PolicyError, parsePolicy } from '@privet/core';
import { policyNotes } from '@privet/core/policy/notes';

/** File names the extension checks (also the policy JSON Schema's fileMatch in package.json). */
export const POLICY_FILE_NAMES: readonly RegExp[] = [
  /(^|[\\/])policy\.yaml$/,
  /\.policy\.yaml$/,
  /(^|[\\/])privet-policy\.yaml$/,
];

/** True for a file the extension checks as a Privet policy. */
export function isPolicyFile(fileName: string): boolean {
  return POLICY_FILE_NAMES.some((pattern) => pattern.test(fileName));
}

/** One problem, by 0-based line and columns of the text. */
export interface PolicyProblem {
  line: number;
  start: number;
  end: number;
  severity: 'error' | 'information';
  /** The key's dotted path, e.g. `budgets.0.max_query_epsilon` (empty for the whole file). */
  path: string;
  /** What is wrong and how to fix it (errors), or what the note says. */
  message: string;
}

/** Problems of policy `text` read from `file` (its name is used in messages only). */
export function policyProblems(text: string, file: string): PolicyProblem[] {
  const lines = text.split('\n');
  const at = (line: number, column: number) => spanAt(lines, line - 1, column - 1);
  try {
    const policy = parsePolicy(text, file);
    return policyNotes(policy, text, file).map((note) => ({
      ...at(note.position.line, note.position.column),
      severity: 'information',
      path: note.path,
      message: `${note.message}.`,
    }));
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    return error.issues.map((issue) => ({
      ...at(issue.position.line, issue.position.column),
      severity: 'error',
      path: issue.path,
      message: `${issue.message}. Fix: ${issue.fix}`,
    }));
  }
}

/** The word (a key or value) at a 0-based position, or the rest of its line; clamped to the text. */
function spanAt(
  lines: readonly string[],
  line: number,
  column: number,
): { line: number; start: number; end: number } {
  const l = Math.min(Math.max(line, 0), Math.max(lines.length - 1, 0));
  const text = (lines[l] ?? '').replace(/\r$/, '');
  const start = Math.min(Math.max(column, 0), text.length);
  const word = /^[^\s,{}[\]]+/.exec(text.slice(start))?.[0] ?? '';
  return { line: l, start, end: start + (word.length > 0 ? word.length : text.length - start) };
}
