// Why: a synthetic view's manifest carries its privacy accounting as an open `privacy` block
// (written by the gateway). The panels show it to analysts — ε, δ, what was measured and each
// measurement's share — so they read it through one checked shape instead of guessing at fields.
import { parseRational } from '../dp/rational.js';
import type { ViewManifest } from '../protocol.js';

/** One measurement of a synthetic view, as the manifest lists it. */
export interface SyntheticMeasurementSummary {
  /** `one-way`, `select`, `marginal`, `domain`, … */
  kind: string;
  attrs: string[];
  /** Share of the view's ρ (0..1). */
  share: number;
}

/** The privacy block of a synthetic view's manifest, as the panels read it. */
export interface SyntheticPrivacySummary {
  mechanism: string;
  epsilon: number;
  delta: number;
  rho: { total: string; spent: string };
  measurements: SyntheticMeasurementSummary[];
  seedHash: string;
  fidelityVisibleToAnalysts: boolean;
}

/** Measurements of one kind together: how many and their summed share of ρ. */
export interface MeasurementGroup {
  kind: string;
  count: number;
  share: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function measurementOf(v: unknown): SyntheticMeasurementSummary | undefined {
  if (!isRecord(v) || typeof v.kind !== 'string' || typeof v.share !== 'number') return undefined;
  const attrs = Array.isArray(v.attrs) ? v.attrs.filter((a) => typeof a === 'string') : [];
  return { kind: v.kind, attrs, share: v.share };
}

/**
 * The privacy block of a published synthetic view, or undefined when the manifest has none or it
 * does not have the expected shape (an older gateway, a masked view).
 */
export function syntheticPrivacyOf(
  manifest: ViewManifest | undefined,
): SyntheticPrivacySummary | undefined {
  const p = manifest?.tier === 'synthetic' ? manifest.privacy : undefined;
  if (!isRecord(p)) return undefined;
  const { mechanism, epsilon, delta, rho, measurements, seedHash } = p;
  if (typeof mechanism !== 'string' || typeof epsilon !== 'number' || typeof delta !== 'number')
    return undefined;
  if (!isRecord(rho) || typeof rho.total !== 'string' || typeof rho.spent !== 'string')
    return undefined;
  if (!Array.isArray(measurements)) return undefined;
  const list = measurements.map(measurementOf);
  if (list.some((m) => m === undefined)) return undefined;
  return {
    mechanism,
    epsilon,
    delta,
    rho: { total: rho.total, spent: rho.spent },
    measurements: list as SyntheticMeasurementSummary[],
    seedHash: typeof seedHash === 'string' ? seedHash : '',
    fidelityVisibleToAnalysts: p.fidelityVisibleToAnalysts === true,
  };
}

/** Groups measurements by kind, in order of first appearance, with their summed shares. */
export function groupMeasurements(
  measurements: readonly SyntheticMeasurementSummary[],
): MeasurementGroup[] {
  const groups = new Map<string, MeasurementGroup>();
  for (const m of measurements) {
    const g = groups.get(m.kind) ?? { kind: m.kind, count: 0, share: 0 };
    g.count++;
    g.share += m.share;
    groups.set(m.kind, g);
  }
  return [...groups.values()];
}

/** An exact ρ from a manifest ("n/d") as short decimal text ("≈0.0117"); other text as it is. */
export function rhoDisplay(text: string): string {
  try {
    return parseRational(text).toDisplayString(4);
  } catch {
    return text;
  }
}

/** Human names of the measurement kinds a synthetic manifest lists. */
const KIND_LABELS: Readonly<Record<string, string>> = {
  domain: 'domain discovery and bounds',
  'one-way': '1-way marginals',
  select: 'marginal selection',
  marginal: 'pair marginals',
};

/** A measurement kind in words (unknown kinds as they are). */
export function measurementKindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind;
}

/** The budget line both panels show: "ε = 1, δ = 1e-9 (ρ spent ≈0.0130 of ≈0.0144)". */
export function privacyHeadline(privacy: SyntheticPrivacySummary): string {
  return (
    `ε = ${privacy.epsilon}, δ = ${privacy.delta} ` +
    `(ρ spent ${rhoDisplay(privacy.rho.spent)} of ${rhoDisplay(privacy.rho.total)})`
  );
}
