import * as React from 'react';
import { Button } from '@jupyterlab/ui-components';
import type { ViewManifest, ViewSummary } from '@privet/core/protocol';
import { linkedRowsCaveat } from '@privet/core/policy/linking';
import { hasLoadableRows } from '@privet/core/client/view-query';
import { OperatorCode } from './OperatorCode.js';
import { SyntheticDetails, type FidelityAccess } from './SyntheticDetails.js';

/** Props of one view's card. */
export interface ViewCardProps {
  view: ViewSummary;
  /** Why the selected experiment cannot use this view (null: usable). */
  unusable: string | null;
  onPreview: (view: ViewSummary) => void;
  onUseInNotebook: (view: ViewSummary) => void;
  /** A DP view's "DP query": its count goes into the DP query box (absent: no button). */
  onDpQuery?: (view: ViewSummary) => void;
  /** How a synthetic view's fidelity report is reached. */
  fidelity: FidelityAccess;
}

/** First 12 hex digits of a SHA-256, with the full value as a tooltip. */
function Hash(props: { value: string }): JSX.Element {
  return (
    <code className="jp-Privet-hash" title={props.value}>
      {props.value.slice(0, 12)}
    </code>
  );
}

function Manifest(props: { manifest: ViewManifest }): JSX.Element {
  const m = props.manifest;
  return (
    <dl className="jp-Privet-manifest">
      <dt>Published</dt>
      <dd>{new Date(m.publishedAt).toLocaleString()}</dd>
      <dt>Rows</dt>
      <dd>
        {m.rows.toLocaleString()} ({m.rowsSuppressed.toLocaleString()} suppressed)
      </dd>
      {m.kAnonymity ? (
        <>
          <dt>k-anonymity</dt>
          <dd>
            k={m.kAnonymity.k} on {m.kAnonymity.quasiIdentifiers.join(', ')}; smallest class{' '}
            {m.kAnonymity.smallestClass} {m.kAnonymity.smallestClass === 1 ? 'person' : 'people'}
            {m.kAnonymity.linkedBy?.length ? (
              <div className="jp-Privet-linkedRows" role="note">
                {linkedRowsCaveat(m.kAnonymity.k, m.kAnonymity.linkedBy)}.
              </div>
            ) : null}
          </dd>
        </>
      ) : null}
      <dt>Source hash</dt>
      <dd>
        <Hash value={m.sourceHash} />
      </dd>
      <dt>Policy hash</dt>
      <dd>
        <Hash value={m.policyHash} />
      </dd>
      <dt>Parquet hash</dt>
      <dd>
        <Hash value={m.parquetHash} />
      </dd>
    </dl>
  );
}

/** One view: name, tier badge, row count; expands to columns with operators and provenance. */
export function ViewCard(props: ViewCardProps): JSX.Element {
  const { view } = props;
  const rows = view.rows ?? view.manifest?.rows;
  const usable = props.unusable === null;
  return (
    <li
      className={`jp-Privet-view${usable ? '' : ' jp-Privet-viewDisabled'}`}
      data-view={view.name}
      data-usable={usable}
    >
      <details>
        <summary>
          <span className="jp-Privet-viewName">{view.name}</span>
          <span className={`jp-Privet-badge jp-Privet-badge-${view.tier}`}>{view.tier}</span>
          <span className="jp-Privet-rows">
            {rows !== undefined
              ? `${rows.toLocaleString()} rows`
              : view.tier === 'dp'
                ? 'aggregates only'
                : ''}
            {view.tier !== 'dp' && !view.published
              ? view.unreadable
                ? 'unreadable'
                : 'not published'
              : ''}
          </span>
        </summary>
        {view.unreadable ? (
          <div className="jp-Privet-error" role="note">
            {view.unreadable.message}. Fix: {view.unreadable.fix}.
          </div>
        ) : null}
        {view.description ? <p className="jp-Privet-description">{view.description}</p> : null}
        <div className="jp-Privet-source">source: {view.source}</div>
        <table className="jp-Privet-columns">
          <thead>
            <tr>
              <th>column</th>
              <th>type</th>
              <th>operator</th>
            </tr>
          </thead>
          <tbody>
            {view.columns.map((c) => (
              <tr key={c.name}>
                <td>{c.name}</td>
                <td>{c.type}</td>
                <td>
                  <OperatorCode text={c.operator} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {view.manifest ? <Manifest manifest={view.manifest} /> : null}
        <SyntheticDetails view={view} fidelity={props.fidelity} />
      </details>
      {view.manifest?.warnings?.length ? (
        <ul className="jp-Privet-viewWarnings" aria-label={`Warnings about ${view.name}`}>
          {view.manifest.warnings.map((w) => (
            <li key={w.column} data-column={w.column}>
              <code>{w.column}</code>: {w.message}. Fix: {w.fix}.
            </li>
          ))}
        </ul>
      ) : null}
      {usable ? null : <div className="jp-Privet-unusable">Unavailable: {props.unusable}</div>}
      {usable && view.tier === 'dp' && props.onDpQuery ? (
        <div className="jp-Privet-viewActions">
          <Button
            small
            aria-label={`DP query: ${view.name}`}
            title="Put a count of this view in the DP query box: a dry run prices it, nothing is spent"
            onClick={() => props.onDpQuery?.(view)}
          >
            DP query
          </Button>
        </div>
      ) : null}
      {usable && hasLoadableRows(view) ? (
        <div className="jp-Privet-viewActions">
          {/* Each card has these buttons: their names say which view (the visible text first). */}
          <Button small aria-label={`Preview: ${view.name}`} onClick={() => props.onPreview(view)}>
            Preview
          </Button>
          <Button
            small
            aria-label={`Use in notebook: ${view.name}`}
            onClick={() => props.onUseInNotebook(view)}
          >
            Use in notebook
          </Button>
        </div>
      ) : null}
    </li>
  );
}
