/** Small wording helpers shared by the policy messages. */

const TYPE_WORDS: Readonly<Record<string, string>> = {
  integer: 'a whole number',
  number: 'a number',
  string: 'text',
  boolean: 'true or false',
  object: 'a mapping of keys to values',
  array: 'a list',
  null: 'empty',
};
/** Ajv comparison operators in words. */
export const COMPARISONS: Readonly<Record<string, string>> = {
  '>=': 'at least',
  '<=': 'at most',
  '>': 'greater than',
  '<': 'less than',
};
/** The singular noun for the entries of a list or mapping key. */
export const NOUNS: Readonly<Record<string, string>> = {
  columns: 'column',
  sources: 'source',
  users: 'user',
  roles: 'role',
  quasi_identifiers: 'quasi-identifier',
  categories: 'category',
};

/** Shows a policy value in a message (policy text, never raw data), shortened. */
export function show(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'object') return Array.isArray(value) ? 'a list' : 'a mapping';
  // JSON has no NaN or infinity (JSON.stringify prints them as null): name them as YAML writes them.
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN (.nan)';
  if (value === Infinity) return 'infinity (.inf)';
  if (value === -Infinity) return 'minus infinity (-.inf)';
  if (typeof value === 'string' && value.length > 40)
    return JSON.stringify(`${value.slice(0, 37)}…`);
  return JSON.stringify(value);
}

/** JSON Schema type name(s) in words, e.g. `a whole number or text`. */
export function typeWords(types: unknown): string {
  const list = Array.isArray(types) ? types : [types];
  return list.map((t) => TYPE_WORDS[String(t)] ?? String(t)).join(' or ');
}
