/**
 * "Request review": sends a withheld original, with the analyst's justification, to the
 * gateway's review queue (the only place it ever goes). The original stays in memory, marked with
 * the request, so an approval of exactly this content can restore it in its cell.
 */
import type { ReviewRequest } from '@privet/core/protocol';
import type { GatewayClient } from '../client/gateway.js';
import type { HeldOutputs } from './held.js';

/** Where the withheld output came from, for the reviewer's context. */
export interface ReviewOrigin {
  notebook: string;
  cellIndex: number;
}

/** Submits held output `heldId` for review; throws a GatewayError when the gateway refuses. */
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
