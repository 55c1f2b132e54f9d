/**
 * Why an aborted signal stopped a request or a run, as one Error to throw. Shared by the gateway
 * client and the hosts' SQL runs, so a stop always surfaces as the reason the caller aborted with
 * (e.g. a QueryStoppedError from Stop), never as "unreachable" or "did not answer in time".
 */

/** The Error a stop is reported with when the signal's reason is not an Error itself. */
const requestStopped = (): Error => new Error('the request was stopped');

/**
 * Why `signal` stopped the work: undefined when it is absent or not aborted, else its reason when
 * that is an Error, else `fallback()` (by default "the request was stopped").
 */
export function stopReasonOf(
  signal: AbortSignal | undefined,
  fallback: () => Error = requestStopped,
): Error | undefined {
  if (!signal?.aborted) return undefined;
  return signal.reason instanceof Error ? signal.reason : fallback();
}
