import * as React from 'react';
import { rowCountHint, rowCountText } from '@privet/core/client/index';
import type { QueryResult } from '../engine.js';

/** A scrollable result grid with a sticky header; SQL NULL shown as a dimmed "NULL". */
export function ResultTable(props: { result: QueryResult }): JSX.Element {
  const { columns, rows, elapsedMs } = props.result;
  const count = rowCountText(props.result);
  return (
    <div className="jp-Privet-result">
      <div className="jp-Privet-resultMeta">
        {count} · {elapsedMs.toFixed(0)} ms
        {rowCountHint(props.result)}
      </div>
      {/* Focusable so keyboard users can scroll a wide or long result with the arrow keys. */}
      <div
        className="jp-Privet-tableScroll"
        tabIndex={0}
        role="region"
        aria-label={`Query result, ${count}`}
      >
        <table className="jp-Privet-table">
          <thead>
            <tr>
              {columns.map((c, i) => (
                <th key={i}>{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, r) => (
              <tr key={r}>
                {row.map((value, c) =>
                  value === null ? (
                    <td key={c} className="jp-Privet-null">
                      NULL
                    </td>
                  ) : (
                    <td key={c}>{value}</td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
