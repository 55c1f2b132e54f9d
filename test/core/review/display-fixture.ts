/**
 * One-part display outputs for the review tests (drawn-markup, html-shown-attrs,
 * json-text-counts), and the small-cell findings the check makes of them.
 */
import { checkOutput, type Finding, type NotebookOutput } from '@privet/core/review/index';

/** A display output with one MIME part. */
export const display = (mime: string, value: unknown): NotebookOutput => ({
  output_type: 'display_data',
  data: { [mime]: value },
  metadata: {},
});

/** The small-cell findings the check makes of `output`. */
export const smallCellFindings = (output: NotebookOutput): Finding[] =>
  checkOutput(output).findings.filter((f) => f.rule === 'small-cell');
