/**
 * Where the demo clinic's patients live: a regional network in Massachusetts. About 300 ZIP codes
 * share 13 three-digit prefixes with skewed (Zipf-like) populations, so that generalizing ZIP to
 * its 3-digit prefix (the demo policy's `prefix: 3`) yields groups large enough for k = 5.
 */
import { Weighted, type DemoRandom } from './random.js';

interface Region {
  prefix: string;
  /** Relative population share. */
  weight: number;
  towns: readonly string[];
  areaCodes: readonly string[];
}

const REGIONS: readonly Region[] = [
  {
    prefix: '021',
    weight: 22,
    towns: ['Boston', 'Cambridge', 'Quincy', 'Somerville'],
    areaCodes: ['617', '857'],
  },
  {
    prefix: '024',
    weight: 12,
    towns: ['Newton', 'Waltham', 'Lexington'],
    areaCodes: ['781', '339'],
  },
  {
    prefix: '018',
    weight: 10,
    towns: ['Woburn', 'Lowell', 'Burlington'],
    areaCodes: ['978', '781'],
  },
  { prefix: '019', weight: 9, towns: ['Salem', 'Lynn', 'Beverly'], areaCodes: ['978', '781'] },
  {
    prefix: '017',
    weight: 8,
    towns: ['Framingham', 'Marlborough', 'Natick'],
    areaCodes: ['508', '774'],
  },
  {
    prefix: '016',
    weight: 8,
    towns: ['Worcester', 'Shrewsbury', 'Auburn'],
    areaCodes: ['508', '774'],
  },
  { prefix: '020', weight: 7, towns: ['Norwood', 'Dedham', 'Walpole'], areaCodes: ['781', '508'] },
  {
    prefix: '023',
    weight: 6,
    towns: ['Brockton', 'Bridgewater', 'Abington'],
    areaCodes: ['508', '774'],
  },
  { prefix: '010', weight: 5, towns: ['Springfield', 'Chicopee', 'Westfield'], areaCodes: ['413'] },
  {
    prefix: '027',
    weight: 4,
    towns: ['New Bedford', 'Fall River', 'Taunton'],
    areaCodes: ['508', '774'],
  },
  {
    prefix: '014',
    weight: 3.5,
    towns: ['Fitchburg', 'Leominster', 'Gardner'],
    areaCodes: ['978', '351'],
  },
  {
    prefix: '026',
    weight: 3,
    towns: ['Hyannis', 'Falmouth', 'Barnstable'],
    areaCodes: ['508', '774'],
  },
  { prefix: '012', weight: 2.5, towns: ['Pittsfield', 'North Adams', 'Lenox'], areaCodes: ['413'] },
];

/** Number of distinct ZIP codes in the demo geography. */
export const ZIP_COUNT = 300;

/** One ZIP code with its town and telephone area codes. */
export interface Zip {
  zip: string;
  town: string;
  areaCodes: readonly string[];
}

/** Builds the ~300 ZIP codes and a skewed distribution over them (seeded: which suffixes exist). */
export function buildGeography(random: DemoRandom): Weighted<Zip> {
  const totalWeight = REGIONS.reduce((s, r) => s + r.weight, 0);
  const zips: Zip[] = [];
  const weights: number[] = [];
  let remaining = ZIP_COUNT;
  REGIONS.forEach((region, i) => {
    const count =
      i === REGIONS.length - 1
        ? remaining
        : Math.max(8, Math.round((ZIP_COUNT * region.weight) / totalWeight));
    remaining -= count;
    // Distinct two-digit suffixes 01..99, drawn without replacement, in ascending order.
    const pool = Array.from({ length: 99 }, (_, k) => k + 1);
    for (let k = 0; k < count; k++) {
      const j = k + random.int(0, pool.length - 1 - k);
      [pool[k], pool[j]] = [pool[j]!, pool[k]!];
    }
    const suffixes = pool.slice(0, count).sort((a, b) => a - b);
    // Within a prefix a few ZIPs are populous and most are small (Zipf, exponent 0.8).
    const ranks = suffixes.map((_, k) => k);
    for (let k = ranks.length - 1; k > 0; k--) {
      const j = random.int(0, k);
      [ranks[k], ranks[j]] = [ranks[j]!, ranks[k]!];
    }
    const zipfTotal = ranks.reduce((s, r) => s + 1 / (r + 1) ** 0.8, 0);
    suffixes.forEach((suffix, k) => {
      zips.push({
        zip: region.prefix + String(suffix).padStart(2, '0'),
        town: region.towns[k % region.towns.length]!,
        areaCodes: region.areaCodes,
      });
      weights.push((region.weight * (1 / (ranks[k]! + 1) ** 0.8)) / zipfTotal);
    });
  });
  return new Weighted(zips, weights);
}
