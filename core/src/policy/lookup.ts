// Why: policy maps (views, users, sources) are plain objects, so `policy.views["constructor"]`
// is Object's own constructor, not undefined: a name from a request must be looked up as an own
// key, or a built-in property passes for a declared view or user.
import type { View } from './schema.js';

/** The value declared under `key` in `record`, or undefined (inherited properties never count). */
export function declared<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * True when the raw values of `column` are looked for in outputs and published views: a declared
 * identifier, or the source's privacy unit when it is text (it names a person as surely; a
 * numeric unit's values are too short to tell from counts and are never indexed).
 */
export function isIndexedIdentifier(
  source: {
    privacy_unit: string;
    columns: Readonly<Record<string, { identifier?: boolean; type: string }>>;
  },
  column: string,
): boolean {
  const decl = declared(source.columns, column);
  if (!decl) return false;
  return decl.identifier === true || (column === source.privacy_unit && decl.type === 'string');
}

/**
 * Every column whose raw values are looked for (`isIndexedIdentifier`), as `source.column`, sorted:
 * what a masked view's publish-time leak check compares it with.
 */
export function indexedIdentifierColumns(policy: {
  sources: Readonly<Record<string, Parameters<typeof isIndexedIdentifier>[0]>>;
}): string[] {
  return Object.entries(policy.sources)
    .flatMap(([name, source]) =>
      Object.keys(source.columns)
        .filter((column) => isIndexedIdentifier(source, column))
        .map((column) => `${name}.${column}`),
    )
    .sort();
}

/** The columns a view publishes, in declared order: a masked view's columns not dropped. */
export function publishedColumnNames(view: View): string[] {
  return view.tier === 'masked'
    ? Object.entries(view.columns)
        .filter(([, op]) => op.op !== 'drop')
        .map(([column]) => column)
    : [...view.columns];
}
