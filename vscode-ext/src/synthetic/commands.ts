/**
 * The synthetic-view commands: "Privet: Publish Views" (stewards; the cost first, in a modal
 * dialog, then a progress notification follows the gateway's job; a plan the budgets would refuse
 * is an error with "Show Plan") and "Privet: Show Fidelity Report" (from a synthetic view in the
 * tree, or a pick of the synthetic views; the gateway decides who may read it and says why not;
 * fidelity-panels.ts shows it).
 */
import * as vscode from 'vscode';
import type { PublishPlan, ViewSummary } from '@privet/core/protocol';
import { GatewayError, type GatewayClient } from '../client/gateway.js';
import { fidelityPage } from './fidelity-page.js';
import { pickWhileLoading } from '../shared/busy-pick.js';
import { describePublishJob } from '@privet/core/client/index';
import {
  planSummary,
  publishAndWait,
  publishNotesText,
  refusedPlanText,
  warningNotices,
  type ViewWarningNotice,
} from './publish.js';

/** The button of a refused plan's error that opens the whole plan. */
export const SHOW_PLAN = 'Show Plan';

/** Opens the publish plan as text in an untitled editor (views, charges, budgets, notes, problems). */
export async function showPlan(plan: PublishPlan): Promise<void> {
  const content = `Privet publish plan (GET /publish/plan)\n\n${planSummary(plan)}\n`;
  const document = await vscode.workspace.openTextDocument({ content, language: 'plaintext' });
  await vscode.window.showTextDocument(document, { preview: true });
}

/**
 * Shows what publishing would rebuild and charge (GET /publish/plan), with its notes on source
 * columns the policy leaves out, in a modal dialog; true when the steward confirms. A plan the budgets would refuse is a (non-modal) error with its first
 * problem and fix, and a "Show Plan" button that opens the whole plan.
 */
export async function confirmPublish(client: GatewayClient): Promise<boolean> {
  const plan = await client.publishPlan();
  const detail = planSummary(plan);
  if (!plan.fits) {
    void vscode.window
      .showErrorMessage(refusedPlanText(plan), SHOW_PLAN)
      .then((choice) => (choice === SHOW_PLAN ? showPlan(plan) : undefined));
    return false;
  }
  const choice = await vscode.window.showWarningMessage(
    'Privet: publish views now?',
    { modal: true, detail },
    'Publish',
  );
  return choice === 'Publish';
}

/**
 * What a publish run ended with: a one-line outcome (with the job's notes on source columns the
 * policy leaves out), those notes, and the published views' column warnings.
 */
export interface PublishOutcome {
  summary: string;
  /** The job's notes: per source, the header columns never loaded (names only). */
  notes: string[];
  /** One notice per published view with column warnings. */
  warnings: ViewWarningNotice[];
}

/** The views, read only for their column warnings: none when the listing fails. */
function viewsForWarnings(client: GatewayClient): Promise<ViewSummary[]> {
  return client.listViews().then(
    (r) => r.views,
    () => [],
  );
}

/** Publishes every view with a progress notification; resolves with the outcome. */
export async function publishWithProgress(client: GatewayClient): Promise<PublishOutcome> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Privet: publishing views' },
    async (progress) => {
      let shown = 0;
      const job = await publishAndWait(client, (snapshot) => {
        const percent = Math.round(100 * snapshot.progress.fraction);
        progress.report({
          increment: Math.max(0, percent - shown),
          message: describePublishJob(snapshot),
        });
        shown = Math.max(shown, percent);
      });
      // GatewayErrors, so showError prints the gateway's message and fix as for any other call.
      if (job.state === 'failed') {
        const e = job.error ?? {
          code: 'failed',
          message: 'the publish job failed',
          fix: 'see the gateway log',
        };
        throw new GatewayError(e.message, e.fix, e.code);
      }
      if (job.state === 'running')
        throw new GatewayError(
          `publish job ${job.id} is still running`,
          'check the views again later',
          'running',
        );
      const published = job.result?.published ?? [];
      const list = published.map((p) => `${p.view} (${p.rows} rows)`);
      const names = new Set(published.map((p) => p.view));
      // The views are published: a failed listing only loses the warnings (the tree shows them).
      const views = await viewsForWarnings(client);
      const warnings = warningNotices(views, names);
      const notes = job.notes ?? [];
      const outcome = `published ${list.length} views: ${list.join(', ')}`;
      const summary = notes.length > 0 ? `${outcome}.${publishNotesText(notes)}` : outcome;
      return { summary, notes, warnings };
    },
  );
}

/**
 * The view a command was invoked on (a tree node, or its name from a notification's button) or
 * one the user picks among synthetic views (among the names passed, when a notice names several).
 */
export async function pickSyntheticView(
  client: GatewayClient,
  arg: unknown,
): Promise<string | undefined> {
  if (typeof arg === 'string' && arg !== '') return arg;
  const node = arg as { kind?: unknown; view?: ViewSummary } | undefined;
  if (node?.kind === 'view' && node.view?.tier === 'synthetic') return node.view.name;
  const among =
    Array.isArray(arg) && arg.every((a) => typeof a === 'string')
      ? new Set<unknown>(arg)
      : undefined;
  const picked = await pickWhileLoading(
    { title: 'Privet: Show Fidelity Report', loadingPlaceholder: 'Loading synthetic views…' },
    () => client.listViews(),
    ({ views }) => {
      const synthetic = views.filter(
        (v) => v.tier === 'synthetic' && v.published && (!among || among.has(v.name)),
      );
      if (synthetic.length === 0) {
        void vscode.window.showInformationMessage('Privet: no published synthetic view to show.');
        return undefined;
      }
      return {
        placeholder: 'Synthetic view whose fidelity to show',
        items: synthetic.map((v) => ({ label: v.name, description: v.description ?? '' })),
      };
    },
  );
  return picked?.label;
}

/** The fidelity report page of `view` (report, plots and the view's column warnings) from the gateway. */
export async function loadFidelityPage(client: GatewayClient, view: string): Promise<string> {
  const [report, svg, views] = await Promise.all([
    client.viewFidelity(view),
    client.viewFidelitySvg(view),
    // Only for the column warnings: the report opens without them if the listing fails.
    viewsForWarnings(client),
  ]);
  const warnings = views.find((v) => v.name === view)?.manifest?.warnings ?? [];
  return fidelityPage(report, svg, warnings);
}
