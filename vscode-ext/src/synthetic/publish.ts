/**
 * Publishing from VS Code (stewards): starts a job on the gateway and polls it, telling the caller
 * each change of progress, until it is done or failed. Bounded: at most one hour of polls. Free of
 * the vscode API so the loop is tested against a real gateway; the command wraps it in a progress
 * notification.
 */
import type { PublishJob, PublishPlan } from '@privet/core';
import type { GatewayClient } from '@privet/core/client/index';

/** How often and how many times a job is polled. */
export interface PollSettings {
  intervalMs: number;
  maxPolls: number;
}

/** Starts a publish job and polls it to the end; `onProgress` sees every snapshot. */
export async function publishAndWait(
  client: GatewayClient,
  onProgress: (job: PublishJob) => void,
  poll: PollSettings = { intervalMs: 500, maxPolls: 7200 },
): Promise<PublishJob> {
  let job = await client.startPublishJob();
  onProgress(job);
  for (let i = 0; i < poll.maxPolls && job.state === 'running'; i++) {
    await new Promise((resolve) => setTimeout(resolve, poll.intervalMs));
    job = await client.getPublishJob(job.id);
    onProgress(job);
  }
  return job;
}

/** The plan as plain text for a confirmation dialog: each view's action and charge, then budgets. */
export function planSummary(plan: PublishPlan): string {
  const views = plan.views.map(
    (v) =>
      `${v.view}: ${v.action} (${v.reason})` +
      (v.charge ? ` — charges ε ${v.charge.epsilon}, δ ${v.charge.delta}` : ''),
  );
  const budgets = plan.budgets.map(
    (b) =>
      `Publication budget of ${b.source}: ε ${b.epsilon.used} → ${b.epsilon.after} of ${b.epsilon.total}, ` +
      `δ ${b.delta.used} → ${b.delta.after} of ${b.delta.total}${b.fits ? '' : ' (does not fit)'}`,
  );
  const problems = plan.problems.map((p) => `${p.message}. Fix: ${p.fix}`);
  return [
    ...views,
    '',
    ...(budgets.length > 0 ? budgets : ['No synthetic view needs rebuilding: nothing is charged.']),
    ...(problems.length > 0 ? ['', ...problems] : []),
  ].join('\n');
}
