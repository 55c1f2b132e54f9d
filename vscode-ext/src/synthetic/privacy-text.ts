/**
 * A synthetic view's privacy accounting as Markdown for the tree's tooltip: ε, δ, ρ spent and each
 * measurement kind's share, read from the manifest through core's checked reader.
 */
import type { ViewSummary } from '@privet/core/protocol';
import {
  groupMeasurements,
  measurementKindLabel,
  privacyHeadline,
  syntheticPrivacyOf,
} from '@privet/core/synth/manifest-privacy';

/** Markdown lines about the view's privacy, or '' when it is not a published synthetic view. */
export function syntheticPrivacyMarkdown(view: ViewSummary): string {
  const privacy = syntheticPrivacyOf(view.manifest);
  if (!privacy) return '';
  const rows = groupMeasurements(privacy.measurements).map(
    (g) => `| ${measurementKindLabel(g.kind)} | ${g.count} | ${(100 * g.share).toFixed(1)}% |`,
  );
  return [
    `**Privacy:** ${privacyHeadline(privacy)}`,
    '',
    '| measurement | count | share of ρ |',
    '| --- | --- | --- |',
    ...rows,
    '',
    privacy.fidelityVisibleToAnalysts
      ? 'Fidelity report: open it with "Privet: Show Fidelity Report".'
      : 'Fidelity report: computed on raw data, for stewards only.',
  ].join('\n');
}
