/**
 * Why: a reviewer approves an output's whole content (the approval hash covers every MIME part),
 * but the redacted preview is cut at PREVIEW_LIMIT characters and shows no pictures. Review UIs
 * therefore show the whole output part by part — text as text (never as markup), pictures as
 * images — and ask the reviewer to open it before approving when the preview does not cover it.
 */
import { PREVIEW_LIMIT, joinText } from './sink.js';
import type { Finding, NotebookOutput } from './types.js';

/** One part of an output as a review UI shows it. */
export type OutputPart =
  | { mime: string; kind: 'text'; text: string }
  /** A picture: a `data:` URL an `<img>` can show (no script runs in an image). */
  | { mime: string; kind: 'image'; src: string }
  /** Content no UI here can show (PDF, video…): named with its size in characters. */
  | { mime: string; kind: 'binary'; size: number };

const RASTER = /^image\/(?:png|jpeg|jpg|gif|webp|bmp|avif)$/;
// eslint-disable-next-line no-control-regex -- terminal colour codes start with ESC
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

/** The parts of `output` as a reviewer sees them, in the output's own order. */
export function outputParts(output: NotebookOutput): OutputPart[] {
  if (output.output_type === 'stream')
    return [{ mime: `stream/${output.name}`, kind: 'text', text: joinText(output.text) }];
  if (output.output_type === 'error') {
    const trace = (output.traceback ?? []).join('\n').replace(ANSI, '');
    return [
      { mime: 'error', kind: 'text', text: `${output.ename}: ${output.evalue}\n${trace}`.trim() },
    ];
  }
  const data = (output as { data?: Record<string, unknown> }).data ?? {};
  return Object.entries(data).map(([mime, value]): OutputPart => {
    const m = mime.toLowerCase();
    if (RASTER.test(m) && (typeof value === 'string' || Array.isArray(value)))
      return { mime, kind: 'image', src: `data:${m};base64,${joinText(value).replace(/\s/g, '')}` };
    if (m === 'image/svg+xml')
      return {
        mime,
        kind: 'image',
        src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(joinText(value))}`,
      };
    if (typeof value === 'string' || Array.isArray(value)) {
      const text = joinText(value);
      return m.startsWith('text/') ||
        m.endsWith('json') ||
        m.includes('+json') ||
        m.includes('latex')
        ? { mime, kind: 'text', text }
        : { mime, kind: 'binary', size: text.length };
    }
    return { mime, kind: 'text', text: JSON.stringify(value, null, 2) ?? String(value) };
  });
}

/**
 * True when the redacted preview does not show everything an approval releases: it was cut at
 * PREVIEW_LIMIT, or the output holds a picture, code it runs, or other content the preview cannot show.
 */
export function previewIsPartial(review: {
  redactedPreview: string;
  findings: readonly Finding[];
}): boolean {
  return (
    review.redactedPreview.length >= PREVIEW_LIMIT ||
    review.findings.some((f) => f.rule === 'image' || f.rule === 'malformed' || f.rule === 'script')
  );
}
