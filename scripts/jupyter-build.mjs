// Builds the JupyterLab extension without Python: core's dist (the extension bundles
// @privet/core/protocol from it), `tsc -p jupyter-ext` → jupyter-ext/lib, then @jupyter/builder
// (rspack + module federation, the JupyterLab 4.6 way) → jupyter-ext/privet_jupyter/labextension.
// Usage: node scripts/jupyter-build.mjs [--skip-lib] [--development]
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ext = join(root, 'jupyter-ext');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const builder = join(root, 'node_modules', '@jupyter', 'builder', 'lib', 'build-labextension.js');
const coreMeta = join(root, 'node_modules', '@jupyterlab', 'core-meta', 'core.package.json');
const args = process.argv.slice(2);

/** Runs one build step; returns its exit status. */
function step(what, argv, cwd = root) {
  const started = Date.now();
  const r = spawnSync(process.execPath, argv, { cwd, stdio: 'inherit' });
  const took = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`jupyter-build: ${what} ${r.status === 0 ? 'done' : 'FAILED'} in ${took} s`);
  return r.status ?? 1;
}

/** Fails the build with what went wrong and how to fix it. */
function fail(message) {
  console.error(`jupyter-build: ${message}`);
  process.exit(1);
}

for (const [path, fix] of [
  [builder, 'run "npm install" at the repository root'],
  [coreMeta, 'run "npm install" at the repository root'],
]) {
  if (!existsSync(path)) fail(`${path} is missing. Fix: ${fix}.`);
}

if (!args.includes('--skip-lib')) {
  // core is built by the root solution (tsc -b); a type error elsewhere in core must not hide
  // a working protocol module, so only a missing dist/protocol.js stops this build.
  if (step('tsc -b core', [tsc, '-b', 'core']) !== 0) {
    if (!existsSync(join(root, 'core', 'dist', 'protocol.js'))) {
      fail('core/dist/protocol.js was not produced. Fix: make "npx tsc -b core" pass.');
    }
    console.warn(
      'jupyter-build: core has type errors (see above); continuing with its emitted dist.',
    );
  }
  if (step('tsc -p jupyter-ext', [tsc, '-p', 'jupyter-ext']) !== 0) {
    fail('the extension does not type-check. Fix: the errors above.');
  }
}

const builderArgs = [builder, '--core-package-file', coreMeta];
if (args.includes('--development')) builderArgs.push('--development');
// cwd is the extension: license-webpack-plugin resolves module-federation "consume shared"
// modules (which have no file) against the cwd's package.json, and the root one aborts it.
if (step('@jupyter/builder', [...builderArgs, ext], ext) !== 0) {
  fail('the labextension build failed. Fix: the errors above.');
}

const staticDir = join(ext, 'privet_jupyter', 'labextension', 'static');
const duckdbDir = join(staticDir, 'duckdb');
if (!existsSync(duckdbDir) || readdirSync(duckdbDir).length < 2) {
  fail(
    'duckdb-wasm assets were not copied into static/duckdb. Fix: check jupyter-ext/webpack.config.cjs.',
  );
}
const size = readdirSync(staticDir, { recursive: true })
  .map((f) => join(staticDir, String(f)))
  .filter((f) => statSync(f).isFile())
  .reduce((sum, f) => sum + statSync(f).size, 0);
console.log(
  `jupyter-build: labextension ready in jupyter-ext/privet_jupyter/labextension (${(size / 1e6).toFixed(1)} MB)`,
);
