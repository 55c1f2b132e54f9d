/**
 * Sends a held output for review: POST /reviews with the output exactly as the kernel produced
 * it, the justification, and the reviewer's context (cell code, views named in it, notebook or
 * console path, cell and output index). Binds the notebook to the experiment and records the pending state.
 */
import { showErrorMessage } from '@jupyterlab/apputils';
import { approvalHash, type NotebookOutput } from '@privet/core/review/index';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import type { ReviewRequest } from '@privet/core/protocol';
import type { GateHost } from './host.js';
import { bindExperiment } from './locate.js';

/** What the request needs to know about the held output. */
export interface HeldForReview {
  output: NotebookOutput;
  model: IRenderMime.IMimeModel;
  hash: string | null;
  justification: string;
  /** A stream part's earlier parts in its cell, which the gateway's check reads first. */
  streamContext?: string;
}

/** Submits the request; returns it with the output's hash, or null (after telling the user why). */
export async function submitForReview(
  host: GateHost,
  held: HeldForReview,
): Promise<{ review: ReviewRequest; hash: string } | null> {
  const client = host.gate.client;
  const experiment = host.experiment();
  if (!client || !experiment) return null;
  const place = host.locate(held.model);
  const source = place?.cell.sharedModel.getSource() ?? '';
  try {
    const review = await client.submitReview({
      experiment,
      output: held.output,
      justification: held.justification,
      notebook: host.path(),
      cellId: place?.cell.id,
      cellIndex: place?.cellIndex,
      outputIndex: place?.outputIndex,
      cellSource: source,
      viewsUsed: host.gate.viewsUsedBy(source).map((v) => v.name),
      ...(held.streamContext ? { streamContext: held.streamContext } : {}),
    });
    const notebook = host.notebook();
    if (notebook) bindExperiment(notebook, experiment); // consoles have no metadata to bind
    const hash = held.hash ?? (await approvalHash(held.output, held.streamContext ?? ''));
    if (hash !== review.contentHash) {
      console.warn('Privet: the gateway hashed the output differently; approvals may not match.');
    }
    host.gate.approvals.set(experiment, hash, { state: review.state, reviewId: review.id });
    return { review, hash };
  } catch (error) {
    const fix = (error as { fix?: unknown }).fix;
    await showErrorMessage(
      'Review request not sent',
      `${error instanceof Error ? error.message : String(error)}${typeof fix === 'string' && fix ? `. Fix: ${fix}` : ''}`,
    );
    return null;
  }
}
