/**
 * How long each gateway call may take before a notebook host gives up on it, shared by both
 * hosts' transports: most calls 60 s; a DP query longer (the gateway stops one after 120 s, and
 * the answer still has to be recorded and sent); a view download longer still (a whole view). A
 * DP dry run goes to the same path as a run but only prices the query, so a host stops waiting
 * for one sooner (DRY_RUN_TIME_LIMIT_MS, applied by the caller through its abort signal).
 */
import { GatewayError } from './gateway-error.js';

/** How long one gateway call may take before it fails as timed out. */
export const CALL_TIME_LIMIT_MS = 60_000;

/** How long a DP dry run (free: it only prices the query) may take before the host stops it. */
export const DRY_RUN_TIME_LIMIT_MS = 60_000;

/** Calls known to take longer, by the end of their path, with their own limits. */
const LONG_CALLS: readonly { path: RegExp; ms: number }[] = [
  { path: /\/dp\/query$/, ms: 180_000 },
  { path: /\/views\/[^/]+\/(arrow|parquet)$/, ms: 300_000 },
];

/** The time limit of a call to `url` (query string and fragment ignored). */
export function callTimeLimitMs(url: string): number {
  const path = url.split(/[?#]/, 1)[0] ?? url;
  return LONG_CALLS.find((c) => c.path.test(path))?.ms ?? CALL_TIME_LIMIT_MS;
}

/** The time limit of a DP query: a dry run's own, shorter one, or a run's (that of /dp/query). */
export function dpQueryTimeLimitMs(dryRun: boolean): number {
  return dryRun ? DRY_RUN_TIME_LIMIT_MS : callTimeLimitMs('/dp/query');
}

/** The error of a dry run stopped at its time limit: what happened and what to do. */
export function dryRunTimedOut(ms: number = DRY_RUN_TIME_LIMIT_MS): GatewayError {
  return new GatewayError(
    `the Privet gateway did not price the query within ${Math.round(ms / 1000)} s`,
    'check that the gateway is running (npm start) and look in its log for a slow or stuck ' +
      'request, then dry run again; a dry run spends nothing',
    'timeout',
  );
}
