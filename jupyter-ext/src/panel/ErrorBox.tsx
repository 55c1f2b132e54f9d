import * as React from 'react';

/** An inline error: what happened and, when known, how to fix it. */
export interface ErrorInfo {
  message: string;
  fix?: string;
}

/** Turns anything thrown into an ErrorInfo (GatewayError carries its own fix). */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof Error) {
    const fix = (error as { fix?: unknown }).fix;
    return { message: error.message, fix: typeof fix === 'string' && fix ? fix : undefined };
  }
  return { message: String(error) };
}

/** Renders an ErrorInfo inline (role=alert so screen readers announce it). */
export function ErrorBox(props: { error: ErrorInfo | null }): JSX.Element | null {
  const { error } = props;
  if (!error) return null;
  return (
    <div className="jp-Privet-error" role="alert">
      <div className="jp-Privet-errorMessage">{error.message}</div>
      {error.fix ? <div className="jp-Privet-errorFix">Fix: {error.fix}</div> : null}
    </div>
  );
}
