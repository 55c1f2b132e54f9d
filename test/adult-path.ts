/**
 * Where the shared UCI Adult benchmark lives: `$PRIVET_SHARED/data/adult`, else `shared/` beside
 * the repository (how CI and sessions lay it out), else /work/shared.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const repo = fileURLToPath(new URL('..', import.meta.url));
const candidates = [
  ...(process.env.PRIVET_SHARED ? [join(process.env.PRIVET_SHARED, 'data/adult')] : []),
  join(repo, '..', 'shared', 'data', 'adult'),
  '/work/shared/data/adult',
];

/** The folder holding adult.csv and adult-domain.json. */
export const ADULT_DIR =
  candidates.find((dir) => existsSync(join(dir, 'adult.csv'))) ??
  candidates[candidates.length - 1]!;
