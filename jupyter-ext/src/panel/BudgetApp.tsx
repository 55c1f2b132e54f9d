import * as React from 'react';
import type { BudgetResponse } from '@privet/core/protocol';
import { perQueryLimitText } from '@privet/core/client/per-query-limit';
import { Rational } from '@privet/core/dp/rational';
import type { Experiment, ExperimentContext } from '../experiment.js';
import type { PrivetSession, SignedIn } from '../session.js';
import { showsOwnNote, type SharedTold } from './gateway-problem.js';
import { BUDGET_HOST } from './gateway-status-model.js';
import { GatewayStatusSlot } from './GatewayStatusSlot.js';
import { LoadStatus } from './LoadStatus.js';
import { RecordApp } from '../record/RecordApp.js';
import { StaleNotice } from './StaleNotice.js';
import { refreshErrorOf, useGatewayLoad, type ShownLoad } from './useGatewayLoad.js';
import { useReportLoad, useStatusHost } from './useGatewayStatus.js';
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

/**
 * Loads the budget of the selected experiment on every change, spend and tick: another
 * experiment or user shows "Loading…" at once (never the last one's figures), and a failed
 * refresh of the same experiment keeps the figures with the error as `refreshError`.
 */
function useBudget(
  signedIn: SignedIn | null,
  experiment: Experiment | null,
  context: ExperimentContext,
  tick: number,
): [ShownLoad<BudgetResponse>, () => void] {
  const [spends, setSpends] = React.useState(0);
  React.useEffect(() => {
    const onSpent = (): void => setSpends((n) => n + 1);
    context.spent.connect(onSpent);
    return () => {
      context.spent.disconnect(onSpent);
    };
  }, [context]);
  const fetch = signedIn && experiment ? () => signedIn.client.budget(experiment.id) : null;
  return useGatewayLoad(fetch, [signedIn, experiment?.id], [experiment, spends, tick], {
    keepOnFailedRefresh: true,
  });
}

/** One dataset's ε and δ gauges, and what the policy lets one query spend of them. */
function BudgetSection(props: { budget: Budget }): JSX.Element {
  const { budget } = props;
  const limit = perQueryLimitText(budget);
  return (
    <section className="jp-Privet-budget" data-source={budget.source}>
      <h3 className="jp-Privet-heading">
        {budget.source}
        {budget.user ? ` (${budget.user})` : ''}
      </h3>
      <Gauge label="ε" figure="epsilon" budget={budget} />
      <Gauge label="δ" figure="delta" budget={budget} />
      {limit ? <p className="jp-Privet-perQuery">{limit}</p> : null}
    </section>
  );
}

/**
 * An exact amount the gateway writes as "p/q" or a decimal, as the gauges show amounts: a decimal
 * (e.g. "1/2" → "0.5"; "≈0.333333" when it has no short one). Unreadable text is shown as it is.
 */
export function amountText(exact: string): string {
  try {
    return Rational.from(exact).toDisplayString();
  } catch {
    return exact;
  }
}

/** The charges of the experiment, newest first. */
function Charges(props: { charges: BudgetResponse['charges'] }): JSX.Element {
  const { charges } = props;
  return (
    <>
      <h3 className="jp-Privet-heading">Charges</h3>
      {charges.length === 0 ? <p>No queries yet.</p> : null}
      <ul className="jp-Privet-charges">
        {[...charges].reverse().map((c) => (
          <li key={c.reservationId} className="jp-Privet-charge" tabIndex={0}>
            <div>
              <span>{new Date(c.closedAt ?? c.reservedAt).toLocaleString()}</span> ·{' '}
              <strong>{c.user}</strong> · ε {amountText(c.epsilon)}
              {c.delta !== '0' ? `, δ ${amountText(c.delta)}` : ''} · {c.status}
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
    </>
  );
}

/** Props of BudgetView: the experiment and what is loaded of its budget. */
export interface BudgetViewProps {
  experiment: Experiment;
  budget: ShownLoad<BudgetResponse>;
  /** Loads the budget again. */
  retry: () => void;
  /** How its failure is told (useReportLoad); its own error and Retry unless given. */
  told?: SharedTold;
}

/**
 * The budget of one experiment under its heading: loading, the error with Retry, or the gauges
 * and charges, with a failed refresh's error (and that the figures may be out of date) on top.
 */
export function BudgetView(props: BudgetViewProps): JSX.Element {
  const { experiment, budget, retry } = props;
  const loaded = budget.state === 'ready' ? budget.value : null;
  return (
    <>
      <div className="jp-Privet-budgetExperiment">
        {experiment.title} (<code>{experiment.id}</code>) · {experiment.state}
      </div>
      <StaleNotice
        error={showsOwnNote(props.told) ? refreshErrorOf(budget) : null}
        what="the budget figures and charges"
        onRetry={retry}
        busy={budget.state === 'ready' && budget.refreshing === true}
      />
      <LoadStatus
        load={budget.state === 'ready' ? { state: 'ready', value: budget.value.budgets } : budget}
        loading="Loading the privacy budget…"
        empty="No privacy budget is used by this experiment."
        onRetry={retry}
        told={props.told}
        what="The privacy budget"
      />
      {(loaded?.budgets ?? []).map((b) => (
        <BudgetSection key={`${b.source}:${b.user ?? ''}`} budget={b} />
      ))}
      {loaded ? <Charges charges={loaded.charges} /> : null}
    </>
  );
}

/** Per dataset of the selected experiment: ε and δ gauges, then the list of charges. */
export function BudgetApp(props: BudgetAppProps): JSX.Element {
  const { session, context } = props;
  const signedIn = useSignedIn(session);
  const experiment = useSignalValue(context.changed, () => context.selected);
  const [budget, retry] = useBudget(signedIn, experiment, context, props.tick);
  const status = useStatusHost(session, BUDGET_HOST);
  const told = useReportLoad(
    status,
    'privacy budget',
    signedIn && experiment ? budget : null,
    retry,
  );
  const [announced, setAnnounced] = React.useState('');
  const title = React.useRef<HTMLHeadingElement>(null);

  let body: JSX.Element;
  if (!signedIn) body = <p>Sign in in the Privet data panel to see budgets.</p>;
  else if (!experiment) body = <p>Select an experiment in the Privet data panel.</p>;
  else
    body = (
      <>
        <BudgetView experiment={experiment} budget={budget} retry={retry} told={told} />
        <RecordApp signedIn={signedIn} experiment={experiment} tick={props.tick} status={status} />
      </>
    );
  return (
    <div className="jp-Privet-panel">
      <h2 className="jp-Privet-title" tabIndex={-1} ref={title}>
        Privacy budget
      </h2>
      <p className="jp-Privet-srOnly" role="status">
        {announced}
      </p>
      <GatewayStatusSlot
        scope={status}
        session={session}
        focusTarget={title}
        announce={setAnnounced}
      />
      {body}
    </div>
  );
}
