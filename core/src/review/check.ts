/**
 * `checkOutput`: normalizes each MIME part of one nbformat output once, runs every rule on it,
 * and folds the findings into a verdict (block > flag > pass; `info` findings never hold an
 * output). Rule severities can be overridden or switched off per rule in the settings.
 */
import { forgetLabels } from './labels.js';
import { takeDrawnOrder } from './normalize.js';
import { checkMetadata, checkMisshapenText, checkPart, checkText } from './parts.js';
import { checkPlotText, forgetPlotText } from './plot-text-check.js';
import { FindingSink, isMultilineString, joinText, PREVIEW_LIMIT } from './sink.js';
import { contributionHits } from './table-rules.js';
import {
  resolveSettings,
  type Finding,
  type RuleId,
  type NotebookOutput,
  type ReviewContext,
  type ReviewResult,
} from './types.js';

export { FindingSink, identifierSpans, joinText, redact } from './sink.js';

/**
 * The result for content the engine could not read (a thrown check, undecodable bytes): blocked,
 * never shown, with one `malformed` finding saying so — callers fail closed through this.
 */
export function unreadableResult(
  mime = 'output',
  message = 'the review engine could not read this output',
): ReviewResult {
  return {
    verdict: 'block',
    findings: [
      { rule: 'malformed', severity: 'block', mime, location: { start: 0, end: 0 }, message },
    ],
    redactedPreview: '',
  };
}

/** Distinct ids of the rules whose findings hold an output back (`info` never does), sorted. */
export function holdingRules(findings: readonly Pick<Finding, 'rule' | 'severity'>[]): RuleId[] {
  return [...new Set(findings.filter((f) => f.severity !== 'info').map((f) => f.rule))].sort();
}

/**
 * Runs `check` on part `mime` and holds the part with a `drawn-order` finding when what it read is
 * drawn in another order than stored (the rules read the stored order).
 */
function checkDrawnOrder(sink: FindingSink, mime: string, check: () => void): void {
  takeDrawnOrder(); // a note left by text read outside a check is not this part's
  check();
  const why = takeDrawnOrder();
  if (why !== undefined) sink.add('drawn-order', mime, { start: 0, end: 0 }, why);
}

/** Checks one nbformat output against every rule; nothing read from it stays cached after. */
export function checkOutput(output: NotebookOutput, context: ReviewContext = {}): ReviewResult {
  try {
    return checkOnce(output, context);
  } finally {
    forgetLabels();
    forgetPlotText();
  }
}

/** `checkOutput`'s work, with the label caches filling as it reads. */
function checkOnce(output: NotebookOutput, context: ReviewContext): ReviewResult {
  const sink = new FindingSink(resolveSettings(context.policy));
  const o = output as unknown as Record<string, unknown>;
  switch (o.output_type) {
    case 'stream': {
      const mime = `stream/${typeof o.name === 'string' ? o.name : 'stdout'}`;
      checkDrawnOrder(sink, mime, () => {
        if (isMultilineString(o.text)) checkText(sink, mime, joinText(o.text), context, 'plain');
        else checkMisshapenText(sink, mime, o.text, context);
      });
      break;
    }
    case 'error': {
      // A renderer draws the name, value and every traceback item as text: anything but strings
      // there (a nested list, an object) would be drawn unchecked.
      const traceback = o.traceback ?? [];
      const notText = [
        Array.isArray(traceback) && isMultilineString(traceback) ? undefined : traceback,
        o.ename === undefined || typeof o.ename === 'string' ? undefined : o.ename,
        o.evalue === undefined || typeof o.evalue === 'string' ? undefined : o.evalue,
      ].filter((v) => v !== undefined);
      const tb = Array.isArray(traceback)
        ? traceback.filter((x) => typeof x === 'string').join('\n')
        : '';
      checkDrawnOrder(sink, 'error', () => {
        for (const v of notText) checkMisshapenText(sink, 'error', v, context);
        checkText(
          sink,
          'error',
          `${String(o.ename ?? '')}: ${String(o.evalue ?? '')}\n${tb}`,
          context,
          'plain',
        );
      });
      break;
    }
    case 'display_data':
    case 'execute_result':
    case 'update_display_data': {
      const data = o.data;
      if (typeof data !== 'object' || data === null) {
        sink.add(
          'malformed',
          'output',
          { start: 0, end: 0 },
          'a display output without a MIME bundle',
        );
        break;
      }
      for (const [mime, value] of Object.entries(data)) {
        // A key JSON.parse keeps but an object literal drops or inherits: never a MIME type.
        if (mime === '__proto__' || mime === 'constructor')
          sink.add(
            'malformed',
            mime,
            { start: 0, end: 0 },
            `a MIME bundle key "${mime}", which is not a MIME type: some readers drop it, others draw it`,
            'block',
          );
        // The text plotly figures in the part draw is read once the part is (plot-text-check.ts).
        checkDrawnOrder(sink, mime, () =>
          checkPlotText(sink, mime, () => checkPart(sink, mime, value, context)),
        );
      }
      checkMetadata(sink, o.metadata);
      break;
    }
    default:
      sink.add(
        'malformed',
        'output',
        { start: 0, end: 0 },
        'an output of unknown type; only stream, display_data, execute_result and error can be checked',
      );
  }
  if (context.contributions !== undefined) {
    for (const h of contributionHits(context.contributions, sink.settings))
      sink.add(h.rule, 'context', { row: h.row, column: h.column }, h.message);
  }
  return {
    verdict: sink.verdict(),
    findings: sink.findings,
    redactedPreview: sink.preview.join('\n').slice(0, PREVIEW_LIMIT),
  };
}
