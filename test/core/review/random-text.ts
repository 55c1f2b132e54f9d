/** Seeded random strings for the tests that compare a hand scan with the regex it replaces. */

/** Seeded PRNG (mulberry32): the same strings on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random string of up to `max` pieces drawn from `pieces`. */
export function randomText(rnd: () => number, pieces: readonly string[], max: number): string {
  let s = '';
  const n = Math.floor(rnd() * max);
  for (let i = 0; i < n; i++) s += pieces[Math.floor(rnd() * pieces.length)] ?? '';
  return s;
}
