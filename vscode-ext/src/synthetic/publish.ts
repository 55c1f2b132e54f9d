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

/**
 * The plan as plain text for a confirmation dialog: each view's action and charge, then budgets,
 * then its notes ("Note: source `people`: 1 column in people.csv is not in the policy …", names
 * only), then problems.
 */
export function planSummary(plan: PublishPlan): string {
  const views = plan.views.map(
    (v) =>
      `${v.view}: ${v.action} (${v.reason})` +
      (v.charge ? ` — charges ε ${v.charge.epsilon}, δ ${v.charge.delta}` : '') +
      (v.expectedRefund
        ? ` (expected to be refunded: same inputs as the release of ${v.expectedRefund.recordedAt.replace(/\.\d+Z$/, 'Z')}; refunded only if the rebuilt file is byte-identical)`
        : ''),
  );
  const budgets = plan.budgets.map(
    (b) =>
      `Publication budget of ${b.source}: ε ${b.epsilon.used} → ${b.epsilon.after} of ${b.epsilon.total}, ` +
      `δ ${b.delta.used} → ${b.delta.after} of ${b.delta.total}${b.fits ? '' : ' (does not fit)'}`,
  );
  const notes = (plan.notes ?? []).map((note) => `Note: ${note}.`);
  const problems = plan.problems.map((p) => `${p.message}. Fix: ${p.fix}`);
  return [
    ...views,
    '',
    ...(budgets.length > 0 ? budgets : ['No synthetic view needs rebuilding: nothing is charged.']),
    ...(notes.length > 0 ? ['', ...notes] : []),
    ...(problems.length > 0 ? ['', ...problems] : []),
  ].join('\n');
}

/**
 * The one-line error of a plan the budgets would refuse: its first problem (or the first budget
 * that does not fit) with the fix, and how many more problems the whole plan lists.
 */
export function refusedPlanText(plan: PublishPlan): string {
  const [first, ...more] = plan.problems;
  const short = plan.budgets.find((b) => !b.fits);
  const why = first
    ? `${first.message}. Fix: ${first.fix}`
    : short
      ? `the publication budget of ${short.source} does not fit (ε ${short.epsilon.used} → ${short.epsilon.after} of ${short.epsilon.total}). Fix: raise that budget in the policy, or publish fewer synthetic views`
      : 'the gateway says the plan does not fit its budgets. Fix: read the plan (Show Plan)';
  const rest =
    more.length > 0 ? ` (${more.length} more problem${more.length > 1 ? 's' : ''}: Show Plan)` : '';
  return `Privet: publishing would be refused, so nothing was published: ${why}.${rest}`;
}

/**
 * A job's notes (per source, the header columns the policy leaves out: never loaded) as sentences
 * to append to the "published" message, e.g. " Note: source `people`: 1 column in people.csv is
 * not in the policy and is never loaded: `notes` — declare it under sources.people.columns to use
 * it."; '' without notes. Names only, escaped and capped by the gateway.
 */
export function publishNotesText(notes: readonly string[] | undefined): string {
  return (notes ?? []).map((note) => ` Note: ${note}.`).join('');
}

/** Column warnings of published views, for one notification. */
export interface ViewWarningNotice {
  /** The views the notice is about: one, or every view with warnings when they are many. */
  views: string[];
  /** The notification text: the view, how many warnings, then "column: message. Fix: fix." each. */
  message: string;
}

/** Most warning notices shown after a publish: with the "published" one, VS Code's limit of three. */
export const MAX_WARNING_NOTICES = 2;

/**
 * One notice per published view with column warnings (DP discovery left a column mostly empty),
 * or, past MAX_WARNING_NOTICES views, one notice naming them all: VS Code shows three
 * notifications at most, so more would push the "published" notice out of sight.
 */
export function warningNotices(
  views: readonly ViewSummary[],
  published: ReadonlySet<string>,
): ViewWarningNotice[] {
  const warned = views.filter(
    (v) => published.has(v.name) && (v.manifest?.warnings?.length ?? 0) > 0,
  );
  const count = (n: number): string => `${n} column warning${n > 1 ? 's' : ''}`;
  if (warned.length > MAX_WARNING_NOTICES) {
    const list = warned.map((v) => `${v.name} (${count(v.manifest!.warnings!.length)})`);
    return [
      {
        views: warned.map((v) => v.name),
        message:
          `Privet: ${warned.length} published views have column warnings: ${list.join(', ')}. ` +
          "Open a view's fidelity report, or its node in the Privet tree, for each warning and its fix.",
      },
    ];
  }
  return warned.map((v) => {
    const warnings = v.manifest!.warnings!;
    const lines = warnings.map((w) => `${w.column}: ${w.message}. Fix: ${w.fix}.`);
    return {
      views: [v.name],
      message: `Privet: ${v.name}, ${count(warnings.length)}. ${lines.join(' ')}`,
    };
  });
}
