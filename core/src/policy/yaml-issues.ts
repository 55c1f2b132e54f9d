/**
 * YAML-level problems (syntax, duplicate keys, several documents, anchors/aliases) as PolicyIssues
 * with file:line:column, the nearest key path and a fix. Aliases are refused outright: a policy
 * is read by people reviewing privacy rules, and `*alias` hides what a key really says.
 */
import { isAlias, visit, type Document, type LineCounter, type YAMLError } from 'yaml';
import type { PolicyIssue } from './errors.js';
import { pathAtOffset } from './positions.js';

const FIXES: Readonly<Record<string, string>> = {
  MULTIPLE_DOCS:
    'a policy file holds one YAML document: remove the "---" line and what follows, or move it to its own file',
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  BAD_INDENT: 'align this key with its siblings (same number of spaces)',
  MISSING_CHAR: 'add the missing closing quote or bracket',
  BLOCK_AS_IMPLICIT_KEY: 'put a colon and a space after the key, and quote values containing ": "',
  MULTILINE_IMPLICIT_KEY: 'put the key and its colon on one line',
};

/** Converts the YAML parser's errors of `doc` into issues. */
export function yamlErrorIssues(
  doc: Document,
  errors: readonly YAMLError[],
  lineCounter: LineCounter,
  file: string,
): PolicyIssue[] {
  // After the first syntax error the parser's recovery produces follow-on errors that mislead;
  // report that first one, plus every duplicate key (those are independent of each other).
  const firstSyntax = errors.find((e) => e.code !== 'DUPLICATE_KEY');
  const reported = errors.filter((e) => e === firstSyntax || e.code === 'DUPLICATE_KEY');
  return reported.map((e) => {
    const { line, col } = lineCounter.linePos(e.pos[0]);
    const position = { file, line, column: col };
    const path = e.code === 'MULTIPLE_DOCS' ? [] : pathAtOffset(doc, e.pos[0]);
    if (e.code === 'DUPLICATE_KEY') {
      const key = String(path.at(-1) ?? '');
      const parent = path.slice(0, -1).join('.') || 'the top level';
      return {
        path: path.join('.'),
        message: `key "${key}" appears twice under ${parent}; YAML keys must be unique`,
        fix: `remove one of the two "${key}" entries or rename this one`,
        position,
      };
    }
    return {
      path: path.join('.'),
      message:
        e.code === 'MULTIPLE_DOCS'
          ? 'YAML syntax error: the file holds more than one YAML document'
          : `YAML syntax error: ${e.message.split('\n')[0]}`,
      fix:
        FIXES[e.code] ??
        'check indentation, colons, brackets and quotes on this line and the one before',
      position,
    };
  });
}

/** One issue per `*alias` in `doc` (anchors and aliases are not allowed in policies). */
export function aliasIssues(doc: Document, lineCounter: LineCounter, file: string): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  visit(doc, {
    Alias(_key, node) {
      if (!isAlias(node)) return;
      const offset = node.range?.[0] ?? 0;
      const { line, col } = lineCounter.linePos(offset);
      issues.push({
        path: pathAtOffset(doc, offset).join('.'),
        message: `YAML alias *${node.source} is not allowed in a policy`,
        fix: 'write the value out in full here (and remove its &anchor) so every rule can be read where it applies',
        position: { file, line, column: col },
      });
    },
  });
  return issues;
}
