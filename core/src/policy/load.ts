/**
 * Parses and validates a policy from YAML text. Syntax, schema and cross-reference problems are
 * all reported together, each with file:line:column, what is wrong and how to fix it.
 */
import { LineCounter, parseDocument } from 'yaml';
import { PolicyError, type PolicyIssue } from './errors.js';
import { positionOf } from './positions.js';
import { aliasIssues, yamlErrorIssues } from './yaml-issues.js';
import type { Policy } from './schema.js';
import { schemaIssues } from './validate-schema.js';
import { semanticIssues } from './semantics.js';

/** Parses YAML policy text; throws PolicyError listing every issue. `file` names it in messages. */
export function parsePolicy(text: string, file = 'policy.yaml'): Policy {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0)
    throw new PolicyError(yamlErrorIssues(doc, doc.errors, lineCounter, file, text));
  const aliases = aliasIssues(doc, lineCounter, file);
  if (aliases.length > 0) throw new PolicyError(aliases);
  const data: unknown = doc.toJS({ maxAliasCount: 0 });
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new PolicyError([
      {
        path: '',
        message: 'the policy must be a YAML mapping',
        fix: 'start with "version: 1" and the top-level keys',
        position: { file, line: 1, column: 1 },
      },
    ]);
  }
  const toIssue = (raw: {
    path: (string | number)[];
    message: string;
    fix: string;
    atKey: boolean;
  }): PolicyIssue => ({
    path: raw.path.join('.'),
    message: raw.message,
    fix: raw.fix,
    position: positionOf(doc, lineCounter, file, raw.path, raw.atKey),
  });
  const schema = schemaIssues(data);
  if (schema.length > 0) throw new PolicyError(schema.map(toIssue));
  const policy = data as Policy;
  const semantic = semanticIssues(policy);
  if (semantic.length > 0) throw new PolicyError(semantic.map(toIssue));
  return policy;
}
