/**
 * nbformat outputs from VS Code output items, without the `vscode` module: the extension host's
 * conversion and the gate renderer (which runs in the output webview) decode items the same way,
 * so both check exactly what VS Code would draw. The checks themselves are the host's
 * (notebook/drawn-check.ts, with the signed-in gateway's policy rules) and the renderer's
 * (renderer/gate-decision.ts, which asks the host about every item it can).
 */
import type { NotebookOutput } from '@privet/core/review/index';

/** VS Code's MIME types of stdout items (current and legacy names). */
export const STDOUT_MIMES: ReadonlySet<string> = new Set([
  'application/vnd.code.notebook.stdout',
  'application/x.notebook.stdout',
  'application/x.notebook.stream',
]);

/** VS Code's MIME types of stderr items (current and legacy names). */
export const STDERR_MIMES: ReadonlySet<string> = new Set([
  'application/vnd.code.notebook.stderr',
  'application/x.notebook.stderr',
]);

/** VS Code's MIME type of an error item (JSON: name, message, stack). */
export const ERROR_MIME = 'application/vnd.code.notebook.error';

/** The stream or error output one item stands for, or undefined for a display item. */
export function streamOrErrorOutput(mime: string, text: string): NotebookOutput | undefined {
  if (STDOUT_MIMES.has(mime)) return { output_type: 'stream', name: 'stdout', text };
  if (STDERR_MIMES.has(mime)) return { output_type: 'stream', name: 'stderr', text };
  if (mime !== ERROR_MIME) return undefined;
  try {
    const parsed = JSON.parse(text) as { name?: unknown; message?: unknown; stack?: unknown };
    return {
      output_type: 'error',
      ename: typeof parsed.name === 'string' ? parsed.name : 'Error',
      evalue: typeof parsed.message === 'string' ? parsed.message : '',
      traceback: typeof parsed.stack === 'string' ? [parsed.stack] : [],
    };
  } catch {
    // Not the JSON VS Code writes: review the raw text as the error's message.
    return { output_type: 'error', ename: 'Error', evalue: text, traceback: [] };
  }
}

/** A display item's value as the review engine reads it: JSON types parsed when valid. */
export function displayValue(mime: string, text: string): unknown {
  if (mime.endsWith('json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // Not valid JSON: review it as text.
    }
  }
  return text;
}

/**
 * Key of a LaTeX part read again as Markdown. Core reads a part by the type before any `;`, so
 * this is checked as Markdown, and its findings name where the text came from.
 */
export const LATEX_AS_MARKDOWN = 'text/markdown; drawn-from=text/latex';

/**
 * An output as the review engine should read it before VS Code draws it. VS Code's Markdown
 * renderer draws LaTeX output as Markdown source (escapes such as `\.` vanish, inline HTML is
 * parsed, math goes to KaTeX), which core's LaTeX reading does not model, so a LaTeX part is also
 * read as Markdown. Only for the check: the original (held for review, hashed for approvals)
 * stays as it is.
 */
export function asDrawn(output: NotebookOutput): NotebookOutput {
  if (output.output_type === 'stream' || output.output_type === 'error') return output;
  const latex = output.data['text/latex'];
  if (latex === undefined) return output;
  return { ...output, data: { ...output.data, [LATEX_AS_MARKDOWN]: latex } };
}

/** The nbformat output of a single item: what one renderer call draws. */
export function outputOfItem(mime: string, text: string): NotebookOutput {
  return (
    streamOrErrorOutput(mime, text) ?? {
      output_type: 'display_data',
      data: { [mime]: displayValue(mime, text) },
      metadata: {},
    }
  );
}

/**
 * The nbformat output of a whole cell output's items (MIME type and decoded text each). A stream
 * a kernel appended in pieces (several stdout items) is one stream of their joined text, so an
 * identifier split across pieces is still seen; items of one MIME type are joined likewise.
 */
export function outputOfItems(
  items: readonly { mime: string; text: string }[],
  metadata: Record<string, unknown> = {},
): NotebookOutput {
  const byMime = new Map<string, string>();
  for (const { mime, text } of items) byMime.set(mime, (byMime.get(mime) ?? '') + text);
  const first = items[0];
  if (first && (byMime.size === 1 || first.mime === ERROR_MIME)) {
    const single = streamOrErrorOutput(first.mime, byMime.get(first.mime)!);
    if (single) return single;
  }
  const data: Record<string, unknown> = {};
  for (const [mime, text] of byMime) data[mime] = displayValue(mime, text);
  return { output_type: 'display_data', data, metadata };
}

/**
 * True when `parts` (one output's items of one MIME type, bytes) decode and join to exactly
 * `text` — what the renderer was given for an item VS Code draws from them. Parts whose byte
 * count cannot decode to `text`'s length are told apart without decoding (UTF-8 gives at most one
 * UTF-16 unit per byte and at least one per three bytes, also with replacement characters, after
 * a leading byte-order mark the decoder drops from each part), so the host can look for an item
 * among many outputs on every stream write.
 */
export function partsDecodeTo(parts: readonly Uint8Array[], text: string): boolean {
  if (parts.length === 0) return false;
  const bytes = parts.reduce((sum, p) => sum + p.byteLength, 0);
  if (text.length > bytes || text.length * 3 + 3 * parts.length < bytes) return false;
  const decoder = new TextDecoder();
  return parts.map((p) => decoder.decode(p)).join('') === text;
}
