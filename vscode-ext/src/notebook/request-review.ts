/**
 * "Request Review": sends a withheld original, with the analyst's justification, to the
 * gateway's review queue (the only place it ever goes). The original stays in memory, marked with
 * the request, so an approval of exactly this content can restore it in its cell.
 */
import type { ReviewRequest } from '@privet/core/protocol';
import type { GatewayClient } from '../client/gateway.js';
import type { HeldOutputs } from './held.js';
import { rawValueHold } from './raw-value.js';

/** Why an output held on a raw value cannot go to review (the gateway would refuse it: 409). */
export const RAW_VALUE_NOT_REVIEWABLE =
  "this output shows a value from the raw data's identifier columns, which no review can approve. Fix: remove the value from the output and run the cell again";

/** Where the withheld output came from, for the reviewer's context. */
export interface ReviewOrigin {
  notebook: string;
  cellIndex: number;
}

/**
 * Submits held output `heldId` for review; throws a GatewayError when the gateway refuses, and an
 * Error without asking when the gateway found a raw value in it (RAW_VALUE_NOT_REVIEWABLE).
 */
export async function requestReview(
  client: GatewayClient,
  experiment: string,
  held: HeldOutputs,
  heldId: string,
  justification: string,
  origin: ReviewOrigin,
): Promise<ReviewRequest> {
  const original = held.get(heldId);
  if (!original) {
    throw new Error(
      'this withheld output is no longer held in this window. Fix: run the cell again, then request review',
    );
  }
  if (rawValueHold(original.review) === 'found') throw new Error(RAW_VALUE_NOT_REVIEWABLE);
  if (justification.trim() === '') {
    throw new Error('a justification is required. Fix: say why this output should be released');
  }
  const request = await client.submitReview({
    experiment,
    output: original.output,
    justification: justification.trim(),
    notebook: origin.notebook,
    cellIndex: origin.cellIndex,
    cellSource: original.cellSource,
    viewsUsed: original.viewsUsed,
    ...(original.streamContext ? { streamContext: original.streamContext } : {}),
  });
  held.markSubmitted(heldId, request.id, request.contentHash);
  return request;
}
