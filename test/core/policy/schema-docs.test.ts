// The policy JSON Schema that editors get (VS Code's YAML and JSON validation) explains every key
// on hover and in completion: each property's description is its hint (what it means, an example),
// in the words the checker's fixes use, and keys that mean different things per section say so.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { policyJsonSchema } from '@privet/core';

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every property schema of the policy schema, by a readable path (`*` a record value, `[]` an item). */
function properties(node: Node, path = ''): [string, Node][] {
  const out: [string, Node][] = [];
  if (isNode(node.properties))
    for (const [key, sub] of Object.entries(node.properties))
      if (isNode(sub)) out.push([`${path}.${key}`, sub], ...properties(sub, `${path}.${key}`));
  if (isNode(node.patternProperties))
    for (const sub of Object.values(node.patternProperties))
      if (isNode(sub)) out.push(...properties(sub, `${path}.*`));
  if (isNode(node.items)) out.push(...properties(node.items, `${path}[]`));
  for (const key of ['anyOf', 'oneOf', 'allOf'])
    if (Array.isArray(node[key]))
      for (const branch of node[key] as unknown[])
        if (isNode(branch)) out.push(...properties(branch, path));
  return out;
}

const schema = policyJsonSchema() as Node;
const all = properties(schema);
const described = (path: string): string[] =>
  all.filter(([p]) => p === path).map(([, node]) => String(node.description));

describe('policy schema descriptions', () => {
  test('every key of the policy has one, with an example', () => {
    assert.ok(all.length > 60, `only ${all.length} properties found`);
    const missing = [...new Set(all.filter(([, n]) => !n.description).map(([p]) => p))];
    assert.deepEqual(missing, []);
    for (const [path, node] of all)
      assert.match(String(node.description), /^[A-Z].*\. Example: \S/, path);
  });

  test('the per-query limits say what they limit', () => {
    assert.deepEqual(described('.budgets[].max_query_epsilon'), [
      "The most ε one DP query may charge the budget, greater than 0 and at most the budget's epsilon. Example: max_query_epsilon: '0.5'",
    ]);
    assert.match(described('.budgets[].max_query_delta')[0] ?? '', /^The most δ one DP query/);
  });

  test('a key that means different things per section is described per section', () => {
    assert.match(described('.sources.*.columns')[0] ?? '', /raw columns by name.*type/);
    assert.match(described('.views.*.columns')[0] ?? '', /a list for synthetic and dp views/);
    assert.match(described('.users.*.name')[0] ?? '', /person's display name/);
    assert.match(described('.name')[0] ?? '', /display name.*demo-clinic/);
  });
});
