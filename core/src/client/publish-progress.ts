// Why: both notebook hosts follow the same publish jobs; the words for the gateway's job phases
// live once here so JupyterLab's bar and VS Code's notification say the same thing.
import type { PublishJob } from '../protocol.js';

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
