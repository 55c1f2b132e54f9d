// Why: every MAC lives inside the database, so someone who can write the file but not read
// master.key can still rewrite the whole log from its first entry without any MAC (or cut it back
// to before the gateway keyed it), and it then reads like a log no keyed gateway ever opened (NOT
// UPGRADED). The gateway therefore leaves a small marker beside master.key, once, when it first
// keys a database: the key id and the first keyed position (and where head MACs started). A log
// that holds fewer keyed entries than the marker records is TAMPERED.
// Limits, honestly: the marker helps only against someone who can write the database file but not
// the state folder (whoever can write the folder deletes or rewrites the marker too); a database
// created anew (its audit tables did not exist) replaces the marker, so dropping the audit tables
// and having the gateway restart defeats it (until then verify reports the missing audit log); a
// missing marker means what it meant before (the check falls back to the MACs alone).
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createFileOnce, writeFileDurably } from '../durable-file.js';

/** What the marker beside master.key records about one database's keying. */
export interface KeyedMarker {
  /** Id of the key that MACed the first keyed entry. */
  keyId: string;
  /** Position of the first entry that carries a MAC. */
  seq: number;
  /** Position of the entry from which the head (audit_head) carries a MAC, when known. */
  headMacSeq?: number;
}

/** The marker file of the database at `dbPath`: `audit-keyed-<db file name>.json` beside it. */
export function keyedMarkerPath(dbPath: string): string {
  return join(dirname(dbPath), `audit-keyed-${basename(dbPath)}.json`);
}

/** A marker as read: there, missing, or not in the form the gateway writes. */
export type MarkerRead = { marker: KeyedMarker } | { missing: true } | { problem: string };

const KEY_ID = /^[0-9a-f]{16}$/;

/** True for an entry position as the marker files store it (a safe integer ≥ 0). */
export function position(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/**
 * The JSON of a marker file beside the database (`what` names it in problems): its parsed value
 * (undefined when it is not JSON), missing, or a read problem naming the path and the OS code.
 */
export function readMarkerJson(
  path: string,
  what: string,
): { value: unknown } | { missing: true } | { problem: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { missing: true };
    const why = (e as NodeJS.ErrnoException).code ?? 'unknown error';
    return { problem: `${what} ${path} cannot be read (${why})` };
  }
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return { value: undefined };
  }
}

/** Reads the marker of the database at `dbPath` (never throws for a missing or malformed one). */
export function readKeyedMarker(dbPath: string): MarkerRead {
  const path = keyedMarkerPath(dbPath);
  const read = readMarkerJson(path, 'the keyed-log marker');
  if (!('value' in read)) return read;
  const m = read.value as Partial<Record<keyof KeyedMarker | 'version', unknown>> | undefined;
  if (
    !m ||
    typeof m !== 'object' ||
    m.version !== 1 ||
    typeof m.keyId !== 'string' ||
    !KEY_ID.test(m.keyId) ||
    !position(m.seq) ||
    (m.headMacSeq !== undefined && !position(m.headMacSeq))
  ) {
    return { problem: `the keyed-log marker ${path} is not in the form the gateway writes` };
  }
  return {
    marker: {
      keyId: m.keyId,
      seq: m.seq,
      ...(m.headMacSeq === undefined ? {} : { headMacSeq: m.headMacSeq }),
    },
  };
}

/**
 * Writes the marker (mode 0600, temp file then rename or link, fsynced). `replace` overwrites an
 * existing one (a database created anew); otherwise an existing marker is kept as it is.
 */
export function writeKeyedMarker(dbPath: string, marker: KeyedMarker, replace: boolean): void {
  const text = `${JSON.stringify({ version: 1, ...marker })}\n`;
  const path = keyedMarkerPath(dbPath);
  if (replace) writeFileDurably(path, text, 0o600);
  else createFileOnce(path, text, 0o600);
}

/** What the verified chain shows of its keying, for the marker check. */
export interface KeyedChain {
  /** Position after the newest entry (pruned entries count). */
  count: number;
  /** The first kept entry's position (undefined for an empty log). */
  first: number | undefined;
  /** The first entry carrying a MAC, and its key id. */
  keyedFrom: number | undefined;
  keyedFromKeyId: string | undefined;
}

/** Why a chain holds fewer keyed entries than the marker records, if it does. */
export function markerProblem(
  marker: KeyedMarker,
  chain: KeyedChain,
  markerPath: string,
): { index: number; message: string } | undefined {
  const says = `${markerPath} records that the gateway keyed this log from entry #${marker.seq} on (key id ${marker.keyId})`;
  const ends = chain.count > 0 ? `the log ends at #${chain.count - 1}` : 'the log holds no entries';
  if (chain.count <= marker.seq) {
    return {
      index: chain.count,
      message: `${says}, but ${ends} — it was cut or rewritten back to before its keying by someone with write access to the database`,
    };
  }
  if (marker.headMacSeq !== undefined && chain.count <= marker.headMacSeq) {
    return {
      index: chain.count,
      message: `${markerPath} records that the recorded head carries a MAC from entry #${marker.headMacSeq} on, but ${ends} — entries were cut from the end back to before that point`,
    };
  }
  const first = chain.first ?? 0;
  // The marked entry itself, or (when it was pruned) the first kept entry, must carry a MAC.
  const mustBeKeyed = Math.max(marker.seq, first);
  if (chain.keyedFrom === undefined || chain.keyedFrom > mustBeKeyed) {
    return {
      index: mustBeKeyed,
      message: `${says}, but entry #${mustBeKeyed} carries no MAC — the log was rewritten without the gateway's key`,
    };
  }
  if (chain.keyedFrom === marker.seq && chain.keyedFromKeyId !== marker.keyId) {
    return {
      index: marker.seq,
      message: `${says}, but entry #${marker.seq} carries a MAC of key id ${chain.keyedFromKeyId ?? 'none'} — the log was rewritten without the gateway's key`,
    };
  }
  return undefined;
}
