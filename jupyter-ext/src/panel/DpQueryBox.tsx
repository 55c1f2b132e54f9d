/**
 * DP SQL on the gateway: "Dry run" prices a query (free) and shows its errors and the budget left
 * afterwards; "Run" spends and hands the release to the notebook. Why the dry run is kept next to
 * the Run button: the analyst should see the cost of exactly the SQL and ε that Run will send.
 */
import * as React from 'react';
import { Button } from '@jupyterlab/ui-components';
import type { DpDryRunWithBudget, DpRelease } from '@privet/core/protocol';
import type { GatewayClient } from '../client.js';
import { DryRunView } from './DryRunView.js';
import { ErrorBox, toErrorInfo, type ErrorInfo } from './ErrorBox.js';

/** Props of the DP query box. */
export interface DpQueryBoxProps {
  client: GatewayClient;
  experiment: string;
  /** The dp views the experiment may query (for the placeholder query). */
  views: string[];
  /** Called with each release after a run spent budget. */
  onRelease: (release: DpRelease) => Promise<void>;
}

/** SQL box, ε field, Dry run and Run buttons, dry-run result and inline refusals. */
export function DpQueryBox(props: DpQueryBoxProps): JSX.Element {
  const { client, experiment } = props;
  const first = props.views[0] ?? 'patients_dp';
  const [sql, setSql] = React.useState(`SELECT COUNT(*) AS n FROM ${first}`);
  const [epsilon, setEpsilon] = React.useState('0.5');
  const [busy, setBusy] = React.useState('');
  const [dryRun, setDryRun] = React.useState<DpDryRunWithBudget | null>(null);
  const [error, setError] = React.useState<ErrorInfo | null>(null);
  const [released, setReleased] = React.useState<string | null>(null);

  const send = async (run: boolean): Promise<void> => {
    setError(null);
    setReleased(null);
    setBusy(run ? 'Running (spends budget)…' : 'Pricing…');
    try {
      const body = { experiment, sql, epsilon: epsilon.trim() || undefined, dryRun: !run };
      const result = await client.dpQuery(body);
      if (result.dryRun) {
        setDryRun(result as DpDryRunWithBudget);
      } else {
        setDryRun(null);
        await props.onRelease(result.release);
        setReleased(result.release.releaseId);
      }
    } catch (e) {
      setDryRun(null);
      setError(toErrorInfo(e));
    } finally {
      setBusy('');
    }
  };

  return (
    <div className="jp-Privet-dp">
      <textarea
        className="jp-Privet-sql jp-Privet-dpSql"
        aria-label="DP SQL query"
        value={sql}
        spellCheck={false}
        rows={3}
        onChange={(e) => {
          setSql(e.target.value);
          setDryRun(null);
        }}
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
            }}
          />
        </label>
        <Button disabled={busy !== ''} onClick={() => void send(false)}>
          Dry run
        </Button>
        <Button
          className="jp-Privet-primary"
          disabled={busy !== ''}
          onClick={() => void send(true)}
        >
          Run
        </Button>
        <span className="jp-Privet-status" aria-live="polite">
          {busy}
        </span>
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
