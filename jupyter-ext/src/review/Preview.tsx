import * as React from 'react';

/** Matches the labels the review engine puts in place of identifiers. */
const REDACTED = /\[REDACTED [a-z-]+\]/g;

/** The redacted preview with every redaction label highlighted (as text, never as HTML). */
export function RedactedPreview(props: { text: string }): JSX.Element {
  const parts: React.ReactNode[] = [];
  let last = 0;
  for (const match of props.text.matchAll(REDACTED)) {
    const at = match.index ?? 0;
    parts.push(props.text.slice(last, at));
    parts.push(
      <mark key={at} className="jp-Privet-redaction">
        {match[0]}
      </mark>,
    );
    last = at + match[0].length;
  }
  parts.push(props.text.slice(last));
  return (
    <pre className="jp-Privet-reviewPreview" tabIndex={0} aria-label="Redacted preview">
      {parts}
    </pre>
  );
}
