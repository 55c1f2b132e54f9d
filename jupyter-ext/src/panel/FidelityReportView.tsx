import * as React from 'react';
import type { FidelityReport } from '@privet/core/synth/fidelity-types';

/** A number as a percentage with one decimal. */
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** The per-column plots: the gateway's SVG shown as an image (no script can run in an <img>). */
function Plots(props: { svg: string; view: string }): JSX.Element {
  const [url, setUrl] = React.useState('');
  React.useEffect(() => {
    const made = URL.createObjectURL(new Blob([props.svg], { type: 'image/svg+xml' }));
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [props.svg]);
  return url ? (
    <figure className="jp-Privet-fidelityPlots">
      <img src={url} alt={`Per-column distributions of ${props.view}, real vs synthetic`} />
    </figure>
  ) : (
    <></>
  );
}

/** A synthetic view's fidelity report: TVDs, association differences, utility and plots. */
export function FidelityReportView(props: { report: FidelityReport; svg: string }): JSX.Element {
  const { report, svg } = props;
  const u = report.utility;
  const worst = [...report.correlations.pairs]
    .sort((a, b) => b.difference - a.difference)
    .slice(0, 3);
  return (
    <div className="jp-Privet-fidelity" aria-label={`Fidelity report of ${report.view}`}>
      <p className="jp-Privet-fidelityNote">{report.note}</p>
      <dl className="jp-Privet-manifest">
        <dt>Rows</dt>
        <dd>
          {report.syntheticRows.toLocaleString()} synthetic from {report.realRows.toLocaleString()}{' '}
          real
        </dd>
        <dt>Mean TVD</dt>
        <dd data-fidelity="tvd">
          1-way {report.tvd.oneWay.toFixed(4)} · 2-way {report.tvd.twoWay.toFixed(4)} · 3-way{' '}
          {report.tvd.threeWay.toFixed(4)}
          {report.tvd.threeWaySkipped > 0 ? ` (${report.tvd.threeWaySkipped} skipped)` : ''}
        </dd>
        <dt>Association</dt>
        <dd>
          Cramér&apos;s V differs by {report.correlations.meanDifference.toFixed(3)} on average,{' '}
          {report.correlations.maxDifference.toFixed(3)} at most
          {worst.length > 0
            ? ` (largest: ${worst.map((p) => p.columns.join(' × ')).join('; ')})`
            : ''}
        </dd>
        {u ? (
          <>
            <dt>Utility</dt>
            <dd data-fidelity="utility">
              predicting {u.target}: trained on synthetic {pct(u.accuracySyntheticOnReal)}, on real{' '}
              {pct(u.accuracyRealOnReal)}, majority class {pct(u.accuracyMajority)}
            </dd>
          </>
        ) : null}
      </dl>
      <table className="jp-Privet-columns">
        <thead>
          <tr>
            <th>column</th>
            <th>TVD real vs synthetic</th>
          </tr>
        </thead>
        <tbody>
          {report.columns.map((c) => (
            <tr key={c.name}>
              <td>{c.name}</td>
              <td>{c.tvd.toFixed(4)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Plots svg={svg} view={report.view} />
    </div>
  );
}
