/**
 * Following a publish job from the data panel (PublishBox.tsx), apart from React so it is tested
 * in Node: a poll that failed on an unreachable or failing gateway is retried a few times, waiting
 * longer each time, before the box gives up (then it shows the error with "Check again" and lets
 * the steward publish again, instead of a frozen bar); a refusal is not retried. And the words the
 * box shows and announces (a screen reader hears each phase and the result, not every 500 ms).
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

/** The longest wait before a failed poll is retried, in poll intervals (8 s at 500 ms). */
const MAX_BACKOFF_INTERVALS = 16;

/** Poll options plus how many failed polls in a row are retried. */
export interface FollowOptions extends PollOptions {
  maxFailures: number;
}

/** True when the gateway no longer knows the job (it restarted): asking again cannot help. */
export function isJobLost(error: unknown): boolean {
  return error instanceof GatewayError && error.code === 'job_lost';
}

/**
 * True when a failed poll may succeed if asked again: the gateway was unreachable or failed on
 * its side (5xx). A refusal (401, 403, …) or a forgotten job stays as it is.
 */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof GatewayError) || isJobLost(error)) return false;
  return error.code === 'unreachable' || error.code === 'timeout' || (error.status ?? 0) >= 500;
}

/**
 * How long to wait before poll number `failures` + 1 after `failures` failed in a row: the
 * interval doubled each time (0.5, 1, 2, 4, 8 s at 500 ms), at most 16 intervals.
 */
export function retryDelayMs(intervalMs: number, failures: number): number {
  return intervalMs * Math.min(2 ** Math.max(0, failures - 1), MAX_BACKOFF_INTERVALS);
}

/**
 * Polls `first` until it leaves `running` (followPublishJob), telling `onProgress` each snapshot;
 * a poll that failed on an unreachable or failing gateway is retried with backoff until
 * `maxFailures` fail in a row, then rejects with the last error. Any other error (a forgotten
 * job, a refusal) is not retried. Resolves with the last snapshot.
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
    // followPublishJob waits one interval before its first poll; after a failure, the rest of
    // the backoff is waited here.
    const backoff = failures === 0 ? 0 : retryDelayMs(options.intervalMs, failures);
    if (backoff > options.intervalMs) await sleep(backoff - options.intervalMs);
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
      if (!isRetryable(error) || failures >= options.maxFailures || !live()) throw error;
    }
  }
}

/** Resolves after `ms` milliseconds. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
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
