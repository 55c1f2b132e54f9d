/**
 * Parses and validates a policy from YAML text. Syntax, schema and cross-reference problems are
 * all reported together, each with file:line:column, what is wrong and how to fix it.
 */
import { LineCounter, parseDocument } from 'yaml';
import { PolicyError, type PolicyIssue } from './errors.js';
import { positionOf } from './positions.js';
import { yamlErrorIssues } from './yaml-issues.js';
import { POLICY_YAML_OPTIONS } from './yaml-options.js';
import { strictYamlIssues } from './yaml-strict.js';
import type { Policy } from './schema.js';
import { schemaIssues } from './validate-schema.js';
import { semanticIssues } from './semantics.js';

/**
 * Largest policy file read (1 MiB). A policy declares sources, views, budgets and users — the
 * demo policy is about 5 KB — so a larger file is a mistake, and refusing it bounds the work.
 */
export const MAX_POLICY_BYTES = 1024 * 1024;

/** UTF-8 size of `text`, without encoding it when its length alone decides. */
function utf8Size(text: string): number {
  // Each UTF-16 unit is 1 to 3 UTF-8 bytes (a surrogate pair, two units, is 4).
  if (text.length > MAX_POLICY_BYTES || text.length * 3 <= MAX_POLICY_BYTES) return text.length;
  return new TextEncoder().encode(text).length;
}

function whole(file: string, message: string, fix: string): PolicyError {
  return new PolicyError([{ path: '', message, fix, position: { file, line: 1, column: 1 } }]);
}

/** Parses YAML policy text; throws PolicyError listing every issue. `file` names it in messages. */
export function parsePolicy(text: string, file = 'policy.yaml'): Policy {
  if (utf8Size(text) > MAX_POLICY_BYTES)
    throw whole(
      file,
      `the policy file is larger than ${MAX_POLICY_BYTES} bytes (1 MiB), the most Privet reads`,
      'keep the policy to declarations (sources, views, budgets, users): move long descriptions or lists out of it, or split it per project',
    );
  try {
    return parseChecked(text, file);
  } catch (error) {
    // The parser and validators recurse; a file nested deeper than the stack allows is refused.
    if (error instanceof RangeError && /call stack/i.test(error.message))
      throw whole(
        file,
        'the policy is nested too deeply to read',
        'a policy needs only a few levels (e.g. views → name → columns → column → op): remove the extra nesting',
      );
    throw error;
  }
}

function parseChecked(text: string, file: string): Policy {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { ...POLICY_YAML_OPTIONS, lineCounter });
  if (doc.errors.length > 0)
    throw new PolicyError(yamlErrorIssues(doc, doc.errors, lineCounter, file, text));
  const strict = strictYamlIssues(doc, lineCounter, file, text);
  if (strict.length > 0) throw new PolicyError(strict);
  const data: unknown = doc.toJS({ maxAliasCount: 0 });
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw whole(
      file,
      'the policy must be a YAML mapping',
      'start with "version: 1" and the top-level keys',
    );
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
