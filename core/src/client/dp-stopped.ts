/**
 * What stopping a DP request cost, in the words both notebook hosts show: the gateway refunds a
 * run whose client left before it answered (it interrupts the query), and a dry run spends nothing.
 */

/** What a stopped DP dry run (`run` false) or run cost, as a clause. */
export function dpStoppedCost(run: boolean): string {
  return run
    ? 'the gateway refunds a run it had not answered yet; the budget shows what was spent'
    : 'a dry run spends nothing';
}
