/**
 * React's side of the shared gateway status (gateway-status-model.ts): a panel takes part with
 * useStatusHost, and each list it loads reports itself with useReportLoad, which says whether the
 * list tells its failure itself, points to the shared message, waits for the other lists, or (a
 * first load under way while the message is shown) waits for the gateway.
 * Reports are made in layout effects, so a list never shows its own error for one frame before
 * the shared message replaces it (an error box is announced by screen readers as it appears).
 */
import * as React from 'react';
import type { ErrorInfo } from './ErrorBox.js';
import type { SharedTold } from './gateway-problem.js';
import {
  gatewayStatusOf,
  type GatewayStatusModel,
  type StatusHost,
} from './gateway-status-model.js';
import type { ShownLoad } from './useGatewayLoad.js';

/** A panel's part in the shared status: the model and which panel it is. */
export interface StatusScope {
  model: GatewayStatusModel;
  host: string;
}

/**
 * useLayoutEffect in a browser; useEffect where there is no document (a server render, which
 * runs neither and warns about the first).
 */
export const useLayoutEffect =
  typeof document === 'undefined' ? React.useEffect : React.useLayoutEffect;

/** Nothing to follow (no scope). */
const noSubscribe = (): (() => void) => () => undefined;
const noSnapshot = (): number => 0;

/** Re-renders whenever `model` changes (nothing without one). */
export function useStatusModel(model: GatewayStatusModel | null): void {
  const snapshot = model?.snapshot ?? noSnapshot;
  React.useSyncExternalStore(model?.subscribe ?? noSubscribe, snapshot, snapshot);
}

/** Makes the panel `spec` of `session` a place the shared message can be told (while drawn). */
export function useStatusHost(session: object, spec: StatusHost): StatusScope {
  const model = gatewayStatusOf(session);
  useStatusModel(model);
  useLayoutEffect(() => model.mountHost(spec), [model, spec]);
  return React.useMemo(() => ({ model, host: spec.id }), [model, spec]);
}

/**
 * The error a load reports, whether it still shows a value, whether a Retry runs, and when an
 * answer awaited was asked and its error came in (for which answers a lone failure waits).
 */
interface LoadReport {
  error: ErrorInfo | null | undefined;
  stale: boolean;
  loading: boolean;
  busy: boolean;
  awaited?: number;
  answeredAt?: number;
}

/** What `load` reports; a retry of a failure keeps `failed` (the error Retry is about). */
function reportOf<T>(load: ShownLoad<T>, failed: ErrorInfo | null): LoadReport {
  const flight = {
    ...(load.awaited !== undefined ? { awaited: load.awaited } : {}),
    ...(load.answeredAt !== undefined ? { answeredAt: load.answeredAt } : {}),
  };
  if (load.state === 'failed')
    return { error: load.error, stale: false, loading: false, busy: false, ...flight };
  if (load.state === 'retrying')
    return { error: failed, stale: false, loading: false, busy: true, ...flight };
  if (load.state === 'loading')
    return { error: null, stale: false, loading: true, busy: false, ...flight };
  const busy = load.refreshing === true;
  return { error: load.refreshError, stale: true, loading: false, busy, ...flight };
}

/**
 * Reports `load` (null: nothing is loaded, e.g. signed out) as the list `what` of the panel
 * `scope` (null: none, the list tells its own errors); `retry` loads it again. Returns how the
 * list tells its failure now.
 */
export function useReportLoad<T>(
  scope: StatusScope | null,
  what: string,
  load: ShownLoad<T> | null,
  retry: () => void,
): SharedTold {
  const [key] = React.useState(() => ({}));
  const failed = React.useRef<ErrorInfo | null>(null);
  const latestRetry = React.useRef(retry);
  latestRetry.current = retry;
  const [stableRetry] = React.useState(() => () => latestRetry.current());
  const model = scope?.model ?? null;
  useStatusModel(model);
  const kept = load?.state === 'failed' ? load.error : failed.current;
  const report =
    model && scope && load
      ? { ...reportOf(load, kept), what, host: scope.host, retry: stableRetry }
      : null;
  useLayoutEffect(() => {
    failed.current = load?.state === 'failed' || load?.state === 'retrying' ? kept : null;
    model?.report(key, report);
  });
  useLayoutEffect(() => () => model?.report(key, null), [model, key]);
  return model && report ? model.toldOf(key, report) : 'own';
}
