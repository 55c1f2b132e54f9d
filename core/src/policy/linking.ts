// Why: k-anonymity is checked row by row (each class counts distinct people), which protects a
// person against someone who knows one row's quasi-identifiers. A published token of the privacy
// unit puts all of a person's rows under one value, and a join-group token lets the view be joined
// to other views: a person's set of rows, or a joined row, is then a combination no k check saw.
// The manifest records which tokens link rows so every host can say what k does not cover.
import type { LinkingToken } from '../protocol.js';
import type { MaskedView } from './schema.js';

/**
 * The token columns of masked view `view` that link rows: the privacy unit's token (a person's
 * rows share it), every token with a join group (it joins this view to others of the group), and
 * the `repeated` ones — tokens whose values the publisher found repeated across the view's rows
 * (a person's email or national id links that person's rows as the unit's token would).
 */
export function linkingTokens(
  view: MaskedView,
  privacyUnit: string,
  repeated: ReadonlySet<string> = new Set(),
): LinkingToken[] {
  return Object.entries(view.columns).flatMap(([column, spec]): LinkingToken[] => {
    if (spec.op !== 'token') return [];
    const unit = column === privacyUnit;
    const repeats = !unit && repeated.has(column);
    if (!unit && !repeats && spec.join_group === undefined) return [];
    return [
      {
        column,
        privacyUnit: unit,
        ...(spec.join_group ? { joinGroup: spec.join_group } : {}),
        ...(repeats ? { repeats: true } : {}),
      },
    ];
  });
}

/** How one linking token links rows, e.g. `patient_id (the privacy unit; join group "patient")`. */
function describeLink(link: LinkingToken): string {
  const how = [
    ...(link.privacyUnit ? ['the privacy unit'] : []),
    ...(link.repeats ? ['its values repeat across rows'] : []),
    ...(link.joinGroup ? [`join group "${link.joinGroup}"`] : []),
  ];
  return `${link.column} (${how.join('; ')})`;
}

/**
 * What k-anonymity of `k` does not cover when `links` are published, as one sentence (empty when
 * nothing links rows); shown wherever the view's k is.
 */
export function linkedRowsCaveat(k: number, links: readonly LinkingToken[]): string {
  if (links.length === 0) return '';
  const byPerson = links.some((l) => l.privacyUnit || l.repeats);
  const byJoin = links.some((l) => l.joinGroup !== undefined);
  const exposed = [
    ...(byPerson ? ["a person's set of rows"] : []),
    ...(byJoin ? ['a row joined to another view of its join group'] : []),
  ];
  const what = exposed.join(' and ');
  const are = exposed.length === 1 ? 'is' : 'are';
  return (
    `k = ${k} holds for each row on its own: ${links.map(describeLink).join(', ')} ` +
    `${links.length === 1 ? 'links' : 'link'} rows, so ${what} ${are} not checked against k ` +
    'and can single someone out'
  );
}
