// Runs every *.test.ts under test/ with Node's own test runner (TypeScript through tsx, sources
// of the workspace packages through the "privet-source" export condition, so no build is needed).
// `--slow` runs the *.slow.test.ts files instead (long statistical tests).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const slow = process.argv.includes('--slow');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));

/** Lists test files below a folder, depth first, in a stable order. */
function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'fixtures') continue;
    if (statSync(path).isDirectory()) out.push(...findTests(path));
    else if (name.endsWith('.test.ts')) {
      const isSlow = name.endsWith('.slow.test.ts');
      if (isSlow === slow) out.push(path);
    }
  }
  return out;
}

const files = (only.length > 0 ? only : findTests('test')).filter(Boolean);
if (files.length === 0) {
  console.error('run-tests: no test files found');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--conditions=privet-source', '--import', 'tsx', '--test', '--test-concurrency=2', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
