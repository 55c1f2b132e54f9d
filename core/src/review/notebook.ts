/** `checkNotebook`: checks every output of an nbformat notebook; streams are checked across outputs. */
import { checkOutput, joinText } from './check.js';
import { isMultilineString } from './sink.js';
import { StreamChecker } from './stream.js';
import type { NotebookOutput, ReviewContext, ReviewResult, Verdict } from './types.js';

/** Verdict of one output of a notebook. */
export interface OutputReview {
  /** Index of the cell in `nb.cells`. */
  cell: number;
  /** Index of the output in the cell's `outputs`. */
  output: number;
  result: ReviewResult;
}

/** Verdict of a whole notebook. */
export interface NotebookReview {
  verdict: Verdict;
  outputs: OutputReview[];
}

/** Minimal nbformat notebook shape (cells with optional outputs). */
export interface NotebookLike {
  cells: readonly { cell_type?: string; outputs?: readonly unknown[] }[];
}

/** Checks every output of every cell; consecutive stream writes of a cell share one StreamChecker. */
export function checkNotebook(nb: NotebookLike, context: ReviewContext = {}): NotebookReview {
  const outputs: OutputReview[] = [];
  let verdict: Verdict = 'pass';
  const cells = Array.isArray(nb?.cells) ? nb.cells : [];
  cells.forEach((cell, ci) => {
    const list: readonly unknown[] = Array.isArray(cell.outputs) ? cell.outputs : [];
    const streams = new StreamChecker(context);
    list.forEach((raw, oi) => {
      const out = raw as NotebookOutput;
      let result: ReviewResult;
      if (
        typeof raw === 'object' &&
        raw !== null &&
        out.output_type === 'stream' &&
        isMultilineString(out.text)
      ) {
        result = streams.push(
          joinText(out.text),
          typeof out.name === 'string' ? out.name : 'stdout',
        );
      } else {
        result = checkOutput(out, context);
      }
      outputs.push({ cell: ci, output: oi, result });
      if (result.verdict === 'block' || (result.verdict === 'flag' && verdict === 'pass'))
        verdict = result.verdict;
    });
  });
  return { verdict, outputs };
}
