// Why: an export bundle's manifest carries the hash of its notebook's canonical form, which the
// signature then covers; it is computed where the notebook is filtered (the output-check worker),
// so hashing a notebook of many megabytes never stalls the gateway's event loop, and by the
// verifier the same way.
import { createHash } from 'node:crypto';
import { canonicalJson, type JsonValue } from '@privet/core/record/index';

/** SHA-256 (hex) of a JSON value's canonical form. */
export function canonicalSha256(value: JsonValue): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}
