/**
 * The whole output a review request is about, loaded from the gateway when the reviewer opens it:
 * every MIME part in full — text as text (never as markup), pictures as images — since an
 * approval releases all of it, not just the redacted preview.
 */
import * as React from 'react';
import { outputParts, type OutputPart } from '@privet/core/review/index';
import type { ReviewOutputResponse } from '@privet/core/protocol';
import { ErrorBox, toErrorInfo, type ErrorInfo } from '../panel/ErrorBox.js';

/** Props of the whole-output disclosure. */
export interface WholeOutputProps {
  id: string;
  load: (id: string) => Promise<ReviewOutputResponse>;
  /** Called once the whole output is on screen. */
  onShown: () => void;
}

/** A disclosure that loads and shows the whole output of one review request. */
export function WholeOutput(props: WholeOutputProps): JSX.Element {
  const [parts, setParts] = React.useState<OutputPart[] | null>(null);
  const [error, setError] = React.useState<ErrorInfo | null>(null);
  const [loading, setLoading] = React.useState(false);

  const open = async (): Promise<void> => {
    if (parts || loading) return;
    setLoading(true);
    setError(null);
    try {
      const { output } = await props.load(props.id);
      setParts(outputParts(output));
      props.onShown();
    } catch (e) {
      setError(toErrorInfo(e));
    } finally {
      setLoading(false);
    }
  };

  return (
    <details
      className="jp-Privet-wholeOutput"
      onToggle={(e) => {
        if ((e.currentTarget as HTMLDetailsElement).open) void open();
      }}
    >
      <summary>Whole output (what an approval releases)</summary>
      {loading ? <p className="jp-Privet-hint">Loading the output…</p> : null}
      <ErrorBox error={error} />
      {(parts ?? []).map((part, i) => (
        <div key={i} className="jp-Privet-wholePart" data-mime={part.mime}>
          <div className="jp-Privet-reviewLabel">{part.mime}</div>
          {part.kind === 'text' ? (
            <pre className="jp-Privet-reviewPreview" tabIndex={0}>
              {part.text}
            </pre>
          ) : part.kind === 'image' ? (
            <img className="jp-Privet-wholeImage" src={part.src} alt={`${part.mime} part`} />
          ) : (
            <p className="jp-Privet-hint">
              {part.size.toLocaleString()} characters of {part.mime}, which cannot be shown here:
              ask the analyst for a readable form before approving it.
            </p>
          )}
        </div>
      ))}
    </details>
  );
}
