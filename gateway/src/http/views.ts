/** Builds the view listing users see: policy metadata plus each published view's manifest. */
import type {
  ColumnProvenance,
  Policy,
  SyntheticView,
  View,
  ViewManifest,
  ViewSummary,
} from '@privet/core';
import { syntheticPrivacyOf } from '@privet/core/synth/manifest-privacy';
import { describeOperator } from '@privet/core/mask/index';
import { readManifest, UnreadableManifestError } from '../publish/index.js';
import {
  DECLARATION_PARTS,
  sourceDeclarations,
  type DeclarationPart,
} from '../publish/synthetic.js';
import { HttpError } from './errors.js';
import {
  declared,
  indexedIdentifierColumns,
  publishedColumnNames,
} from '@privet/core/policy/lookup';

function policyColumns(policy: Policy, view: View): ColumnProvenance[] {
  const source = policy.sources[view.source];
  return publishedColumnNames(view).map((name) => ({
    name,
    type: source?.columns[name]?.type ?? 'unknown',
    operator:
      view.tier === 'masked'
        ? describeOperator(view.columns[name]!)
        : view.tier === 'dp'
          ? 'dp aggregates only'
          : 'synthesized',
  }));
}

/**
 * How the published view differs from its definition in the loaded policy, or undefined when it
 * does not: for a masked view a column's operator, a column added or dropped, its k-anonymity
 * (k, quasi-identifiers, and the privacy unit its classes counted), the identifier columns of any
 * source its values were checked against;
 * for a synthetic view its source's privacy unit, a column added or dropped, a column's prefix,
 * its ε or δ, the source's declaration of a column (its type, bounds, categories, years). A steward
 * who tightens a view or a declared domain and restarts the gateway must not find analysts still
 * reading the looser version: its rows are refused until it is published again.
 */
export function staleDefinition(
  policy: Policy,
  view: View,
  manifest: ViewManifest,
): string | undefined {
  if (view.tier === 'dp') return undefined;
  if (manifest.source !== view.source)
    return `it was made from source "${manifest.source}", and the policy now names "${view.source}"`;
  if (view.tier === 'synthetic') return staleSynthetic(view, manifest, policy);
  const published = new Map(manifest.columns.map((c) => [c.name, c.operator]));
  const wanted = new Map(policyColumns(policy, view).map((c) => [c.name, c.operator]));
  for (const [name, operator] of published) {
    const now = wanted.get(name);
    if (now === undefined) return `column "${name}" is published, and the policy now drops it`;
    if (now !== operator)
      return `column "${name}" is published as ${operator}, and the policy now says ${now}`;
  }
  for (const name of wanted.keys())
    if (!published.has(name)) return `column "${name}" is new in the policy`;
  const k = view.k_anonymity;
  const was = manifest.kAnonymity;
  const qis = (list: readonly string[] | undefined) => [...(list ?? [])].sort().join(', ');
  if (k?.k !== was?.k || qis(k?.quasi_identifiers) !== qis(was?.quasiIdentifiers))
    return `its k-anonymity was ${was ? `k=${was.k} over ${qis(was.quasiIdentifiers)}` : 'not set'}, and the policy now asks ${k ? `k=${k.k} over ${qis(k.quasi_identifiers)}` : 'none'}`;
  // The leak check compared the values with the identifiers declared then: one declared since
  // (`identifier: true` on a column the view keeps) was never looked for.
  const checked = (manifest.leakChecked ?? []).join(', ');
  const identifiers = indexedIdentifierColumns(policy).join(', ');
  if (manifest.leakChecked === undefined)
    return 'its manifest does not say which identifier columns its values were checked against';
  if (checked !== identifiers)
    return `its values were checked against the identifier columns ${checked || '(none)'}, and the policy now declares ${identifiers || 'none'}`;
  // Classes count distinct privacy units: k visits may be fewer than k people.
  const unit = declared(policy.sources, view.source)?.privacy_unit;
  if (k && was?.privacyUnit !== unit)
    return was?.privacyUnit === undefined
      ? `its manifest does not say which privacy unit its k-anonymity counted (the policy's is "${unit ?? '(none)'}")`
      : `its k-anonymity counted distinct "${was.privacyUnit}" values, and the policy's privacy unit is now "${unit ?? '(none)'}"`;
  return undefined;
}

/** A view as listed: its summary, with why its manifest cannot be read when it cannot. */
export type ListedView = ViewSummary;

/**
 * Summarises one view for listing; reads its manifest when it has been published. A manifest that
 * cannot be read is an HttpError (409) naming the file and the fix, so its rows, report and details
 * are never served unchecked.
 */
export function summarizeView(policy: Policy, stateDir: string, name: string): ViewSummary {
  const { unreadable, ...summary } = describeView(policy, stateDir, name);
  if (unreadable) throw new HttpError('conflict', unreadable.message, unreadable.fix);
  return summary;
}

/** Summarises every view of the policy, in policy order; an unreadable one is marked, not fatal. */
export function listViews(policy: Policy, stateDir: string): ListedView[] {
  return Object.keys(policy.views).map((name) => describeView(policy, stateDir, name));
}

/** The manifest of a published view, or why it cannot be read (relative path: no server layout). */
function manifestOf(
  stateDir: string,
  name: string,
): { manifest?: ViewManifest; unreadable?: ListedView['unreadable'] } {
  try {
    return { manifest: readManifest(stateDir, name) };
  } catch (err) {
    if (!(err instanceof UnreadableManifestError)) throw err;
    const file = `views/${name}/manifest.json`;
    return {
      unreadable: {
        message: `view "${name}" cannot be served: ${err.what.replace(err.path, `${file} in the gateway's state folder`)}`,
        fix: `a steward publishes it again (\`privet publish --policy FILE --state DIR --view ${name}\` or Publish in the Privet panel), which replaces its whole folder`,
      },
    };
  }
}

function describeView(policy: Policy, stateDir: string, name: string): ListedView {
  const view = declared(policy.views, name);
  if (!view) {
    throw new HttpError(
      'not_found',
      `no view named "${name}"`,
      'list the views with GET /api/v1/views and use one of their names',
    );
  }
  const { manifest, unreadable } = view.tier === 'dp' ? {} : manifestOf(stateDir, name);
  const summary: ListedView = {
    name,
    tier: view.tier,
    source: view.source,
    published: manifest !== undefined,
    columns: manifest ? manifest.columns : policyColumns(policy, view),
  };
  const shown = new Set(summary.columns.map((c) => c.name));
  const dropped = Object.keys(policy.sources[view.source]?.columns ?? {}).filter(
    (c) => !shown.has(c),
  );
  if (dropped.length > 0) summary.droppedColumns = dropped;
  if (view.description) summary.description = view.description;
  if (manifest) {
    summary.rows = manifest.rows;
    summary.manifest = manifest;
  }
  if (unreadable) summary.unreadable = unreadable;
  return summary;
}

/** The prefix length a published synthetic column's operator names ("as its first 3 characters"), if any. */
function publishedPrefix(operator: string): number | undefined {
  const m = /as its first (?:(\d+) characters|character)\b/.exec(operator);
  return m ? Number(m[1] ?? 1) : undefined;
}

/** How a published synthetic view differs from the policy's definition (see staleDefinition). */
function staleSynthetic(
  view: SyntheticView,
  manifest: ViewManifest,
  policy: Policy,
): string | undefined {
  const unit = policy.sources[view.source]?.privacy_unit;
  const readUnit = (manifest.privacy as { privacyUnit?: unknown } | undefined)?.privacyUnit;
  if (readUnit !== unit)
    return typeof readUnit === 'string'
      ? `it was made with one row per "${readUnit}", and the policy's privacy unit is now "${unit ?? '(none)'}"`
      : `its manifest does not say which privacy unit it was made with (the policy's is "${unit ?? '(none)'}")`;
  const wanted = new Set(view.columns);
  for (const { name, operator } of manifest.columns) {
    if (!wanted.has(name)) return `column "${name}" is published, and the policy now leaves it out`;
    const was = publishedPrefix(operator);
    const now = view.prefix?.[name];
    if (was !== now)
      return `column "${name}" is published ${was ? `as its first ${was} characters` : 'whole'}, and the policy now says ${now ? `its first ${now} characters` : 'whole'}`;
  }
  const published = new Set(manifest.columns.map((c) => c.name));
  for (const name of view.columns)
    if (!published.has(name)) return `column "${name}" is new in the policy`;
  const privacy = syntheticPrivacyOf(manifest);
  if (!privacy) return 'its manifest has no privacy accounting this gateway can read';
  if (privacy.epsilon !== view.epsilon || privacy.delta !== view.delta)
    return `it was made with ε = ${privacy.epsilon}, δ = ${privacy.delta}, and the policy now says ε = ${view.epsilon}, δ = ${view.delta}`;
  return staleDeclarations(view, manifest, policy);
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Which source column declaration of a published synthetic view has changed since (compared by
 * the digests its manifest records, so no declared value is echoed), or undefined when none has.
 * A manifest without the record (an older gateway) is stale: nothing says what it was made from.
 */
function staleDeclarations(
  view: SyntheticView,
  manifest: ViewManifest,
  policy: Policy,
): string | undefined {
  const recorded = (manifest.privacy as { sourceDeclarations?: unknown } | undefined)
    ?.sourceDeclarations;
  if (!isRecord(recorded))
    return 'its manifest does not record the source declarations its columns were synthesized from (it was published by an older gateway); publish it again';
  const parts = Object.keys(DECLARATION_PARTS) as DeclarationPart[];
  for (const [name, now] of Object.entries(sourceDeclarations(policy, view))) {
    const was = Object.hasOwn(recorded, name) ? recorded[name] : undefined;
    const unknown = isRecord(was) ? Object.keys(was).filter((k) => !Object.hasOwn(now, k)) : [];
    if (!isRecord(was) || unknown.length > 0 || parts.some((p) => typeof was[p] !== 'string'))
      return `column "${name}": its manifest does not record its source declaration as this gateway does; publish it again`;
    const changed = parts.find((p) => was[p] !== now[p]);
    if (changed)
      return `column "${name}": its ${DECLARATION_PARTS[changed]} changed since it was published`;
  }
  return undefined;
}
