/**
 * The order in which the panel asks the gateway for a list (its own refreshes and a query's
 * listing), so an answer asked earlier never replaces one asked later that came in first.
 */
let lastAsk = 0;

/** A number for a request about to be sent: larger than every one given before. */
export function nextAsk(): number {
  lastAsk += 1;
  return lastAsk;
}

/** How many numbers nextAsk() gave so far: every request asked until now has one at most this. */
export function askedSoFar(): number {
  return lastAsk;
}
