/** The output that replaces a withheld one in an export bundle, and how verifiers recognise it. */
import type { DisplayOutput } from '@privet/core/review/index';

const PREFIX = '[withheld by Privet review: rules ';
const RULE_LIST = /^\[withheld by Privet review: rules [a-z0-9, -]{1,400}\]$/;

/** The text that replaces a withheld output or cell source: which rules held it. */
export function placeholderText(rules: readonly string[]): string {
  const list = rules.length > 0 ? [...rules].sort().join(', ') : 'not-approved';
  return `${PREFIX}${list}]`;
}

/** True when `text` is exactly a placeholder text. */
export function isPlaceholderText(text: unknown): boolean {
  return typeof text === 'string' && RULE_LIST.test(text);
}

/** A display_data output saying the original was withheld and which rules held it. */
export function placeholderOutput(rules: readonly string[]): DisplayOutput {
  return {
    output_type: 'display_data',
    data: { 'text/plain': placeholderText(rules) },
    metadata: {},
  };
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
  return isPlaceholderText(data['text/plain']);
}
