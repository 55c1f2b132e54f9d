import * as React from 'react';

/** An inline error: what happened and, when known, how to fix it. */
export interface ErrorInfo {
  message: string;
  fix?: string;
  /** The gateway's error code, when it gave one (e.g. 'unreachable', 'unauthenticated'). */
  code?: string;
  /** The HTTP status of the gateway's answer, when there was one (e.g. 401). */
  status?: number;
}

/**
 * Turns anything thrown into an ErrorInfo (GatewayError carries its own fix, code and status;
 * code and status are set only when the error has them).
 */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof Error) {
    const { fix, code, status } = error as { fix?: unknown; code?: unknown; status?: unknown };
    return {
      message: error.message,
      fix: typeof fix === 'string' && fix ? fix : undefined,
      ...(typeof code === 'string' && code ? { code } : {}),
      ...(typeof status === 'number' ? { status } : {}),
    };
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
