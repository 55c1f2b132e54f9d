// Creates the project's Python virtual environment (.venv/, git-ignored) for the JupyterLab side:
// JupyterLab 4.6+, ipykernel, pandas, pyarrow and ipywidgets (widget outputs are gated too, so
// the demo and the UI tests have them). Idempotent and fast on a second run: pip is
// only invoked when `pip check`-style probing says a requirement is missing or out of range, and
// ./jupyter-ext is re-installed only when it changed since the last install (a stamp in .venv).
// Before creating .venv it checks python3: on PATH, 3.11 or newer, with a working venv module.
// pip shows its progress on a terminal; elsewhere (CI logs) one line per package, no bars.
// Usage: node scripts/setup-venv.mjs [--with-extension]   (also pip-installs ./jupyter-ext)
//        node scripts/setup-venv.mjs --check-python       (only the python3 check; start.mjs)
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { checkPython, extensionState } from './lib-start.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const venv = join(root, '.venv');
const python = join(venv, 'bin', 'python');
const requirements = ['jupyterlab>=4.6,<5', 'ipykernel', 'pandas', 'pyarrow', 'ipywidgets>=8.1,<9'];
const withExtension = process.argv.includes('--with-extension');
// On a terminal pip draws its download bars; in a log (CI) it prints a line per package only.
const pipOutput = process.stdout.isTTY ? [] : ['--progress-bar', 'off'];
const pipInstall = ['-m', 'pip', 'install', '--disable-pip-version-check', ...pipOutput];

/** Runs a command, streaming its output; exits the script with a clear message on failure. */
function run(cmd, args, what) {
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root });
  if (r.status !== 0) {
    const how = r.error
      ? `could not start ${cmd}: ${r.error.code ?? r.error.message}`
      : `exit ${r.status ?? r.signal}`;
    console.error(
      `setup-venv: ${what} failed (${how}). ` +
        `Fix: check the output above; delete .venv/ and run "node scripts/setup-venv.mjs" again.`,
    );
    process.exit(1);
  }
  console.log(`setup-venv: ${what} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Exits with the reason (and its fix) when python3 cannot create .venv. */
function requirePython() {
  const problem = checkPython('python3');
  if (problem) {
    console.error(`setup-venv: ${problem}`);
    process.exit(1);
  }
}

/** True when every requirement is installed in the venv in a satisfying version. */
function satisfied(reqs) {
  // importlib.metadata + packaging (vendored by pip) answer without touching the network.
  const probe = [
    'import sys',
    'from importlib.metadata import version, PackageNotFoundError',
    'from pip._vendor.packaging.requirements import Requirement',
    'bad = []',
    'for spec in sys.argv[1:]:',
    '    r = Requirement(spec)',
    '    try:',
    '        v = version(r.name)',
    '    except PackageNotFoundError:',
    '        bad.append(spec); continue',
    '    if not r.specifier.contains(v, prereleases=True): bad.append(spec)',
    'print("\\n".join(bad)); sys.exit(1 if bad else 0)',
  ].join('\n');
  const r = spawnSync(python, ['-c', probe, ...reqs], { encoding: 'utf8' });
  return r.status === 0;
}

if (process.argv.includes('--check-python')) {
  if (!existsSync(python)) requirePython();
  process.exit(0);
}

if (!existsSync(python)) {
  requirePython();
  console.log('setup-venv: Creating .venv with python3 -m venv (a few seconds) …');
  run('python3', ['-m', 'venv', venv], 'creating .venv with python3 -m venv');
} else {
  console.log('setup-venv: .venv exists');
}

// The repository's package.json says "type": "module", and Node resolves that for every .js file
// below it, including JupyterLab's bundled yarn.js in .venv (CommonJS): `jupyter lab` then prints
// "Fail to get yarn configuration". A package.json in .venv restores CommonJS for the venv.
const venvPackageJson = join(venv, 'package.json');
if (!existsSync(venvPackageJson)) writeFileSync(venvPackageJson, '{ "type": "commonjs" }\n');

if (satisfied(requirements)) {
  console.log(`setup-venv: already satisfied: ${requirements.join(', ')}`);
} else {
  console.log(
    'setup-venv: Installing JupyterLab, ipykernel, pandas, pyarrow and ipywidgets into .venv ' +
      '(a few minutes on first run) …',
  );
  run(python, [...pipInstall, ...requirements], `pip install ${requirements.join(' ')}`);
}

if (withExtension) {
  const ext = join(root, 'jupyter-ext');
  const built = join(ext, 'privet_jupyter', 'labextension', 'package.json');
  if (!existsSync(built)) {
    console.error(
      'setup-venv: the labextension is not built (jupyter-ext/privet_jupyter/labextension). ' +
        'Fix: run "npm run build -w jupyter-ext" first.',
    );
    process.exit(1);
  }
  const installed = join(venv, 'share', 'jupyter', 'labextensions', '@privet', 'jupyter-ext');
  const stamp = join(venv, '.privet-jupyter-ext.sha256');
  const { upToDate, inputs } = extensionState(ext, installed, stamp);
  if (upToDate) {
    console.log('setup-venv: the Privet extension in .venv is up to date with ./jupyter-ext');
  } else {
    rmSync(stamp, { force: true });
    console.log('setup-venv: Installing the Privet extension (./jupyter-ext) into .venv …');
    run(python, [...pipInstall, './jupyter-ext'], 'pip install ./jupyter-ext');
    writeFileSync(stamp, inputs + '\n');
  }
}
console.log('setup-venv: ready (.venv/bin/jupyter)');
