/**
 * `npm run bench [name…]`: runs each benchmark module in bench/ (every file exporting `run()`),
 * prints its figures and ratios, and writes them to bench/results/latest.json.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printResult, type BenchResult } from './result.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const wanted = process.argv.slice(2);
const modules = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'result.ts'].includes(f))
  .map((f) => basename(f, '.ts'))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();

const results: BenchResult[] = [];
for (const name of modules) {
  const mod = (await import(join(here, `${name}.ts`))) as { run?: () => Promise<BenchResult> };
  if (typeof mod.run !== 'function') continue;
  console.error(`running ${name}…`);
  const result = await mod.run();
  printResult(result);
  results.push(result);
}
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(
  join(here, 'results', 'latest.json'),
  JSON.stringify({ at: new Date().toISOString(), results }, null, 2),
);
