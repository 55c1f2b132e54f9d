/**
 * Why: YAML can make a policy say something other than what a reviewer reads. Merge keys (`<<`)
 * pull values in from elsewhere, a `%YAML 1.1` header changes what `010` or `yes` mean, tags
 * (`!!omap`, `!!js/function`, `!foo`) change a value's type or are silently dropped, and keys
 * that are not text (`true:`, `null:`, `1:`) collide with their quoted twins. A policy is therefore
 * read as plain YAML 1.2 (core schema, no merge keys, no 1.1 tags) and every node is checked here:
 * anything that could change the meaning is refused, with its line and a fix, before the data is
 * used. Aliases are refused too: `*alias` hides what a key really says from whoever reviews it. Duplicate keys are found with one Set per mapping (the parser's own check is quadratic).
 */
import {
  CST,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  Lexer,
  type Document,
  type LineCounter,
  type Node,
} from 'yaml';
import type { PolicyIssue } from './errors.js';
import { pathAtOffset } from './positions.js';

const CORE_TYPES = ['str', 'int', 'float', 'bool', 'null'];
/** Explicit tags that only restate a YAML 1.2 core type (`!!str 1` is the text "1"), resolved. */
const ALLOWED_TAGS = new Set(CORE_TYPES.map((t) => `tag:yaml.org,2002:${t}`));
/** The same tags as they may be written. */
const ALLOWED_TAG_TEXT = new Set([
  ...CORE_TYPES.map((t) => `!!${t}`),
  ...CORE_TYPES.map((t) => `!<tag:yaml.org,2002:${t}>`),
]);

/** A tag or directive as written, with its offset in the text. */
interface Written {
  offset: number;
  source: string;
}

/**
 * Every tag and directive written in `text`, from the parser's own lexer (so a `!` inside quotes,
 * a comment or a block scalar is not one). Offsets are counted as the parser counts them.
 */
function tagsAndDirectives(text: string): { tags: Written[]; directives: Written[] } {
  const tags: Written[] = [];
  const directives: Written[] = [];
  // Every tag starts with "!" and every directive with "%": without either, nothing to find.
  if (!text.includes('!') && !text.includes('%')) return { tags, directives };
  let offset = 0;
  let atScalar = false;
  for (const source of new Lexer().lex(text)) {
    if (atScalar) {
      atScalar = false;
      offset += source.length;
      continue;
    }
    const type = CST.tokenType(source);
    if (type === 'scalar') {
      atScalar = true;
      continue;
    }
    if (type === 'doc-mode' || type === 'flow-error-end') continue;
    if (type === 'tag') tags.push({ offset, source });
    if (type === 'directive-line') directives.push({ offset, source });
    offset += source.length;
  }
  return { tags, directives };
}

/** A tag as people write it: `!!omap` rather than `tag:yaml.org,2002:omap`. */
function shortTag(tag: string): string {
  return tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice(18)}` : tag;
}

function tagFix(shown: string): string {
  return shown === '!!omap' || shown === '!!set' || shown === '!!pairs' || shown === '!!map'
    ? `remove ${shown} and write a plain mapping (key: value lines)`
    : `remove ${shown} and write the value as plain text, a number, true/false or a list`;
}

/** Deepest nesting of lists and mappings a policy may have (a real one needs about 6). */
export const MAX_POLICY_DEPTH = 20;

const KEY_WORDS: Readonly<Record<string, string>> = {
  boolean: 'true or false',
  number: 'a number',
  bigint: 'a number',
};

/** What a non-text key is read as, e.g. `true or false`. */
function keyKind(key: unknown): string {
  if (isScalar(key)) {
    const value = key.value;
    if (value === null || value === undefined) return 'empty (null)';
    return KEY_WORDS[typeof value] ?? typeof value;
  }
  if (isSeq(key)) return 'a list';
  if (isMap(key)) return 'a mapping';
  return 'empty (null)';
}

/** The key as written (policy text), for messages. */
function keySource(key: unknown): string {
  if (isScalar(key)) {
    const src = (key as { source?: unknown }).source;
    return typeof src === 'string' ? src : String(key.value);
  }
  return '';
}

/** Collects the issues of one document as it is walked. */
class Checker {
  readonly issues: PolicyIssue[] = [];
  private tooDeep = false;
  /** A written tag was refused (the node-level check would only repeat it). */
  private taggedText = false;

  constructor(
    private readonly doc: Document,
    private readonly lineCounter: LineCounter,
    private readonly file: string,
  ) {}

  add(offset: number, path: readonly (string | number)[], message: string, fix: string): void {
    const { line, col } = this.lineCounter.linePos(offset);
    this.issues.push({
      path: path.join('.'),
      message,
      fix,
      position: { file: this.file, line, column: col },
    });
  }

  /** A tag as written in the text, refused unless it restates a core type. */
  writtenTag(tag: Written): void {
    if (ALLOWED_TAG_TEXT.has(tag.source)) return;
    this.taggedText = true;
    this.add(
      tag.offset,
      pathAtOffset(this.doc, tag.offset),
      `YAML tag ${tag.source} is not allowed in a policy: tags change what a value means (or are dropped silently)`,
      tagFix(tag.source),
    );
  }

  /** A directive other than `%YAML 1.2`. */
  directive(d: Written): void {
    if (/^%YAML[ \t]+1\.2[ \t]*$/.test(d.source)) return;
    const yaml = /^%YAML[ \t]+(\S+)/.exec(d.source);
    this.add(
      d.offset,
      [],
      yaml
        ? `this policy declares YAML ${yaml[1]}; policies are read as YAML 1.2, where values such as 010 and yes mean other things than in YAML 1.1`
        : `directive ${d.source.split(/[ \t]/)[0]} is not allowed in a policy`,
      yaml
        ? 'remove the "%YAML" line (and the "---" after it, if it is the only one)'
        : 'remove the "%" line: a policy is plain YAML 1.2 and needs no directives',
    );
  }

  /** Second line of defence: a node whose resolved tag is not a core type, if no written tag was refused. */
  private tag(node: Node, path: readonly (string | number)[]): void {
    const tag = node.tag;
    if (tag === undefined || ALLOWED_TAGS.has(tag) || this.taggedText) return;
    const shown = shortTag(tag);
    this.add(
      node.range?.[0] ?? 0,
      path,
      `YAML tag ${shown} is not allowed in a policy: tags change what a value means (or are dropped silently)`,
      tagFix(shown),
    );
  }

  /** Walks `node` at `path`; `depth` counts the lists and mappings around it. */
  walk(node: unknown, path: (string | number)[], depth: number): void {
    if (node === null || node === undefined) return;
    if (isAlias(node)) {
      this.add(
        node.range?.[0] ?? 0,
        path,
        `YAML alias *${node.source} is not allowed in a policy`,
        'write the value out in full here (and remove its &anchor) so every rule can be read where it applies',
      );
      return;
    }
    this.tag(node as Node, path);
    if (!isMap(node) && !isSeq(node)) return;
    if (depth >= MAX_POLICY_DEPTH) {
      if (!this.tooDeep)
        this.add(
          node.range?.[0] ?? 0,
          path.slice(0, 3),
          `the policy is nested too deeply here (more than ${MAX_POLICY_DEPTH} levels of lists and mappings)`,
          'a policy needs only a few levels (e.g. views → name → columns → column → op): remove the extra nesting',
        );
      this.tooDeep = true;
      return;
    }
    if (isSeq(node)) {
      node.items.forEach((item, i) => this.walk(item, [...path, i], depth + 1));
      return;
    }
    const seen = new Set<string>();
    for (const pair of node.items) {
      const key: unknown = pair.key;
      const value = pair.value as Node | null;
      const at = (key as Node | null)?.range?.[0] ?? value?.range?.[0] ?? node.range?.[0] ?? 0;
      if (isAlias(key)) {
        this.walk(key, path, depth + 1);
        continue;
      }
      if (!isScalar(key) || typeof key.value !== 'string') {
        const src = keySource(key);
        this.add(
          at,
          path,
          src
            ? `key ${src} is read as ${keyKind(key)}, not as a name, so it can clash with (or replace) the same name written in quotes`
            : `a key here is ${keyKind(key)}, not a name`,
          src
            ? `quote the key ('${src}':) if it is a name, or remove it`
            : 'give this entry a name (lowercase letters, digits and _), or remove it',
        );
        if (isMap(key) || isSeq(key)) continue;
        this.walk(value, [...path, src], depth + 1);
        continue;
      }
      const name = key.value;
      this.tag(key, [...path, name]);
      if (name === '<<') {
        this.add(
          at,
          path,
          'YAML merge keys ("<<") are not allowed in a policy: the merged values would not be read where they apply',
          'write the keys out in full here instead of merging them in',
        );
        continue;
      }
      if (seen.has(name)) {
        const parent = path.join('.') || 'the top level';
        this.add(
          at,
          [...path, name],
          `key "${name}" appears twice under ${parent}; YAML keys must be unique`,
          `remove one of the two "${name}" entries or rename this one`,
        );
      }
      seen.add(name);
      this.walk(value, [...path, name], depth + 1);
    }
  }

  /** Every parser warning on a line with no issue yet (an unresolved tag is one already). */
  warnings(): void {
    const taken = new Set(this.issues.map((i) => i.position.line));
    for (const w of this.doc.warnings) {
      const offset = w.pos[0];
      if (taken.has(this.lineCounter.linePos(offset).line)) continue;
      this.add(
        offset,
        w.code === 'BAD_DIRECTIVE' ? [] : pathAtOffset(this.doc, offset),
        `YAML problem: ${w.message.split('\n')[0]}`,
        w.code === 'BAD_DIRECTIVE'
          ? 'remove the "%" directive line: a policy is plain YAML 1.2 and needs none'
          : w.code === 'TAG_RESOLVE_FAILED'
            ? 'remove the tag and write the value plainly'
            : 'rewrite this line as plain YAML (see the demo policy)',
      );
    }
  }
}

/**
 * Everything in a parsed policy document that YAML could read differently from how a person
 * reads it: directives other than 1.2, parser warnings, tags other than !!str/!!int/!!float/
 * !!bool/!!null, aliases, merge keys, keys that are not text, repeated keys and deep nesting.
 */
export function strictYamlIssues(
  doc: Document,
  lineCounter: LineCounter,
  file: string,
  text: string,
): PolicyIssue[] {
  const checker = new Checker(doc, lineCounter, file);
  const { tags, directives } = tagsAndDirectives(text);
  for (const d of directives) checker.directive(d);
  for (const t of tags) checker.writtenTag(t);
  checker.walk(doc.contents, [], 0);
  checker.warnings();
  return checker.issues.sort(
    (a, b) => a.position.line - b.position.line || a.position.column - b.position.column,
  );
}
