// Bundles the extension with esbuild: the extension host entry, the notebook's SQL worker thread
// (dist/sql-worker.cjs) and the language server (CommonJS, Node, `vscode` external), the notebook
// renderers (ESM, browser: Privet's MIME types, and the gate in front of VS Code's built-in
// renderer), the duckdb-wasm engine files
// (shipped inside the extension: never loaded from a CDN) and the policy JSON Schema from core.
// Usage: node scripts/build.mjs [--watch]
import { build, context } from 'esbuild';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(here, 'dist');
const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external: ['vscode'],
  conditions: ['privet-source'],
  logLevel: 'info',
};
const browser = {
  bundle: true,
  platform: 'browser',
  target: 'es2022',
  format: 'esm',
  sourcemap: true,
  conditions: ['privet-source'],
  logLevel: 'info',
};
const configs = [
  { ...node, entryPoints: [join(here, 'src/extension.ts')], outfile: join(dist, 'extension.cjs') },
  {
    ...node,
    entryPoints: [join(here, 'src/sql/engine-worker.ts')],
    outfile: join(dist, 'sql-worker.cjs'),
  },
  { ...node, entryPoints: [join(here, 'src/server/server.ts')], outfile: join(dist, 'server.cjs') },
  {
    ...browser,
    entryPoints: [join(here, 'src/renderer/index.ts')],
    outfile: join(dist, 'renderer.js'),
  },
  {
    ...browser,
    entryPoints: [join(here, 'src/renderer/gate.ts')],
    outfile: join(dist, 'gate-renderer.js'),
  },
];

mkdirSync(join(dist, 'duckdb'), { recursive: true });
const wasmDir = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'));
for (const file of ['duckdb-eh.wasm', 'duckdb-mvp.wasm']) {
  copyFileSync(join(wasmDir, file), join(dist, 'duckdb', file));
}

// The policy schema straight from core (TypeBox → JSON Schema), as `privet policy schema` prints it.
const { register } = await import('tsx/esm/api');
const unregister = register();
const core = await import(join(here, '../core/src/policy/validate-schema.ts'));
unregister();
writeFileSync(
  join(dist, 'policy.schema.json'),
  JSON.stringify(core.policyJsonSchema(), null, 2) + '\n',
);

if (watch) {
  for (const c of configs) await (await context(c)).watch();
} else {
  await Promise.all(configs.map((c) => build(c)));
}
