// Why: re-synthesizing a view from unchanged inputs would spend publication budget to release the
// same rows again, so a synthetic view whose manifest shows the same inputs and source version is
// kept as published; only its manifest is brought up to date.
import { existsSync } from 'node:fs';
import type { ViewManifest } from '@privet/core';
import { writeFileDurably } from '../durable-file.js';
import { UnreadableManifestError } from './errors.js';
import { readManifest, viewFiles } from './layout.js';
import type { DeclarationDigests } from './synthetic.js';

/**
 * The manifest of a synthetic view already published from exactly these inputs, if any: the same
 * keyed source `version` (source-version.ts), or, from a manifest written before versions were
 * keyed, the plain `legacyFileHash` of the same file. An unreadable manifest is not up to date.
 */
export function upToDate(
  stateDir: string,
  name: string,
  version: string,
  inputsHash: string,
  legacyFileHash?: string,
): ViewManifest | undefined {
  let m: ViewManifest | undefined;
  try {
    m = readManifest(stateDir, name);
  } catch (err) {
    // Unreadable: not up to date, so the publish rebuilds it (and thereby repairs it).
    if (err instanceof UnreadableManifestError) return undefined;
    throw err;
  }
  const privacy = m?.privacy as { inputsHash?: unknown } | undefined;
  const sameSource =
    m?.sourceHash === version || (legacyFileHash !== undefined && m?.sourceHash === legacyFileHash);
  const same =
    m?.tier === 'synthetic' &&
    sameSource &&
    privacy?.inputsHash === inputsHash &&
    existsSync(viewFiles(stateDir, name).parquet);
  return same ? m : undefined;
}

/**
 * Brings a kept manifest up to date (temp file, then rename) without touching its rows: the keyed
 * source version instead of a plain SHA-256, and the source declarations of its columns when it
 * was written before they were recorded (its unchanged inputs hash covers every column
 * declaration, so they are the ones it was synthesized from). Nothing is charged.
 */
export function refreshKeptManifest(
  stateDir: string,
  m: ViewManifest,
  version: string,
  declarations: Record<string, DeclarationDigests>,
): ViewManifest {
  const recorded = (m.privacy as { sourceDeclarations?: unknown } | undefined)?.sourceDeclarations;
  if (m.sourceHash === version && recorded !== undefined) return m;
  const updated: ViewManifest = {
    ...m,
    sourceHash: version,
    ...(recorded === undefined
      ? { privacy: { ...m.privacy, sourceDeclarations: declarations } }
      : {}),
  };
  const path = viewFiles(stateDir, m.view).manifest;
  writeFileDurably(path, JSON.stringify(updated, null, 2) + '\n', 0o644);
  return updated;
}
