/** Vega-lite charts as the per-group counts they draw (`aggregate: count` over inline rows). */
import { countTable } from './count-tables.js';
import { isRecord, show, type Json } from './json-value.js';
import type { Table } from './table.js';

/** Vega-lite: an encoding with `aggregate: count` over inline rows displays per-group counts. */
function vegaCounts(mime: string, spec: Record<string, Json>): Table[] {
  const enc = spec.encoding;
  const data = spec.data;
  if (!isRecord(enc) || !isRecord(data) || !Array.isArray(data.values)) return [];
  const channels = Object.values(enc).filter(isRecord);
  if (!channels.some((c) => c.aggregate === 'count')) return [];
  const keys = channels
    .filter((c) => c.aggregate === undefined && typeof c.field === 'string')
    .map((c) => show(c.field));
  if (keys.length === 0) return [];
  const rows = data.values.filter(isRecord).map((r) => keys.map((k) => show(r[k])).join(' / '));
  return countTable(mime, rows, keys.join(' / '), 'vega-lite');
}

/**
 * The per-group counts a vega-lite spec draws: its encoding's, and its layers' and concatenated
 * views' (each over its own inline data, else the spec's).
 */
export function vegaLiteCounts(mime: string, value: Record<string, Json>): Table[] {
  const tables: Table[] = [...vegaCounts(mime, value)];
  for (const k of ['layer', 'concat', 'hconcat', 'vconcat'] as const) {
    const sub = value[k];
    if (!Array.isArray(sub)) continue;
    for (const x of sub)
      if (isRecord(x))
        tables.push(...vegaCounts(mime, isRecord(x.data) ? x : { ...x, data: value.data ?? null }));
  }
  return tables;
}
