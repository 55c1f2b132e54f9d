// Why: "same seed, data, policy and ε → identical output" needs a deterministic stream, yet every
// DP noise draw must still come from a CSPRNG-quality source. ChaCha20 (RFC 8439) keyed by
// SHA-256(seed) is such a stream: it is a standard stream cipher whose keystream is
// indistinguishable from random without the key. It is written here in pure TypeScript (a few
// dozen lines, checked against the RFC test vector) because Web Crypto has no synchronous cipher,
// and SHA-256 comes from `crypto.subtle` (hence the async factory). Unseeded runs use the
// process CSPRNG (`defaultRandomSource`), never this class.
import type { RandomSource } from '../dp/random.js';
import { defaultRandomSource } from '../dp/random.js';
import { SynthError } from './errors.js';
import { sha256Hex } from '../hex.js';

const SIGMA = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574];

/** Runs the 20-round ChaCha block function on `state`, writing 16 output words into `out`. */
export function chachaBlock(state: Uint32Array, out: Uint32Array): void {
  let x0 = state[0]!,
    x1 = state[1]!,
    x2 = state[2]!,
    x3 = state[3]!;
  let x4 = state[4]!,
    x5 = state[5]!,
    x6 = state[6]!,
    x7 = state[7]!;
  let x8 = state[8]!,
    x9 = state[9]!,
    x10 = state[10]!,
    x11 = state[11]!;
  let x12 = state[12]!,
    x13 = state[13]!,
    x14 = state[14]!,
    x15 = state[15]!;
  for (let i = 0; i < 10; i++) {
    // column rounds
    x0 = (x0 + x4) | 0;
    x12 ^= x0;
    x12 = (x12 << 16) | (x12 >>> 16);
    x8 = (x8 + x12) | 0;
    x4 ^= x8;
    x4 = (x4 << 12) | (x4 >>> 20);
    x0 = (x0 + x4) | 0;
    x12 ^= x0;
    x12 = (x12 << 8) | (x12 >>> 24);
    x8 = (x8 + x12) | 0;
    x4 ^= x8;
    x4 = (x4 << 7) | (x4 >>> 25);
    x1 = (x1 + x5) | 0;
    x13 ^= x1;
    x13 = (x13 << 16) | (x13 >>> 16);
    x9 = (x9 + x13) | 0;
    x5 ^= x9;
    x5 = (x5 << 12) | (x5 >>> 20);
    x1 = (x1 + x5) | 0;
    x13 ^= x1;
    x13 = (x13 << 8) | (x13 >>> 24);
    x9 = (x9 + x13) | 0;
    x5 ^= x9;
    x5 = (x5 << 7) | (x5 >>> 25);
    x2 = (x2 + x6) | 0;
    x14 ^= x2;
    x14 = (x14 << 16) | (x14 >>> 16);
    x10 = (x10 + x14) | 0;
    x6 ^= x10;
    x6 = (x6 << 12) | (x6 >>> 20);
    x2 = (x2 + x6) | 0;
    x14 ^= x2;
    x14 = (x14 << 8) | (x14 >>> 24);
    x10 = (x10 + x14) | 0;
    x6 ^= x10;
    x6 = (x6 << 7) | (x6 >>> 25);
    x3 = (x3 + x7) | 0;
    x15 ^= x3;
    x15 = (x15 << 16) | (x15 >>> 16);
    x11 = (x11 + x15) | 0;
    x7 ^= x11;
    x7 = (x7 << 12) | (x7 >>> 20);
    x3 = (x3 + x7) | 0;
    x15 ^= x3;
    x15 = (x15 << 8) | (x15 >>> 24);
    x11 = (x11 + x15) | 0;
    x7 ^= x11;
    x7 = (x7 << 7) | (x7 >>> 25);
    // diagonal rounds
    x0 = (x0 + x5) | 0;
    x15 ^= x0;
    x15 = (x15 << 16) | (x15 >>> 16);
    x10 = (x10 + x15) | 0;
    x5 ^= x10;
    x5 = (x5 << 12) | (x5 >>> 20);
    x0 = (x0 + x5) | 0;
    x15 ^= x0;
    x15 = (x15 << 8) | (x15 >>> 24);
    x10 = (x10 + x15) | 0;
    x5 ^= x10;
    x5 = (x5 << 7) | (x5 >>> 25);
    x1 = (x1 + x6) | 0;
    x12 ^= x1;
    x12 = (x12 << 16) | (x12 >>> 16);
    x11 = (x11 + x12) | 0;
    x6 ^= x11;
    x6 = (x6 << 12) | (x6 >>> 20);
    x1 = (x1 + x6) | 0;
    x12 ^= x1;
    x12 = (x12 << 8) | (x12 >>> 24);
    x11 = (x11 + x12) | 0;
    x6 ^= x11;
    x6 = (x6 << 7) | (x6 >>> 25);
    x2 = (x2 + x7) | 0;
    x13 ^= x2;
    x13 = (x13 << 16) | (x13 >>> 16);
    x8 = (x8 + x13) | 0;
    x7 ^= x8;
    x7 = (x7 << 12) | (x7 >>> 20);
    x2 = (x2 + x7) | 0;
    x13 ^= x2;
    x13 = (x13 << 8) | (x13 >>> 24);
    x8 = (x8 + x13) | 0;
    x7 ^= x8;
    x7 = (x7 << 7) | (x7 >>> 25);
    x3 = (x3 + x4) | 0;
    x14 ^= x3;
    x14 = (x14 << 16) | (x14 >>> 16);
    x9 = (x9 + x14) | 0;
    x4 ^= x9;
    x4 = (x4 << 12) | (x4 >>> 20);
    x3 = (x3 + x4) | 0;
    x14 ^= x3;
    x14 = (x14 << 8) | (x14 >>> 24);
    x9 = (x9 + x14) | 0;
    x4 ^= x9;
    x4 = (x4 << 7) | (x4 >>> 25);
  }
  out[0] = x0 + state[0]!;
  out[1] = x1 + state[1]!;
  out[2] = x2 + state[2]!;
  out[3] = x3 + state[3]!;
  out[4] = x4 + state[4]!;
  out[5] = x5 + state[5]!;
  out[6] = x6 + state[6]!;
  out[7] = x7 + state[7]!;
  out[8] = x8 + state[8]!;
  out[9] = x9 + state[9]!;
  out[10] = x10 + state[10]!;
  out[11] = x11 + state[11]!;
  out[12] = x12 + state[12]!;
  out[13] = x13 + state[13]!;
  out[14] = x14 + state[14]!;
  out[15] = x15 + state[15]!;
}

/** Blocks generated per refill (64 words each). */
const BLOCKS_PER_REFILL = 64;

/** A deterministic ChaCha20 keystream as a `RandomSource` (32-byte key, 12-byte nonce). */
export class ChaChaRandomSource implements RandomSource {
  private readonly state = new Uint32Array(16);
  private readonly buffer = new Uint32Array(16 * BLOCKS_PER_REFILL);
  private readonly block = new Uint32Array(16);
  private index = this.buffer.length;

  constructor(key: Uint8Array, nonce: Uint8Array = new Uint8Array(12), counter = 0) {
    if (key.length !== 32 || nonce.length !== 12) {
      throw new SynthError(
        'random.bad-key',
        'ChaCha20 needs a 32-byte key and a 12-byte nonce',
        'derive the key with seededRandom(seed)',
      );
    }
    const kv = new DataView(key.buffer, key.byteOffset, 32);
    const nv = new DataView(nonce.buffer, nonce.byteOffset, 12);
    this.state.set(SIGMA, 0);
    for (let i = 0; i < 8; i++) this.state[4 + i] = kv.getUint32(4 * i, true);
    this.state[12] = counter;
    for (let i = 0; i < 3; i++) this.state[13 + i] = nv.getUint32(4 * i, true);
  }

  /** The next keystream word (little-endian), a uniform integer in [0, 2^32). */
  nextUint32(): number {
    if (this.index >= this.buffer.length) this.refill();
    return this.buffer[this.index++]!;
  }

  private refill(): void {
    for (let b = 0; b < BLOCKS_PER_REFILL; b++) {
      chachaBlock(this.state, this.block);
      this.buffer.set(this.block, 16 * b);
      this.state[12] = (this.state[12]! + 1) >>> 0;
      if (this.state[12] === 0) this.state[13] = (this.state[13]! + 1) >>> 0; // 2^32 blocks: carry into nonce
    }
    this.index = 0;
  }
}

/** Domain-separation label hashed with the seed, so seeds of other features never collide with ours. */
const LABEL = 'privet/synth/chacha20-drbg/v1\u0000';

/** A deterministic CSPRNG-quality stream for `seed` (key = SHA-256(label ‖ seed) via Web Crypto). */
export async function seededRandom(seed: string): Promise<ChaChaRandomSource> {
  if (typeof globalThis.crypto?.subtle?.digest !== 'function') {
    throw new SynthError(
      'random.no-subtle',
      'crypto.subtle.digest is not available, so a seeded stream cannot be derived',
      'run on Node 20+ or a browser secure context, or omit the seed to use the system CSPRNG',
    );
  }
  const bytes = new TextEncoder().encode(LABEL + seed);
  const key = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes));
  return new ChaChaRandomSource(key);
}

/** The seeded stream when a seed is given, otherwise the process CSPRNG. */
export async function randomFor(seed: string | undefined): Promise<RandomSource> {
  return seed === undefined ? defaultRandomSource() : seededRandom(seed);
}

/** SHA-256 of the seed (hex, own label so it is never the stream key) for manifests. */
export async function seedHash(seed: string): Promise<string> {
  return sha256Hex('privet/synth/seed-id/v1\u0000' + seed);
}
