/**
 * Why: a stderr write between two stdout writes makes VS Code start a new stdout output, so a
 * table printed row by row with progress on stderr arrives as one-row outputs that each pass a
 * check alone. Every output of a cell is therefore checked with the earlier parts of its stream
 * in the cell as context (core's `streamContextBefore`); a part Privet already withheld counts
 * as the original it holds, not as its placeholder.
 */
import type * as vscode from 'vscode';
import { streamContextBefore, type NotebookOutput } from '@privet/core';
import { fromCellOutput } from './convert.js';
import type { HeldOutputs } from './held.js';

/** An output of a cell as the gate reads it, with the stream text it continues ('' if none). */
export interface OutputReading {
  /** The output as in the document (a placeholder stays a placeholder). */
  output: NotebookOutput;
  /** The earlier parts of its stream in the cell ('' for other outputs or the first part). */
  streamContext: string;
  /**
   * Where it is shown (the cell's document and the output's position): a later reading of the same
   * slot replaces it, so a raw-value question about this one not yet sent is dropped.
   */
  slot?: string;
}

/** Every output of `cell` with its stream context (a held part read as its original). */
export function cellReadings(cell: vscode.NotebookCell, held: HeldOutputs): OutputReading[] {
  const outputs = cell.outputs.map((o) => fromCellOutput(o));
  const originals = outputs.map((o) =>
    o.output_type === 'stream' || !held.isPlaceholder(o) ? o : (held.originalOf(o)?.output ?? o),
  );
  return outputs.map((output, i) => ({
    output,
    streamContext:
      output.output_type === 'stream' ? streamContextBefore(originals, i, output.name) : '',
    slot: `${cell.document.uri.toString()}#${i}`,
  }));
}
