/**
 * The gateway's master key: 32 bytes from the CSPRNG, kept in `<stateDir>/master.key` (mode 0600),
 * created on first use (written whole, then linked into place) so two processes cannot race to
 * different keys or read a half-written one.
 * It never leaves this process: not in manifests, responses or error messages. Token keys are
 * derived from it per column (core/src/mask/keys.ts); rotating it (deleting the file) changes
 * every token at the next publish.
 */
import { hkdfSync } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createFileOnce, removeStaleTemps } from './durable-file.js';

/** Master key length in bytes (256 bits). */
export const MASTER_KEY_BYTES = 32;

/** Path of the master key file in a state folder. */
export function masterKeyPath(stateDir: string): string {
  return join(stateDir, 'master.key');
}

function readKey(path: string): Uint8Array {
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new Error(
      `master key ${path} is readable by other users (mode ${mode.toString(8)}). Fix: chmod 600 ${path}`,
    );
  }
  const key = new Uint8Array(readFileSync(path));
  if (key.length !== MASTER_KEY_BYTES) {
    throw new Error(
      `master key ${path} has ${key.length} bytes, expected ${MASTER_KEY_BYTES}. ` +
        'Fix: restore the file from backup, or delete it to create a new key (this changes every token)',
    );
  }
  return key;
}

/** Reads the master key, creating it (CSPRNG, mode 0600) if the state folder has none. */
export function loadOrCreateMasterKey(stateDir: string): Uint8Array {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const path = masterKeyPath(stateDir);
  removeStaleTemps(path); // a copy of the key left by a crash while it was created
  try {
    return readKey(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  // Written whole and fsynced before its name appears: a concurrent starter never reads a partial
  // key, and of two starters racing here one key wins and both use it.
  const key = globalThis.crypto.getRandomValues(new Uint8Array(MASTER_KEY_BYTES));
  return createFileOnce(path, key) ? key : readKey(path);
}

/** HKDF info label of the audit log's MAC key (its own label: the master key itself never MACs). */
export const AUDIT_MAC_KEY_INFO = 'privet-audit-mac|v1';

/** Derives the 32-byte key that MACs audit entries (HKDF-SHA-256, empty salt, as the token keys). */
export function deriveAuditMacKey(master: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', master, new Uint8Array(0), AUDIT_MAC_KEY_INFO, 32));
}
