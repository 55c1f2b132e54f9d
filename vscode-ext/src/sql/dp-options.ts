/**
 * The `-- privet: key=value` option lines of a DP cell and the bare query sent to the gateway, read
 * one way for the language server and the runner, so a diagnostic and a Run always agree. Why
 * refuse rather than skip: an option that were skipped (`epsilon=` with no value, a misspelt key)
 * would price and spend the query at the default ε, which the user did not choose.
 */
import { DEFAULT_DP_EPSILON } from '@privet/core/client/view-query';

/** Options a cell may set in `-- privet: key=value` comment lines. */
export interface DpOptions {
  epsilon?: string;
  delta?: string;
  accuracy?: string;
}

/** One option the cell gets wrong, by 0-based offsets in the cell text. */
export interface DpOptionProblem {
  start: number;
  end: number;
  /** What is wrong, e.g. `epsilon has no value`. */
  message: string;
  /** How to fix it. */
  fix: string;
}

/** A cell's DP options and what is wrong with them (a Run refuses the cell while any is). */
export interface ParsedDpOptions {
  options: DpOptions;
  problems: DpOptionProblem[];
}

/** Default ε of a DP cell that names none (the same as JupyterLab's DP box starts with). */
export const DEFAULT_EPSILON = DEFAULT_DP_EPSILON;

const EXAMPLES: Record<keyof DpOptions, string> = {
  epsilon: 'epsilon=0.5',
  delta: 'delta=1e-6',
  accuracy: 'accuracy=10',
};

function isOptionKey(key: string): key is keyof DpOptions {
  return Object.hasOwn(EXAMPLES, key);
}

/** Reads every `-- privet: epsilon=0.5 delta=1e-6` line (any case of `privet:` and keys; LF or CRLF). */
export function parseDpOptions(sql: string): ParsedDpOptions {
  const options: DpOptions = {};
  const problems: DpOptionProblem[] = [];
  const spans: Partial<Record<keyof DpOptions, { start: number; end: number }>> = {};
  for (const line of sql.matchAll(/^([ \t]*--[ \t]*privet:)(.*)$/gim)) {
    const base = (line.index ?? 0) + (line[1]?.length ?? 0);
    for (const token of (line[2] ?? '').matchAll(/[^\s,]+/g)) {
      const start = base + (token.index ?? 0);
      const end = start + token[0].length;
      const eq = token[0].indexOf('=');
      const key = (eq < 0 ? token[0] : token[0].slice(0, eq)).toLowerCase();
      const value = eq < 0 ? '' : token[0].slice(eq + 1);
      if (!isOptionKey(key)) {
        problems.push({
          start,
          end,
          message: `"${token[0]}" is not a privet option`,
          fix: 'write epsilon=…, delta=… or accuracy=… (no spaces around "="), e.g. -- privet: epsilon=0.5',
        });
      } else if (value === '') {
        problems.push({
          start,
          end,
          message: `${key} has no value`,
          fix: `write ${EXAMPLES[key]} (no spaces around "="), or remove ${key} to use the default`,
        });
      } else if (options[key] !== undefined && options[key] !== value) {
        problems.push({
          start,
          end,
          message: `${key} is set twice (${options[key]} and ${value})`,
          fix: `keep one ${key}=…`,
        });
      } else {
        options[key] = value;
        spans[key] = { start, end };
      }
    }
  }
  if (spans.epsilon && spans.accuracy) {
    problems.push({
      ...spans.accuracy,
      message: 'both epsilon and accuracy are set',
      fix: 'keep one: epsilon=… sets the cost, accuracy=… the ± error the cost is solved for',
    });
  }
  return { options, problems };
}

/** The one bare SELECT the gateway wants: `--` comment lines and a final `;` dropped. */
export function dpQueryText(sql: string): string {
  return sql
    .split('\n')
    .filter((l) => !/^\s*--/.test(l))
    .join('\n')
    .trim()
    .replace(/;\s*$/, '');
}

/** The options part of a POST /dp/query body: ε (default) or accuracy, and δ when given. */
export function dpBudgetFields(options: DpOptions): {
  epsilon?: string;
  delta?: string;
  accuracy?: string;
} {
  return {
    ...(options.accuracy !== undefined
      ? { accuracy: options.accuracy }
      : { epsilon: options.epsilon ?? DEFAULT_EPSILON }),
    ...(options.delta !== undefined ? { delta: options.delta } : {}),
  };
}
