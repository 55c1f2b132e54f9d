// Why: the hash chain alone is unkeyed — whoever can write the database can rewrite every entry and
// recompute every hash. Each entry also stores an HMAC-SHA256 of its hash under a key derived from
// the gateway's master key (keys.ts, its own HKDF label), so a rewrite without the key directory
// shows. The entry hash commits to the previous one, so one valid MAC vouches for everything before
// it as well. A MAC is stored as `<key id>:<tag>`: the key id (a keyed fingerprint that reveals
// nothing of the key) says which master key made it, so a replaced master.key is told apart from a
// forgery — a change of key id is only legitimate at an `audit.keyed` entry (see log.ts).
// The recorded head (audit_head) carries a MAC too (signHead), over `head|<seq>|<hash>`: a preimage
// no entry MAC ever has (an entry MAC covers the 64 hex characters of a hash alone), so the MAC of
// an entry cannot be copied into the head to vouch for a rewound one.
// The head mark beside the database (head-mark.ts) carries a MAC of its own preimage
// (`head-mark|<db file>|<seq>|<hash>`, signHeadMark) for the same reason.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AuditAction } from '@privet/core';
import { deriveAuditMacKey, loadOrCreateMasterKey, masterKeyPath } from '../keys.js';

const KEY_ID_LABEL = 'privet-audit-key-id';
const MAC_FORM = /^([0-9a-f]{16}):([0-9a-f]{64})$/;

/** The audit action that records where MACs start, or where the MAC key changed. */
export const AUDIT_KEYED = 'audit.keyed' satisfies AuditAction;

/**
 * The `audit.keyed` / `audit.pruned` detail saying that from this entry on the gateway MACs the
 * recorded head (audit_head) with every append, so a head without a valid MAC is tampering.
 */
export const HEAD_MAC_DETAIL = 'headMac';

/** A stored MAC, split into the id of the key that made it and its tag. */
export interface ParsedMac {
  keyId: string;
  tag: string;
}

/** Splits a stored MAC (`<16 hex key id>:<64 hex tag>`), or undefined when it is not one. */
export function parseMac(text: string | null | undefined): ParsedMac | undefined {
  const m = typeof text === 'string' ? MAC_FORM.exec(text) : null;
  return m?.[1] && m[2] ? { keyId: m[1], tag: m[2] } : undefined;
}

/** The audit MAC key derived from a master key; it never exposes the key bytes. */
export class AuditMacKey {
  /** Public fingerprint of the key (16 hex): names the key in MACs and `audit.keyed` entries. */
  readonly id: string;
  readonly #key: Buffer;

  /** Derives the audit key from the gateway's master key. */
  constructor(master: Uint8Array) {
    this.#key = deriveAuditMacKey(master);
    this.id = createHmac('sha256', this.#key).update(KEY_ID_LABEL).digest('hex').slice(0, 16);
  }

  /** The MAC to store with an entry whose hash is `hash`. */
  sign(hash: string): string {
    return `${this.id}:${createHmac('sha256', this.#key).update(hash, 'utf8').digest('hex')}`;
  }

  /** True when `mac` is this key's MAC of `hash` (constant-time compare). */
  verifies(mac: string | null | undefined, hash: string): boolean {
    if (typeof mac !== 'string') return false;
    const want = Buffer.from(this.sign(hash), 'utf8');
    const got = Buffer.from(mac, 'utf8');
    return got.length === want.length && timingSafeEqual(got, want);
  }

  /** The MAC to store with the recorded head (audit_head) naming entry `seq` with hash `hash`. */
  signHead(seq: number, hash: string): string {
    const tag = createHmac('sha256', this.#key).update(`head|${seq}|${hash}`, 'utf8').digest('hex');
    return `${this.id}:${tag}`;
  }

  /** True when `mac` is this key's MAC of a head naming entry `seq` with hash `hash`. */
  verifiesHead(mac: string | null | undefined, seq: number, hash: string): boolean {
    if (typeof mac !== 'string' || !Number.isSafeInteger(seq)) return false;
    const want = Buffer.from(this.signHead(seq, hash), 'utf8');
    const got = Buffer.from(mac, 'utf8');
    return got.length === want.length && timingSafeEqual(got, want);
  }

  /**
   * The MAC of the head mark beside the database file `file` (its base name) naming committed
   * entry `seq` with hash `hash`: `head-mark|<file>|<seq>|<hash>`, a preimage no entry or head MAC
   * has, so neither can be copied into the mark, and a mark cannot be moved to another database.
   */
  signHeadMark(file: string, seq: number, hash: string): string {
    const tag = createHmac('sha256', this.#key)
      .update(`head-mark|${file}|${seq}|${hash}`, 'utf8')
      .digest('hex');
    return `${this.id}:${tag}`;
  }

  /** True when `mac` is this key's MAC of the head mark of `file` naming entry `seq` with `hash`. */
  verifiesHeadMark(mac: string, file: string, seq: number, hash: string): boolean {
    if (!Number.isSafeInteger(seq)) return false;
    const want = Buffer.from(this.signHeadMark(file, seq, hash), 'utf8');
    const got = Buffer.from(mac, 'utf8');
    return got.length === want.length && timingSafeEqual(got, want);
  }
}

/** True for a database path that is a file (not SQLite's in-memory or temporary database). */
export function isFilePath(path: string): boolean {
  return path !== '' && path !== ':memory:' && !path.startsWith('file::memory:');
}

/**
 * The audit key of the state folder holding the database at `path` (its master.key). With
 * `create`, a missing master key is created (as publish and serve do); without, undefined when the
 * folder has none. Undefined for in-memory databases. A key file with unsafe permissions or the
 * wrong length is thrown as keys.ts words it (path and fix).
 */
export function auditMacKeyForDb(path: string, create: boolean): AuditMacKey | undefined {
  if (!isFilePath(path)) return undefined;
  const stateDir = dirname(path);
  if (!create && !existsSync(masterKeyPath(stateDir))) return undefined;
  return new AuditMacKey(loadOrCreateMasterKey(stateDir));
}
