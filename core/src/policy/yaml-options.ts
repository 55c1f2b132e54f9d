/** The one set of YAML options every policy is parsed with (loading, and positions for notes). */
import type { DocumentOptions, ParseOptions, SchemaOptions } from 'yaml';

/**
 * YAML 1.2 core schema, no `<<` merge keys, no YAML 1.1 tags (`!!omap`, `!!set`, …). Duplicate
 * keys are checked in yaml-strict.ts with a Set per mapping: the parser's own check compares
 * every key with every other.
 */
export const POLICY_YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.2',
  schema: 'core',
  merge: false,
  resolveKnownTags: false,
  uniqueKeys: false,
  prettyErrors: false,
};
