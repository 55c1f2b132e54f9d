// Why: export bundles are signed with Ed25519 (node:crypto) so anyone holding the public key can
// check a bundle offline. The private key is created on first use and written atomically: a
// 0600 temp file is fully written and fsynced, then hard-linked to `<state>/signing.key`. link()
// fails if the name exists, so two processes racing to create the key both end up using the one
// that won, and a crash never leaves a half-written key behind (see ../durable-file.ts).
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createFileOnce, removeStaleTemps } from '../durable-file.js';

/** The gateway's export signing key. */
export interface SigningKey {
  privateKey: KeyObject;
  /** Raw 32-byte Ed25519 public key. */
  publicKeyRaw: Buffer;
  /** SHA-256 (hex) of the raw public key. */
  keyId: string;
}

/** Path of the signing key in a state folder. */
export function signingKeyPath(stateDir: string): string {
  return join(stateDir, 'signing.key');
}

/** Raw 32-byte public key of an Ed25519 key object (private or public). */
export function rawPublicKey(key: KeyObject): Buffer {
  const jwk = (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string')
    throw new Error('the signing key is not an Ed25519 key. Fix: delete it to create a new one');
  return Buffer.from(jwk.x, 'base64url');
}

/** An Ed25519 public key object from its raw 32 bytes. */
export function publicKeyFromRaw(raw: Buffer): KeyObject {
  if (raw.length !== 32)
    throw new Error(`an Ed25519 public key has 32 bytes, this one has ${raw.length}`);
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
    format: 'jwk',
  });
}

/** SHA-256 (hex) of a raw public key: the key id in manifests. */
export function keyIdOf(raw: Buffer): string {
  return createHash('sha256').update(raw).digest('hex');
}

function fromPem(pem: string, path: string): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw new Error(
      `signing key ${path} cannot be read as a PEM private key. Fix: restore it from backup, or delete it to create a new key (older bundles then verify only with the old public key)`,
    );
  }
  const publicKeyRaw = rawPublicKey(privateKey);
  return { privateKey, publicKeyRaw, keyId: keyIdOf(publicKeyRaw) };
}

/** Reads an existing signing key (refusing one readable by others), or undefined when there is none. */
export function readSigningKey(stateDir: string): SigningKey | undefined {
  const path = signingKeyPath(stateDir);
  let mode: number;
  try {
    mode = statSync(path).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if ((mode & 0o077) !== 0)
    throw new Error(
      `signing key ${path} is readable by other users (mode ${mode.toString(8)}). Fix: chmod 600 ${path}`,
    );
  return fromPem(readFileSync(path, 'utf8'), path);
}

/** Reads the signing key, creating it (Ed25519, 0600, atomically) if the state folder has none. */
export function loadOrCreateSigningKey(stateDir: string): SigningKey {
  removeStaleTemps(signingKeyPath(stateDir)); // a copy of the key left by a crash while it was created
  const existing = readSigningKey(stateDir);
  if (existing) return existing;
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const path = signingKeyPath(stateDir);
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  createFileOnce(path, pem); // false: another process created it first, and its key is read
  const key = readSigningKey(stateDir);
  if (!key) throw new Error(`signing key ${path} vanished while it was created. Fix: try again`);
  return key;
}
