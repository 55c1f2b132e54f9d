/**
 * Following a publish job from the data panel (PublishBox.tsx), apart from React so it is tested
 * in Node: a failed poll is retried a few times before the box gives up (then it shows the error
 * with "Check again" and lets the steward publish again, instead of a frozen bar), and the words
 * the box shows and announces (a screen reader hears each phase and the result, not every 500 ms).
 */
import type { PublishJob } from '@privet/core';
import { GatewayError, type GatewayClient } from '@privet/core/client/index';
import {
  describePublishJob,
  followPublishJob,
  type PollOptions,
} from '@privet/core/client/publish-progress';

/** How many polls in a row may fail (gateway busy or restarting) before following stops. */
export const MAX_POLL_FAILURES = 5;

/** Poll options plus how many failed polls in a row are retried. */
export interface FollowOptions extends PollOptions {
  maxFailures: number;
}

/**
 * Polls `first` until it leaves `running` (followPublishJob), telling `onProgress` each snapshot;
 * a failed poll is retried until `maxFailures` fail in a row, then rejects with the last error. A
 * job the gateway forgot (`job_lost`) is not retried. Resolves with the last snapshot.
 */
export async function followWithRetries(
  client: Pick<GatewayClient, 'getPublishJob'>,
  first: PublishJob,
  onProgress: (job: PublishJob) => void,
  options: FollowOptions,
): Promise<PublishJob> {
  let job = first;
  let failures = 0;
  let polls = 0;
  const live = options.live ?? (() => true);
  for (;;) {
    try {
      return await followPublishJob(
        client as GatewayClient, // followPublishJob calls only getPublishJob
        job,
        (next) => {
          job = next;
          failures = 0;
          polls += 1;
          onProgress(next);
        },
        { ...options, maxPolls: Math.max(0, options.maxPolls - polls) },
      );
    } catch (error) {
      failures += 1;
      polls += 1;
      const lost = error instanceof GatewayError && error.code === 'job_lost';
      if (lost || failures >= options.maxFailures || !live()) throw error;
    }
  }
}

/** What the box shows about a job: the result, or the percentage and the phase in words. */
export function publishSummary(job: PublishJob): string {
  if (job.state === 'done') {
    const published = job.result?.published ?? [];
    const views = published.map((p) => `${p.view} (${p.rows.toLocaleString()} rows)`).join(', ');
    return `Published ${published.length} views: ${views}`;
  }
  if (job.state === 'failed') return 'Publishing failed';
  return `${Math.round(100 * job.progress.fraction)}% · ${describePublishJob(job)}`;
}

/**
 * What a screen reader is told about a job: the phase (and view) while running, without the
 * percentage or the changing message, so the text changes only when the phase does; then the result.
 */
export function publishAnnouncement(job: PublishJob): string {
  if (job.state !== 'running') return publishSummary(job);
  const { phase, view } = job.progress;
  return `Publishing: ${describePublishJob({ ...job, progress: { phase, view, fraction: 0 } })}`;
}
