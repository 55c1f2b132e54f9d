/**
 * `privet review check FILE...`: checks notebooks (.ipynb) or JSON arrays of nbformat outputs
 * with the core review engine and returns one verdict per output. A file that cannot be read or
 * parsed gets a blocking `malformed` verdict (fail closed), never a silent pass. On the gateway
 * host (`--state`) every output is also looked up in the raw-value index, as export does.
 */
import { readFile } from 'node:fs/promises';
import type { Policy } from '@privet/core';
import { rawValueOutputs, type RawValueLookup } from '../leak/outputs.js';
import { printable } from '../text/control-chars.js';
import {
  checkNotebook,
  checkOutput,
  settingsFromExportRules,
  unreadableResult,
  type Finding,
  type NotebookOutput,
  type ReviewContext,
  type Verdict,
} from '@privet/core/review/index';

/** The verdict of one output of one file. */
export interface FileVerdict {
  file: string;
  /** Cell index in the notebook (-1 for a JSON array of outputs or an unreadable file). */
  cell: number;
  /** Output index within the cell (or within the JSON array). */
  output: number;
  verdict: Verdict;
  findings: Finding[];
}

/** Options for `checkFiles`. */
export interface CheckFilesOptions {
  /** `export` (default: outputs are about to leave) or `display`. */
  mode?: 'display' | 'export';
  /** Extra context (views used, known DP release ids). */
  context?: Omit<ReviewContext, 'policy' | 'mode'>;
  /** The gateway's raw-value lookup: outputs holding a raw identifier value are blocked. */
  rawValueLeak?: RawValueLookup;
  /** Words of the index's longest value (candidate runs are drawn that long; default 4). */
  rawValueMaxWords?: number;
}

/** The finding of an output that holds a raw identifier value (never which one). */
const RAW_VALUE_FINDING: Finding = {
  rule: 'raw-value',
  severity: 'block',
  mime: 'output',
  location: { start: 0, end: 0 },
  message: "a value of a raw identifier column (the gateway's keyed index; which one is not shown)",
};

/** Blocks the verdicts (of one cell's outputs, by output index) that hold a raw value. */
function blockRawValues(
  outputs: readonly unknown[],
  verdicts: readonly FileVerdict[],
  lookup: RawValueLookup | undefined,
  maxWords?: number,
): void {
  if (!lookup) return;
  for (const i of rawValueOutputs(outputs, lookup, () => false, maxWords)) {
    const v = verdicts.find((x) => x.output === i);
    if (!v) continue;
    v.verdict = 'block';
    v.findings = [...v.findings, RAW_VALUE_FINDING];
  }
}

/** Review settings from a policy's export block, or settings given directly. */
function settingsOf(policy: Policy | ReviewContext['policy'] | undefined): ReviewContext['policy'] {
  if (policy === undefined) return undefined;
  if ('export' in policy && typeof policy.export === 'object' && policy.export !== null) {
    return settingsFromExportRules((policy as Policy).export);
  }
  return policy as ReviewContext['policy'];
}

function failure(file: string, message: string): FileVerdict {
  const { verdict, findings } = unreadableResult('file', message);
  return { file, cell: -1, output: -1, verdict, findings };
}

/** Checks every output of every file, in order. */
export async function checkFiles(
  paths: readonly string[],
  policy?: Policy | ReviewContext['policy'],
  options: CheckFilesOptions = {},
): Promise<FileVerdict[]> {
  const context: ReviewContext = {
    ...(options.context ?? {}),
    policy: settingsOf(policy),
    mode: options.mode ?? 'export',
  };
  const out: FileVerdict[] = [];
  for (const file of paths) {
    let doc: unknown;
    try {
      doc = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      const why =
        error instanceof SyntaxError
          ? 'is not valid JSON'
          : `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
      out.push(
        failure(
          file,
          `${file} ${why}. Fix: pass an .ipynb notebook or a JSON array of nbformat outputs`,
        ),
      );
      continue;
    }
    if (Array.isArray(doc)) {
      const verdicts = doc.map((o, i): FileVerdict => {
        const r = checkOutput(o as NotebookOutput, context);
        return { file, cell: -1, output: i, verdict: r.verdict, findings: r.findings };
      });
      blockRawValues(doc, verdicts, options.rawValueLeak, options.rawValueMaxWords);
      out.push(...verdicts);
    } else if (
      typeof doc === 'object' &&
      doc !== null &&
      Array.isArray((doc as { cells?: unknown }).cells)
    ) {
      const cells = (doc as { cells: { outputs?: unknown[] }[] }).cells;
      const nb = checkNotebook({ cells }, context);
      const verdicts = nb.outputs.map((o): FileVerdict => ({
        file,
        cell: o.cell,
        output: o.output,
        verdict: o.result.verdict,
        findings: o.result.findings,
      }));
      cells.forEach((cell, ci) => {
        const outputs = Array.isArray(cell?.outputs) ? cell.outputs : [];
        const own = verdicts.filter((v) => v.cell === ci);
        blockRawValues(outputs, own, options.rawValueLeak, options.rawValueMaxWords);
      });
      out.push(...verdicts);
    } else {
      out.push(
        failure(
          file,
          `${file} is neither a notebook (no "cells") nor a JSON array of outputs. Fix: pass an .ipynb file or an array of nbformat outputs`,
        ),
      );
    }
  }
  return out;
}

/** One line per output that does not pass (`file cell:output verdict rule: message`). */
export function formatFileVerdicts(verdicts: readonly FileVerdict[]): string {
  const lines: string[] = [];
  for (const v of verdicts) {
    if (v.verdict === 'pass') continue;
    const where =
      v.cell >= 0
        ? `cell ${v.cell} output ${v.output}`
        : v.output >= 0
          ? `output ${v.output}`
          : 'file';
    // A notebook's author chose its output names (mime types, stream names): escaped, as are
    // the file name and message, so a notebook cannot write control sequences to the terminal.
    for (const f of v.findings.filter((x) => x.severity !== 'info'))
      lines.push(
        `${printable(v.file)}: ${where}: ${v.verdict}: ${f.rule} (${printable(f.mime)}): ${printable(f.message)}`,
      );
  }
  const passed = verdicts.filter((v) => v.verdict === 'pass').length;
  lines.push(`${passed}/${verdicts.length} outputs pass`);
  return lines.join('\n');
}

/** CLI exit code: 0 only if every output passes. */
export function exitCodeFor(verdicts: readonly FileVerdict[]): number {
  return verdicts.every((v) => v.verdict === 'pass') ? 0 : 1;
}
