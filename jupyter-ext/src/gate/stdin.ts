/**
 * Why: `input(prompt)` makes the kernel send its prompt text in an input request, which the output
 * area draws straight into the page (and echoes into the output when answered), outside every
 * renderer — so `input(f"Email {row.email}?")` would show the address. The notebook's and the
 * console's content factories build that stdin widget: they check the prompt as kernel text first
 * and, when the check holds it, show which rules held it instead (never the text).
 */
import type { Cell } from '@jupyterlab/cells';
import { holdingRules } from '@privet/core/review/index';
import type { OutputGate } from './gate.js';

/** What the output area passes to a content factory's `createStdin`. */
export type StdinOptions = Parameters<Cell.ContentFactory['createStdin']>[0];
/** The stdin widget a content factory returns. */
export type StdinWidget = ReturnType<Cell.ContentFactory['createStdin']>;

/** `create(options)` with the prompt replaced by a held notice when the review check holds it. */
export function gatedStdin(
  gate: OutputGate,
  options: StdinOptions,
  create: (options: StdinOptions) => StdinWidget,
): StdinWidget {
  const result = gate.checkOnce({ output_type: 'stream', name: 'stdout', text: options.prompt });
  if (result.verdict === 'pass') return create(options);
  const rules = holdingRules(result.findings).join(', ');
  return create({ ...options, prompt: `[input prompt held by Privet review: rules ${rules}] ` });
}
