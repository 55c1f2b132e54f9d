import * as React from 'react';
import { MAX_DISPLAY_ROWS, type QueryResult } from '../engine.js';

/** A scrollable result grid with a sticky header; SQL NULL shown as a dimmed "NULL". */
export function ResultTable(props: { result: QueryResult }): JSX.Element {
  const { columns, rows, totalRows, elapsedMs } = props.result;
  const shown = rows.length < totalRows ? `first ${rows.length} of ${totalRows}` : `${totalRows}`;
  return (
    <div className="jp-Privet-result">
      <div className="jp-Privet-resultMeta">
        {shown} row{totalRows === 1 ? '' : 's'} · {elapsedMs.toFixed(0)} ms
        {totalRows > MAX_DISPLAY_ROWS ? ' · add LIMIT or aggregate to see the rest' : ''}
      </div>
      {/* Focusable so keyboard users can scroll a wide or long result with the arrow keys. */}
      <div
        className="jp-Privet-tableScroll"
        tabIndex={0}
        role="region"
        aria-label={`Query result, ${totalRows} row${totalRows === 1 ? '' : 's'}`}
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
