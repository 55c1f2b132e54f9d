/**
 * Publishing from VS Code (stewards): starts a job on the gateway and polls it, telling the caller
 * each change of progress, until it is done or failed. Bounded: at most one hour of polls. Free of
 * the vscode API so the loop is tested against a real gateway; the command wraps it in a progress
 * notification.
 */
import type { PublishJob, PublishPlan } from '@privet/core';
import type { ViewSummary } from '@privet/core/protocol';
import { followPublishJob, type GatewayClient, type PollOptions } from '@privet/core/client/index';

/** Starts a publish job and polls it to the end; `onProgress` sees every snapshot. */
export async function publishAndWait(
  client: GatewayClient,
  onProgress: (job: PublishJob) => void,
  poll: PollOptions = { intervalMs: 500, maxPolls: 7200 },
): Promise<PublishJob> {
  const job = await client.startPublishJob();
  onProgress(job);
  return followPublishJob(client, job, onProgress, poll);
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

/** One published view's column warnings, for one notification. */
export interface ViewWarningNotice {
  view: string;
  /** The notification text: the view, how many warnings, then "column: message. Fix: fix." each. */
  message: string;
}

/**
 * One notice per published view with column warnings (DP discovery left a column mostly empty):
 * VS Code shows three notifications at most, so one per warning could push the "published"
 * notice, or another view's warnings, out of sight.
 */
export function warningNotices(
  views: readonly ViewSummary[],
  published: ReadonlySet<string>,
): ViewWarningNotice[] {
  return views
    .filter((v) => published.has(v.name) && (v.manifest?.warnings?.length ?? 0) > 0)
    .map((v) => {
      const warnings = v.manifest!.warnings!;
      const lines = warnings.map((w) => `${w.column}: ${w.message}. Fix: ${w.fix}.`);
      const count = `${warnings.length} column warning${warnings.length > 1 ? 's' : ''}`;
      return { view: v.name, message: `Privet: ${v.name}, ${count}. ${lines.join(' ')}` };
    });
}
