/**
 * DP SQL on the gateway: "Dry run" prices a query (free) and shows its errors and the budget left
 * afterwards; "Run" spends and hands the release to the notebook. Run is enabled only once a dry
 * run of the current SQL and ε is shown (and affordable), and sends exactly what was priced: the
 * analyst always sees the expected error and the cost before spending. Stop (or Esc in the SQL
 * box) stops waiting for either: the request is closed, and the gateway refunds a run it had not
 * answered yet. A dry run only prices the query, so the box stops waiting for one after its own,
 * shorter time limit (DRY_RUN_TIME_LIMIT_MS) and says so; while waiting, the status line counts
 * the seconds.
 */
import * as React from 'react';
import type { IEditorServices } from '@jupyterlab/codeeditor';
import { Button } from '@jupyterlab/ui-components';
import type { DpDryRunWithBudget, DpRelease } from '@privet/core/protocol';
import { dpStoppedCost } from '@privet/core/client/dp-stopped';
import { DRY_RUN_TIME_LIMIT_MS, dryRunTimedOut } from '@privet/core/client/time-limits';
import { DEFAULT_DP_EPSILON, countSql } from '@privet/core/client/view-query';
import type { GatewayClient } from '../client.js';
import { DryRunView } from './DryRunView.js';
import { ErrorBox, toErrorInfo, type ErrorInfo } from './ErrorBox.js';
import { SqlEditor, type SqlSchema } from './SqlEditor.js';
import { usePerQueryLimits } from './usePerQueryLimits.js';

/** Props of the DP query box. */
export interface DpQueryBoxProps {
  client: GatewayClient;
  experiment: string;
  /** The dp views the experiment may query (for the placeholder query). */
  views: string[];
  /** The sources those views read, whose per-query limits the box shows before a dry run. */
  sources?: string[];
  /** Called with each release after a run spent budget. */
  onRelease: (release: DpRelease) => Promise<void>;
  /** Called when a run was stopped (the gateway may have charged it just before): budgets reload. */
  onRunStopped?: () => void;
  /** The dp views' columns, for completion. */
  schema?: SqlSchema;
  /** JupyterLab's editor services (absent: a plain textarea). */
  editors?: IEditorServices | null;
  /** SQL a view card asked the box to hold (a new `seq` each time): it replaces the box's text. */
  ask?: DpQueryAsk | null;
}

/** SQL put into the DP box from elsewhere in the panel (a DP view's "DP query" button). */
export interface DpQueryAsk {
  sql: string;
  /** Grows with every ask, so asking for the same SQL again refills and refocuses the box. */
  seq: number;
}

/** What Run does now, or why it is disabled: shown under the buttons and Run's description. */
export function runHint(busy: boolean, priced: boolean, affordable: boolean): string {
  if (busy) return 'Wait for the current request to finish.';
  if (!priced) return 'Dry run first: see the expected error and the cost before you spend.';
  if (!affordable) return 'Not affordable: lower ε or ask for less, then dry run again.';
  return 'Run spends the budget shown and releases the result into the notebook.';
}

/** The status line after Stop: what a stopped dry run or run cost. */
export function stoppedText(run: boolean): string {
  return `Stopped: ${dpStoppedCost(run)}.`;
}

/** How long a request has waited, as the status line shows it after the first second. */
export function waitedText(seconds: number): string {
  return seconds >= 1 ? `${seconds} s` : '';
}

/** The error of a dry run stopped at its time limit (core's, shared with VS Code). */
export { dryRunTimedOut };

/** Whole seconds since `since` (null: nothing waits; 0), counted again every second. */
function useSecondsSince(since: number | null): number {
  const [now, setNow] = React.useState(() => Date.now());
  React.useEffect(() => {
    if (since === null) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [since]);
  return since === null ? 0 : Math.max(0, Math.floor((now - since) / 1000));
}

/** SQL box, ε field, Dry run and Run buttons, dry-run result and inline refusals. */
export function DpQueryBox(props: DpQueryBoxProps): JSX.Element {
  const { client, experiment } = props;
  const first = props.views[0] ?? 'patients_dp';
  const [sql, setSql] = React.useState(countSql(first));
  const [epsilon, setEpsilon] = React.useState(DEFAULT_DP_EPSILON);
  const limits = usePerQueryLimits(client, experiment, props.sources ?? []);
  const [busy, setBusy] = React.useState('');
  /** When the request out now was sent (null: none is out). */
  const [sentAt, setSentAt] = React.useState<number | null>(null);
  const waited = useSecondsSince(sentAt);
  /** What the last request ended with when it was not an answer (e.g. it was stopped). */
  const [status, setStatus] = React.useState('');
  const [dryRun, setDryRun] = React.useState<DpDryRunWithBudget | null>(null);
  /** The SQL and ε the shown dry run priced, and its plan's hash (what Run sends). */
  const [priced, setPriced] = React.useState<{
    sql: string;
    epsilon: string;
    planHash?: string;
  } | null>(null);
  const [error, setError] = React.useState<ErrorInfo | null>(null);
  const [released, setReleased] = React.useState<string | null>(null);
  /** The request out now: Stop aborts it. */
  const outstanding = React.useRef<AbortController | null>(null);
  const stop = React.useCallback(() => outstanding.current?.abort(), []);
  // A request out for a former sign-in (client) or a closed panel is stopped.
  React.useEffect(() => stop, [client, stop]);

  /** The SQL and ε in the box now, for answers that come back after they changed. */
  const inBox = React.useRef({ sql, epsilon });
  inBox.current = { sql, epsilon };
  const boxRef = React.useRef<HTMLDivElement>(null);
  const ask = props.ask ?? null;
  // A view card's ask replaces the text (and the dry run of the old text); the box scrolls into
  // view with the cursor in its editor, so the user can edit it or dry run it at once.
  React.useEffect(() => {
    if (!ask) return;
    setSql(ask.sql);
    setDryRun(null);
    setPriced(null);
    setError(null);
    setReleased(null);
    const box = boxRef.current;
    box?.scrollIntoView?.({ block: 'nearest' });
    box?.querySelector?.<HTMLElement>('.cm-content, textarea')?.focus();
  }, [ask?.seq]); // one refill per ask, not per render

  const affordable = dryRun !== null && dryRun.budget.every((b) => b.affordable);
  const canRun = busy === '' && priced !== null && affordable;
  const hintId = `${React.useId()}-run-hint`;

  const send = async (run: boolean): Promise<void> => {
    // Run spends only what the shown dry run priced; a dry run prices what is typed now.
    const query = run ? priced : { sql, epsilon };
    if (!query) return;
    setError(null);
    setReleased(null);
    setStatus('');
    setBusy(run ? 'Running (spends budget)…' : 'Pricing…');
    setSentAt(Date.now());
    const controller = new AbortController();
    outstanding.current = controller;
    // A dry run has its own, shorter limit than a run (whose limit the transport applies).
    let timedOut = false;
    const limit = run
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          controller.abort(dryRunTimedOut(DRY_RUN_TIME_LIMIT_MS));
        }, DRY_RUN_TIME_LIMIT_MS);
    try {
      // Run sends the priced plan's hash: the gateway refuses, for free, a plan that changed since.
      const body = {
        experiment,
        sql: query.sql,
        epsilon: query.epsilon.trim() || undefined,
        dryRun: !run,
        ...(run && query.planHash ? { planHash: query.planHash } : {}),
      };
      const result = await client.dpQuery(body, { signal: controller.signal });
      if (result.dryRun) {
        // A price of text no longer in the box (edited, or replaced by a view card's ask) is
        // dropped: Run would otherwise spend a query the box no longer shows.
        if (inBox.current.sql !== query.sql || inBox.current.epsilon !== query.epsilon) return;
        setDryRun(result as DpDryRunWithBudget);
        setPriced({ ...query, planHash: result.planHash });
      } else {
        setDryRun(null);
        setPriced(null);
        await props.onRelease(result.release);
        setReleased(result.release.releaseId);
      }
    } catch (e) {
      if (controller.signal.aborted && !timedOut) {
        // The user's own doing: said in the status line, not as an alert. A dry run shown
        // before stays (Run still sends what it priced).
        setStatus(stoppedText(run));
        if (run) props.onRunStopped?.();
        return;
      }
      setDryRun(null);
      setPriced(null);
      setError(toErrorInfo(timedOut ? dryRunTimedOut(DRY_RUN_TIME_LIMIT_MS) : e));
    } finally {
      clearTimeout(limit);
      if (outstanding.current === controller) outstanding.current = null;
      setBusy('');
      setSentAt(null);
    }
  };

  return (
    <div className="jp-Privet-dp" ref={boxRef}>
      {/* Ctrl/Cmd/Shift+Enter dry-runs (free): spending is only ever the Run button. */}
      <SqlEditor
        className="jp-Privet-sql jp-Privet-dpSql"
        label="DP SQL query"
        value={sql}
        rows={3}
        onChange={(text) => {
          setSql(text);
          setDryRun(null);
          setPriced(null);
        }}
        onRun={() => {
          if (busy === '') void send(false);
        }}
        onStop={stop}
        running={busy !== ''}
        schema={props.schema}
        editors={props.editors ?? null}
      />
      <div className="jp-Privet-sqlActions jp-Privet-dpActions">
        <label className="jp-Privet-epsilon">
          ε{' '}
          <input
            aria-label="epsilon"
            value={epsilon}
            size={6}
            onChange={(e) => {
              setEpsilon(e.target.value);
              setDryRun(null);
              setPriced(null);
            }}
          />
        </label>
        <Button disabled={busy !== ''} onClick={() => void send(false)}>
          Dry run
        </Button>
        <Button
          className="jp-Privet-primary"
          disabled={!canRun}
          aria-describedby={hintId}
          onClick={() => void send(true)}
        >
          Run
        </Button>
        {busy !== '' ? (
          <Button title="Stop waiting for the gateway (Esc in the SQL box)" onClick={stop}>
            Stop
          </Button>
        ) : null}
        <span className="jp-Privet-status" aria-live="polite">
          {busy || status}
          {/* The seconds count for the eye only: a live region would read every tick out. */}
          {busy && waited >= 1 ? <span aria-hidden="true"> {waitedText(waited)}</span> : null}
        </span>
      </div>
      {limits.length > 0 ? (
        <ul className="jp-Privet-hint jp-Privet-dpLimits" aria-label="Per-query limits">
          {limits.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : null}
      <div id={hintId} className="jp-Privet-hint jp-Privet-runHint">
        {runHint(busy !== '', priced !== null, affordable)}
      </div>
      <ErrorBox error={error} />
      {dryRun ? <DryRunView dryRun={dryRun} /> : null}
      {released ? (
        <div className="jp-Privet-released" aria-live="polite">
          Released <code>{released}</code> into the notebook.
        </div>
      ) : null}
    </div>
  );
}
