// Why: synthesizing views takes seconds to minutes, longer than an HTTP request should hang, so the
// API starts a publish as a background job and the panels poll its progress. Jobs live in memory
// (a restarted gateway has none running); one runs at a time, as the publish lock also enforces.
// Only the newest finished jobs are kept, so a gateway that runs for months stays bounded.
import type { JobProgress, PublishJob } from '@privet/core';
import { PublishError } from './errors.js';
import { publishViews } from './publish-views.js';
import type { PublishOptions, PublishProgress } from './publish-types.js';
import { publishedSources, undeclaredColumnsNotes } from './undeclared-columns.js';
import { randomHex } from '@privet/core/hex';

/** Share of one synthetic view's work done at the start of each synthesis stage (then its span). */
const STAGES: Record<string, [number, number]> = {
  'one-way': [0.05, 0.1],
  select: [0.15, 0.4],
  estimate: [0.55, 0.2],
  sample: [0.75, 0.1],
  fidelity: [0.85, 0.1],
};

/** Fraction of one view's work reached at a progress event. */
function viewFraction(e: PublishProgress): number {
  if (e.step === 'synthesize' && e.stage) {
    const [base, span] = STAGES[e.stage] ?? [0, 0];
    return base + span * Math.min(1, Math.max(0, e.fraction ?? 0));
  }
  const at: Record<PublishProgress['step'], number> = {
    reserve: 0.02,
    mask: 0.1,
    verify: 0.6,
    arrow: 0.8,
    synthesize: 0.05,
    staged: 0.97,
    charged: 0.98,
    swapped: 1,
    unchanged: 1,
  };
  return at[e.step];
}

/** How many finished jobs are kept by default (older ones are forgotten: GET answers 404). */
export const FINISHED_JOBS_KEPT = 50;

/** Keeps the publish jobs of one gateway process. */
export class PublishJobs {
  /** Jobs in start order (a Map iterates in insertion order). */
  private readonly jobs = new Map<string, PublishJob>();
  private running: string | undefined;

  constructor(
    private readonly clock: () => Date = () => new Date(),
    private readonly finishedKept = FINISHED_JOBS_KEPT,
  ) {}

  /** True while a job runs. */
  busy(): boolean {
    return this.running !== undefined;
  }

  /**
   * Starts publishing in the background and returns the job, carrying the notes on the source
   * columns the publish leaves out (undeclaredNotes, read first); throws JobConflict while a job
   * runs, before reading anything and again once the notes are read.
   */
  async start(options: Omit<PublishOptions, 'onProgress'>, viewCount: number): Promise<PublishJob> {
    if (this.running) throw new JobConflict(this.running);
    return this.launch(options, viewCount, await undeclaredNotes(options));
  }

  /** Starts the job itself, with `notes` read by `start` (synchronous: no other job slips in). */
  private launch(
    options: Omit<PublishOptions, 'onProgress'>,
    viewCount: number,
    notes: readonly string[],
  ): PublishJob {
    if (this.running) throw new JobConflict(this.running);
    const id = `job-${randomHex(12)}`;
    const job: PublishJob = {
      id,
      state: 'running',
      startedAt: this.clock().toISOString(),
      progress: { phase: 'start', fraction: 0 },
    };
    if (notes.length > 0) job.notes = [...notes];
    this.jobs.set(id, job);
    this.running = id;
    const order: string[] = [];
    const total = Math.max(1, viewCount);
    const onProgress = (e: PublishProgress) => {
      if (!order.includes(e.view)) order.push(e.view);
      const done = order.indexOf(e.view) + viewFraction(e);
      const phase = e.step === 'synthesize' ? (e.stage ?? 'synthesize') : e.step;
      const progress: JobProgress = {
        phase,
        view: e.view,
        // Steps of later views never move the bar backwards.
        fraction: Math.max(job.progress.fraction, Math.min(0.999, done / total)),
      };
      job.progress = progress;
    };
    void publishViews({ ...options, onProgress })
      .then((results) => {
        job.result = {
          published: results.map((r) => ({
            view: r.view,
            rows: r.rows,
            rowsSuppressed: r.rowsSuppressed,
          })),
        };
        job.progress = { phase: 'done', fraction: 1 };
        job.state = 'done';
      })
      .catch((err: unknown) => {
        job.state = 'failed';
        job.error = errorBody(err);
      })
      .finally(() => {
        job.finishedAt = this.clock().toISOString();
        this.running = undefined;
        this.forgetOldFinished();
      });
    return { ...job };
  }

  /** Drops the oldest finished jobs beyond `finishedKept`. */
  private forgetOldFinished(): void {
    let finished = 0;
    for (const job of this.jobs.values()) if (job.state !== 'running') finished++;
    for (const [id, job] of this.jobs) {
      if (finished <= this.finishedKept) break;
      if (job.state === 'running') continue;
      this.jobs.delete(id);
      finished--;
    }
  }

  /** A snapshot of a job, or undefined for an unknown id. */
  get(id: string): PublishJob | undefined {
    const job = this.jobs.get(id);
    return job ? structuredClone(job) : undefined;
  }
}

/**
 * The notes on the source columns a publish with `options` leaves out (undeclared in the policy,
 * never loaded), read from the files' header rows or Parquet schemas before it starts, as `privet
 * publish` prints them. None when the views it names are refused: the job then fails and says why.
 */
async function undeclaredNotes(options: Omit<PublishOptions, 'onProgress'>): Promise<string[]> {
  let sources: string[];
  try {
    sources = publishedSources(options.policy, options.viewNames);
  } catch {
    return [];
  }
  return undeclaredColumnsNotes(options.policy, options.policyDir, sources);
}

/** Thrown by `start` while another job runs. */
export class JobConflict extends Error {
  constructor(readonly runningId: string) {
    super(`publish job ${runningId} is still running`);
    this.name = 'JobConflict';
  }
}

/** What a failed publish tells the steward: the refusal and its fix, or a generic internal error. */
export function errorBody(err: unknown): NonNullable<PublishJob['error']> {
  if (err instanceof PublishError) {
    return {
      code: 'publish_failed',
      message: err.message.split('. Fix: ')[0] ?? err.message,
      fix: err.fix,
    };
  }
  const fix = (err as { fix?: unknown }).fix;
  const code = (err as { code?: unknown }).code;
  if (typeof fix === 'string') {
    return {
      code: typeof code === 'string' ? code : 'publish_failed',
      message: (err as Error).message.split('. Fix: ')[0] ?? 'publishing failed',
      fix,
    };
  }
  return {
    code: 'internal',
    message: 'publishing failed unexpectedly',
    fix: 'a steward can check the gateway log and publish again',
  };
}
