import * as React from 'react';
import { Button } from '@jupyterlab/ui-components';
import type { ViewSummary } from '@privet/core/protocol';
import type { FidelityReport } from '@privet/core/synth/fidelity-types';
import {
  groupMeasurements,
  measurementKindLabel,
  privacyHeadline,
  syntheticPrivacyOf,
} from '@privet/core/synth/manifest-privacy';
import { ErrorBox, toErrorInfo, type ErrorInfo } from './ErrorBox.js';
import { FidelityReportView } from './FidelityReportView.js';

/** How the card reaches a synthetic view's fidelity report. */
export interface FidelityAccess {
  /** Stewards always see reports; others only when a view's policy shows it to analysts. */
  isSteward: boolean;
  /** Loads the report and its SVG plots from the gateway. */
  load: (view: string) => Promise<{ report: FidelityReport; svg: string }>;
  /** Shows a loaded report in a main-area tab, where it has room (absent: the card only). */
  openInTab?: (loaded: { report: FidelityReport; svg: string }) => void;
}

/** The privacy accounting of a synthetic view, from its manifest: ε, δ and where ρ went. */
function PrivacySummary(props: { view: ViewSummary }): JSX.Element | null {
  const privacy = syntheticPrivacyOf(props.view.manifest);
  if (!privacy) return null;
  const groups = groupMeasurements(privacy.measurements);
  return (
    <div className="jp-Privet-synthPrivacy">
      <dl className="jp-Privet-manifest">
        <dt>Privacy</dt>
        <dd data-privacy="budget">{privacyHeadline(privacy)}</dd>
        <dt>Mechanism</dt>
        <dd className="jp-Privet-mechanism">{privacy.mechanism}</dd>
      </dl>
      <table className="jp-Privet-columns" aria-label="Share of the privacy budget per measurement">
        <thead>
          <tr>
            <th>measurement</th>
            <th>count</th>
            <th>share of ρ</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.kind} data-measurement={g.kind}>
              <td>{measurementKindLabel(g.kind)}</td>
              <td>{g.count}</td>
              <td>{(100 * g.share).toFixed(1)}%</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The fidelity part of a synthetic card: a button that loads the report, or why it is hidden. */
function Fidelity(props: { view: ViewSummary; access: FidelityAccess }): JSX.Element {
  const [state, setState] = React.useState<
    | { kind: 'idle' }
    | { kind: 'loading' }
    | { kind: 'shown'; report: FidelityReport; svg: string }
    | { kind: 'failed'; error: ErrorInfo }
  >({ kind: 'idle' });
  const allowed =
    props.access.isSteward ||
    syntheticPrivacyOf(props.view.manifest)?.fidelityVisibleToAnalysts === true;
  if (!allowed) {
    return (
      <p className="jp-Privet-fidelityHidden">
        Fidelity report: computed on raw data, shown to stewards only by this view&apos;s policy.
      </p>
    );
  }
  if (state.kind === 'shown') {
    const { report, svg } = state;
    const openInTab = props.access.openInTab;
    return (
      <>
        {openInTab ? (
          <div className="jp-Privet-viewActions">
            <Button small onClick={() => openInTab({ report, svg })}>
              Open in a tab
            </Button>
          </div>
        ) : null}
        <FidelityReportView report={report} svg={svg} />
      </>
    );
  }
  return (
    <div className="jp-Privet-viewActions">
      <Button
        small
        disabled={state.kind === 'loading'}
        onClick={() => {
          setState({ kind: 'loading' });
          props.access.load(props.view.name).then(
            (loaded) => setState({ kind: 'shown', ...loaded }),
            (e: unknown) => setState({ kind: 'failed', error: toErrorInfo(e) }),
          );
        }}
      >
        {state.kind === 'loading' ? 'Loading fidelity report…' : 'Show fidelity report'}
      </Button>
      {state.kind === 'failed' ? <ErrorBox error={state.error} /> : null}
    </div>
  );
}

/** What a published synthetic view adds to its card: privacy accounting and fidelity. */
export function SyntheticDetails(props: {
  view: ViewSummary;
  fidelity: FidelityAccess;
}): JSX.Element | null {
  if (props.view.tier !== 'synthetic' || !props.view.published) return null;
  return (
    <section className="jp-Privet-synthetic">
      <PrivacySummary view={props.view} />
      <Fidelity view={props.view} access={props.fidelity} />
    </section>
  );
}
