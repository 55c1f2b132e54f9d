import * as React from 'react';
import { Button } from '@jupyterlab/ui-components';
import type { PublishJob, PublishPlan } from '@privet/core';
import type { GatewayClient } from '../client.js';
import { ErrorBox, toErrorInfo, type ErrorInfo } from './ErrorBox.js';
import { followWithRetries, MAX_POLL_FAILURES } from './publish-follow.js';
import {
  isPublishing,
  publishButton,
  PublishJobView,
  PublishNotes,
  STILL_RUNNING,
  stalledBy,
  type Stalled,
} from './PublishJobView.js';

/** How often a running job is polled, and for how long at most (a publish can take minutes). */
const POLL_MS = 500;
const MAX_POLLS = (60 * 60 * 1000) / POLL_MS;

/**
 * What publishing now would do and cost (GET /publish/plan), shown before the steward confirms,
 * with the plan's notes (source columns the policy leaves out, never loaded) as the job shows them.
 */
export function PlanView(props: { plan: PublishPlan }): JSX.Element {
  const { plan } = props;
  return (
    <div className="jp-Privet-publishPlan" aria-label="Publishing plan">
      <table className="jp-Privet-columns">
        <thead>
          <tr>
            <th>view</th>
            <th>action</th>
            <th>charge</th>
          </tr>
        </thead>
        <tbody>
          {plan.views.map((v) => (
            <tr key={v.view} data-plan-view={v.view} data-action={v.action}>
              <td>{v.view}</td>
              <td>
                {v.action} ({v.reason})
              </td>
              <td>
                {v.charge ? `ε ${v.charge.epsilon}, δ ${v.charge.delta}` : '—'}
                {v.expectedRefund ? (
                  <div
                    className="jp-Privet-hint"
                    data-expected-refund={v.expectedRefund.reservation}
                  >
                    Expected to be refunded: same inputs as the release of{' '}
                    {v.expectedRefund.recordedAt.replace(/\.\d+Z$/, 'Z')}; refunded only if the
                    rebuilt file is byte-identical.
                  </div>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {plan.budgets.map((b) => (
        <div key={b.source} className="jp-Privet-status" data-plan-budget={b.source}>
          Publication budget of {b.source}: ε {b.epsilon.used} → {b.epsilon.after} of{' '}
          {b.epsilon.total}, δ {b.delta.used} → {b.delta.after} of {b.delta.total}
          {b.fits ? '' : ' — does not fit'}
        </div>
      ))}
      {plan.budgets.length === 0 ? (
        <div className="jp-Privet-status">
          No synthetic view needs rebuilding: nothing is charged.
        </div>
      ) : null}
      <PublishNotes notes={plan.notes} />
      {plan.problems.map((p, i) => (
        <ErrorBox key={i} error={p} />
      ))}
    </div>
  );
}

/**
 * Steward-only: shows what publishing would rebuild and charge (GET /publish/plan); on "Publish"
 * runs the job on the gateway (POST /publish/jobs) and shows its progress until it is done or
 * failed; then the view list is reloaded. When the gateway stops answering the polls, it says so,
 * offers "Check again" and lets the steward publish again.
 */
export function PublishBox(props: { client: GatewayClient; onPublished: () => void }): JSX.Element {
  const [job, setJob] = React.useState<PublishJob | null>(null);
  const [plan, setPlan] = React.useState<PublishPlan | null>(null);
  const [planning, setPlanning] = React.useState(false);
  /** True while POST /publish/jobs is in flight (a second click would start a second job). */
  const [starting, setStarting] = React.useState(false);
  const [error, setError] = React.useState<ErrorInfo | null>(null);
  const [stalled, setStalled] = React.useState<Stalled | null>(null);
  const live = React.useRef(true);
  React.useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);

  const follow = async (started: PublishJob): Promise<void> => {
    setStalled(null);
    try {
      const last = await followWithRetries(
        props.client,
        started,
        (next) => live.current && setJob(next),
        {
          intervalMs: POLL_MS,
          maxPolls: MAX_POLLS,
          maxFailures: MAX_POLL_FAILURES,
          live: () => live.current,
        },
      );
      if (!live.current) return;
      if (last.state === 'done') props.onPublished();
      if (last.state === 'running') setStalled(STILL_RUNNING);
    } catch (e) {
      if (live.current) setStalled(stalledBy(e));
    }
  };
  const review = (): void => {
    setError(null);
    setJob(null);
    setStalled(null);
    setPlanning(true);
    props.client
      .publishPlan()
      .then((p) => live.current && setPlan(p))
      .catch((e: unknown) => live.current && setError(toErrorInfo(e)))
      .finally(() => live.current && setPlanning(false));
  };
  const start = (): void => {
    if (starting) return;
    setError(null);
    setPlan(null);
    setStarting(true);
    props.client
      .startPublishJob()
      .then((started) => {
        if (!live.current) return;
        setStarting(false);
        setJob(started);
        return follow(started);
      })
      .catch((e: unknown) => {
        if (!live.current) return;
        setStarting(false);
        setError(toErrorInfo(e));
      });
  };
  const button = publishButton({
    starting,
    publishing: isPublishing(job, stalled),
    planning,
    planned: plan !== null,
  });
  return (
    <div className="jp-Privet-publish">
      <p className="jp-Privet-status jp-Privet-publishNote">
        Rebuilds changed views from the raw sources; synthetic views charge the publication budget.
        You see the cost first.
      </p>
      <div className="jp-Privet-viewActions">
        <Button small disabled={button.disabled} onClick={review}>
          {button.label}
        </Button>
      </div>
      {plan ? (
        <>
          <PlanView plan={plan} />
          <div className="jp-Privet-viewActions">
            <Button small className="jp-Privet-primary" disabled={!plan.fits} onClick={start}>
              Publish
            </Button>
            <Button small onClick={() => setPlan(null)}>
              Cancel
            </Button>
          </div>
        </>
      ) : null}
      {job ? (
        <PublishJobView job={job} stalled={stalled} onCheckAgain={() => void follow(job)} />
      ) : null}
      <ErrorBox error={error} />
    </div>
  );
}
