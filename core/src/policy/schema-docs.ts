/**
 * Descriptions in the policy JSON Schema from the key hints (hints.ts), so an editor shows what a
 * key means and an example on hover and in completion, in the same words as the checker's fixes.
 */
import { hintFor } from './hints.js';

type SchemaNode = Record<string, unknown>;

function isNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sets `description` on every property schema a hint explains (in place); returns the schema. */
export function describeSchema<T extends object>(schema: T): T {
  annotate(schema as SchemaNode, []);
  return schema;
}

function annotate(node: SchemaNode, path: (string | number)[]): void {
  if (isNode(node.properties)) {
    for (const [key, sub] of Object.entries(node.properties)) {
      if (!isNode(sub)) continue;
      const hint = hintFor([...path, key]);
      if (hint && sub.description === undefined)
        sub.description = `${capitalize(hint.what)}. Example: ${hint.example}`;
      annotate(sub, [...path, key]);
    }
  }
  // Record values and list items are not keys of their own: they take no description.
  if (isNode(node.patternProperties))
    for (const sub of Object.values(node.patternProperties))
      if (isNode(sub)) annotate(sub, [...path, '*']);
  if (isNode(node.additionalProperties)) annotate(node.additionalProperties, [...path, '*']);
  if (isNode(node.items)) annotate(node.items, [...path, 0]);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const branches = node[key];
    if (Array.isArray(branches)) for (const b of branches) if (isNode(b)) annotate(b, path);
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
