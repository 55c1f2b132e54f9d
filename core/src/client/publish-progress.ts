// Why: both notebook hosts follow the same publish jobs; the polling loop and the words for the
// gateway's job phases live once here so JupyterLab's bar and VS Code's notification behave and
// read the same.
import type { PublishJob } from '../protocol.js';
import type { GatewayClient } from './gateway-client.js';
import { GatewayError } from './gateway-error.js';

/** Human names of the phases a publish job reports (publish steps and synthesis stages). */
const PHASES: Readonly<Record<string, string>> = {
  start: 'starting',
  mask: 'masking',
  verify: 'checking k-anonymity',
  arrow: 'writing Arrow',
  reserve: 'reserving budget',
  synthesize: 'synthesizing',
  'one-way': 'measuring 1-way marginals',
  select: 'selecting and measuring marginals',
  estimate: 'fitting the model',
  sample: 'sampling rows',
  staged: 'written',
  charged: 'budget charged',
  swapped: 'published',
  unchanged: 'unchanged, kept',
  done: 'done',
};

/** One line about a job's progress: the phase in words, then the view and message if any. */
export function describePublishJob(job: PublishJob): string {
  const p = job.progress;
  return [PHASES[p.phase] ?? p.phase, p.view, p.message].filter((x) => x).join(' · ');
}

/** How a job is followed: poll interval, most polls, and a check that the caller still cares. */
export interface PollOptions {
  intervalMs: number;
  maxPolls: number;
  /** Polling stops (resolving with the last snapshot) once this returns false. */
  live?: () => boolean;
}

/**
 * Polls job `first` until it leaves `running` (or the polls run out, or `live` turns false),
 * telling `onProgress` every snapshot; resolves with the last one. A job the gateway no longer
 * knows (it restarted and forgot its jobs) becomes a GatewayError that says so.
 */
export async function followPublishJob(
  client: GatewayClient,
  first: PublishJob,
  onProgress: (job: PublishJob) => void,
  options: PollOptions = { intervalMs: 500, maxPolls: 7200 },
): Promise<PublishJob> {
  let job = first;
  const live = options.live ?? (() => true);
  for (let i = 0; i < options.maxPolls && job.state === 'running' && live(); i++) {
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
    if (!live()) break;
    try {
      job = await client.getPublishJob(job.id);
    } catch (error) {
      if (error instanceof GatewayError && error.status === 404)
        throw new GatewayError(
          'the gateway restarted while publishing, so the outcome of this job is unknown',
          "check the views' publish times in the list, or publish again (unchanged views are not charged twice)",
          'job_lost',
          404,
        );
      throw error;
    }
    onProgress(job);
  }
  return job;
}
