/** The output that replaces a withheld one in an export bundle, and how verifiers recognise it. */
import type { DisplayOutput } from '@privet/core/review/index';

const PREFIX = '[withheld by Privet review: rules ';
const RULE_LIST = /^\[withheld by Privet review: rules [a-z0-9, -]{1,400}\]$/;

/** A display_data output saying the original was withheld and which rules held it. */
export function placeholderOutput(rules: readonly string[]): DisplayOutput {
  const list = rules.length > 0 ? [...rules].sort().join(', ') : 'not-approved';
  return { output_type: 'display_data', data: { 'text/plain': `${PREFIX}${list}]` }, metadata: {} };
}

/** True when `value` is exactly a placeholder output (and carries nothing else). */
export function isPlaceholder(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o).sort().join(',');
  if (keys !== 'data,metadata,output_type' || o.output_type !== 'display_data') return false;
  const meta = o.metadata;
  if (typeof meta !== 'object' || meta === null || Object.keys(meta).length > 0) return false;
  const data = o.data as Record<string, unknown> | null;
  if (typeof data !== 'object' || data === null || Object.keys(data).join(',') !== 'text/plain')
    return false;
  const text = data['text/plain'];
  return typeof text === 'string' && RULE_LIST.test(text);
}
