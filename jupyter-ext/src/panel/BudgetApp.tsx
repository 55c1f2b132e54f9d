import * as React from 'react';
import type { BudgetResponse } from '@privet/core/protocol';
import type { Experiment, ExperimentContext } from '../experiment.js';
import type { PrivetSession, SignedIn } from '../session.js';
import { ErrorBox, toErrorInfo, type ErrorInfo } from './ErrorBox.js';
import { RecordApp } from '../record/RecordApp.js';
import { useSignalValue, useSignedIn } from './useSignalValue.js';

/** Props of the budget sidebar's React tree. */
export interface BudgetAppProps {
  session: PrivetSession;
  context: ExperimentContext;
  /** Changes whenever the sidebar asks for a refresh (timer while visible). */
  tick: number;
}

type Budget = BudgetResponse['budgets'][number];

/**
 * A gauge of spent (and reserved: held by queries still running) of total for one of ε or δ; the
 * reserved part is in the text and the meter's value text too, not only in the bar's colour.
 */
export function Gauge(props: {
  label: string;
  figure: 'epsilon' | 'delta';
  budget: Budget;
}): JSX.Element {
  const { budget, figure } = props;
  const total = budget.total[figure].value;
  const spent = budget.spent[figure].value;
  const reserved = budget.reserved[figure].value;
  const reservedText = reserved > 0 ? `${budget.reserved[figure].text} reserved` : '';
  const pct = (x: number): number => (total > 0 ? Math.min(100, (x / total) * 100) : 0);
  return (
    <div className="jp-Privet-gauge" data-figure={figure}>
      <div className="jp-Privet-gaugeLabel">
        {props.label} spent <strong className="jp-Privet-spent">{budget.spent[figure].text}</strong>{' '}
        of <span className="jp-Privet-total">{budget.total[figure].text}</span>
        {reservedText ? (
          <>
            {' '}
            · <span className="jp-Privet-reserved">{reservedText}</span>
          </>
        ) : null}{' '}
        · left <span className="jp-Privet-remaining">{budget.remaining[figure].text}</span>
      </div>
      <div
        className="jp-Privet-gaugeBar"
        role="meter"
        tabIndex={0}
        aria-label={`${props.label} spent of ${budget.source}`}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={spent}
        aria-valuetext={`${budget.spent[figure].text} of ${budget.total[figure].text} spent${reservedText ? `, ${reservedText}` : ''}`}
      >
        <div className="jp-Privet-gaugeSpent" style={{ width: `${pct(spent)}%` }} />
        <div className="jp-Privet-gaugeReserved" style={{ width: `${pct(reserved)}%` }} />
      </div>
    </div>
  );
}

/** Loads the budget of the selected experiment on every change, spend and tick. */
function useBudget(
  signedIn: SignedIn | null,
  experiment: Experiment | null,
  context: ExperimentContext,
  tick: number,
): [BudgetResponse | null, ErrorInfo | null] {
  const [budget, setBudget] = React.useState<BudgetResponse | null>(null);
  const [error, setError] = React.useState<ErrorInfo | null>(null);
  const [spends, setSpends] = React.useState(0);
  React.useEffect(() => {
    const onSpent = (): void => setSpends((n) => n + 1);
    context.spent.connect(onSpent);
    return () => {
      context.spent.disconnect(onSpent);
    };
  }, [context]);
  React.useEffect(() => {
    if (!signedIn || !experiment) {
      setBudget(null);
      return;
    }
    let live = true;
    signedIn.client.budget(experiment.id).then(
      (b) => {
        if (!live) return;
        setBudget(b);
        setError(null);
      },
      (e: unknown) => live && setError(toErrorInfo(e)),
    );
    return () => {
      live = false;
    };
  }, [signedIn, experiment, spends, tick]);
  return [budget, error];
}

/** Per dataset of the selected experiment: ε and δ gauges, then the list of charges. */
export function BudgetApp(props: BudgetAppProps): JSX.Element {
  const { session, context } = props;
  const signedIn = useSignedIn(session);
  const experiment = useSignalValue(context.changed, () => context.selected);
  const [budget, error] = useBudget(signedIn, experiment, context, props.tick);

  let body: JSX.Element;
  if (!signedIn) body = <p>Sign in in the Privet data panel to see budgets.</p>;
  else if (!experiment) body = <p>Select an experiment in the Privet data panel.</p>;
  else
    body = (
      <>
        <div className="jp-Privet-budgetExperiment">
          {experiment.title} <code>{experiment.id}</code> · {experiment.state}
        </div>
        {budget?.budgets.length === 0 ? <p>No privacy budget is used by this experiment.</p> : null}
        {budget?.budgets.map((b) => (
          <section
            key={`${b.source}:${b.user ?? ''}`}
            className="jp-Privet-budget"
            data-source={b.source}
          >
            <h3 className="jp-Privet-heading">
              {b.source}
              {b.user ? ` (${b.user})` : ''}
            </h3>
            <Gauge label="ε" figure="epsilon" budget={b} />
            <Gauge label="δ" figure="delta" budget={b} />
          </section>
        ))}
        <h3 className="jp-Privet-heading">Charges</h3>
        {budget && budget.charges.length === 0 ? <p>No queries yet.</p> : null}
        <ul className="jp-Privet-charges">
          {[...(budget?.charges ?? [])].reverse().map((c) => (
            <li key={c.reservationId} className="jp-Privet-charge" tabIndex={0}>
              <div>
                <span>{new Date(c.closedAt ?? c.reservedAt).toLocaleString()}</span> ·{' '}
                <strong>{c.user}</strong> · ε {c.epsilon}
                {c.delta !== '0' ? `, δ ${c.delta}` : ''} · {c.status}
              </div>
              <code className="jp-Privet-chargeQuery">{c.query}</code>
              {c.releaseId ? (
                <div className="jp-Privet-chargeRelease">
                  release <code>{c.releaseId}</code>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
        <RecordApp signedIn={signedIn} experiment={experiment} tick={props.tick} />
      </>
    );
  return (
    <div className="jp-Privet-panel">
      <h2 className="jp-Privet-title">Privacy budget</h2>
      {body}
      <ErrorBox error={error} />
    </div>
  );
}
