/**
 * Why: a file the kernel writes (`df.to_csv`, `to_html`, `savefig`) opens in the host's file
 * viewers and editors, outside any output, so the output gate never sees it. The hosts check such
 * a file as the outputs that draw what its viewers draw: its text as printed text; a delimited
 * file (CSV, TSV) also as the table each delimiter a CSV viewer offers would make of it (the text
 * check reads tab-separated rows as a table, not comma-separated ones); HTML, Markdown and SVG as
 * markup; JSON as JSON; a picture as a picture. A file is held when any of them is.
 */
import { dsvFormat } from 'd3-dsv';
import type { NotebookOutput } from './types.js';

/** A file as the host's contents service gives it. */
export interface FileContent {
  /** The file's path (its extension picks how it is read when the MIME type does not). */
  path: string;
  /** `text` (the text itself) or `base64` (a binary file, e.g. a picture). */
  format: 'text' | 'base64';
  /** The MIME type the server guessed, when it gave one. */
  mimetype?: string;
  /** The content, as `format` says. */
  content: string;
}

/** The delimiters JupyterLab's CSV viewer offers (tab is TSV's). */
const DELIMITERS = [',', ';', '\t', '|', '#'] as const;

/** MIME types of markup and data read by extension, when the server's guess is generic. */
const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
  html: 'text/html',
  htm: 'text/html',
  xhtml: 'text/html',
  md: 'text/markdown',
  markdown: 'text/markdown',
  svg: 'image/svg+xml',
  json: 'application/json',
  geojson: 'application/geo+json',
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  tab: 'text/tab-separated-values',
};

/** The file's extension, lower case, without the dot ('' when it has none). */
function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** The MIME type the file is read as: by extension first (servers guess text/plain for many). */
export function fileMimeType(file: FileContent): string {
  const byExtension = MIME_BY_EXTENSION[extensionOf(file.path)];
  if (byExtension) return byExtension;
  const guessed = file.mimetype?.toLowerCase().split(';')[0]?.trim();
  if (guessed) return guessed;
  return file.format === 'base64' ? 'application/octet-stream' : 'text/plain';
}

/** A display output of one MIME part. */
function display(mime: string, value: unknown): NotebookOutput {
  return { output_type: 'display_data', data: { [mime]: value }, metadata: {} } as NotebookOutput;
}

/** Printed text (the way an editor shows a file). */
function printed(text: string): NotebookOutput {
  return { output_type: 'stream', name: 'stdout', text } as NotebookOutput;
}

/**
 * The rows `delimiter` makes of `text`, as tab-separated text (the form the text check reads as a
 * table); a tab, CR or newline inside a field becomes a space so a field stays one cell.
 */
export function delimitedAsTabs(text: string, delimiter: string): string {
  return dsvFormat(delimiter)
    .parseRows(text)
    .map((row) => row.map((field) => field.replace(/[\t\r\n]+/g, ' ')).join('\t'))
    .join('\n');
}

/** True when the MIME type is a delimited table (CSV, TSV). */
function isDelimited(mime: string): boolean {
  return mime === 'text/csv' || mime === 'text/tab-separated-values';
}

/**
 * The outputs `file` is checked as (see the file comment). A binary file (a picture, a PDF) is one
 * part of its MIME type, checked as the same output would be.
 */
export function fileOutputs(file: FileContent): NotebookOutput[] {
  const mime = fileMimeType(file);
  if (file.format === 'base64') return [display(mime, file.content)];
  const text = file.content;
  const outputs = [printed(text)];
  if (mime === 'text/html' || mime === 'text/markdown' || mime === 'image/svg+xml')
    outputs.push(display(mime, text));
  else if (mime.endsWith('json') || mime.includes('+json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text) as unknown;
    } catch {
      return outputs; // Not JSON: viewers show it as text, which the printed reading covers.
    }
    outputs.push(display(mime, parsed));
  } else if (isDelimited(mime)) {
    for (const delimiter of DELIMITERS)
      if (delimiter !== '\t' && text.includes(delimiter))
        outputs.push(printed(delimitedAsTabs(text, delimiter)));
  }
  return outputs;
}
