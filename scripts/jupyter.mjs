// Starts JupyterLab from the project's .venv with the Privet extension, on 127.0.0.1 only.
// Settings and workspaces live in .privet/jupyter/ (git-ignored; $PRIVET_HOME/jupyter/ when
// PRIVET_HOME is set), notebooks in .privet/notebooks/ unless --dir is given; --gateway URL seeds
// the data panel's gatewayUrl setting. The gateway must allow this JupyterLab's origin
// (http://127.0.0.1:PORT) in its CORS origins.
// Usage: node scripts/jupyter.mjs [--port 8888] [--dir FOLDER] [--gateway URL] [--token TOKEN]
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { parseArgs } from 'node:util';
import { portProblems } from './lib-start.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const home = process.env.PRIVET_HOME ?? join(root, '.privet');
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PRIVET_JUPYTER_PORT ?? '8888' },
    dir: { type: 'string', default: join(home, 'notebooks') },
    gateway: { type: 'string' },
    token: { type: 'string' },
    // JupyterLab's server log level (DEBUG, INFO, WARN, ERROR, CRITICAL); npm start passes WARN.
    'log-level': { type: 'string', default: 'INFO' },
  },
});

const jupyter = join(root, '.venv', 'bin', 'jupyter');
const installed = join(
  root,
  '.venv',
  'share',
  'jupyter',
  'labextensions',
  '@privet',
  'jupyter-ext',
);
if (!existsSync(jupyter) || !existsSync(installed)) {
  console.error(
    'jupyter: JupyterLab or the Privet extension is not installed in .venv. Fix: run\n' +
      '  npm run build -w jupyter-ext && node scripts/setup-venv.mjs --with-extension',
  );
  process.exit(1);
}

// JupyterLab would quietly move to another port when this one is taken (port_retries), away from
// the origin the gateway allows and the address start.mjs waits on: check it, and forbid moving.
const [portProblem] = await portProblems([
  { port: values.port, setting: '--port <another port> (npm start: PRIVET_JUPYTER_PORT)' },
]);
if (portProblem) {
  console.error(`jupyter: ${portProblem}`);
  process.exit(1);
}

const notebooks = resolve(values.dir);
const settingsDir = join(home, 'jupyter', 'user-settings');
const workspacesDir = join(home, 'jupyter', 'workspaces');
for (const dir of [notebooks, settingsDir, workspacesDir]) mkdirSync(dir, { recursive: true });

if (values.gateway) {
  // Merge gatewayUrl into the user's settings file (JSON5 files written by JupyterLab are plain
  // JSON plus comments; a file we cannot parse is left alone and reported).
  const file = join(settingsDir, '@privet', 'jupyter-ext', 'plugin.jupyterlab-settings');
  mkdirSync(dirname(file), { recursive: true });
  let current = {};
  if (existsSync(file)) {
    try {
      current = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      console.error(`jupyter: cannot parse ${file}; set the gateway URL in Settings → Privet.`);
      process.exit(1);
    }
  }
  writeFileSync(file, JSON.stringify({ ...current, gatewayUrl: values.gateway }, null, 2));
}

// No "news from Jupyter" prompt over the demo (the user can switch it on in the settings).
const notification = join(
  settingsDir,
  '@jupyterlab',
  'apputils-extension',
  'notification.jupyterlab-settings',
);
if (!existsSync(notification)) {
  mkdirSync(dirname(notification), { recursive: true });
  writeFileSync(
    notification,
    JSON.stringify({ fetchNews: 'false', checkForUpdates: false }, null, 2),
  );
}

const args = [
  'lab',
  '--no-browser',
  '--ip=127.0.0.1',
  `--port=${values.port}`,
  '--ServerApp.port_retries=0',
  `--ServerApp.root_dir=${notebooks}`,
  `--LabApp.user_settings_dir=${settingsDir}`,
  `--LabApp.workspaces_dir=${workspacesDir}`,
  `--ServerApp.log_level=${values['log-level']}`,
  `--LabApp.log_level=${values['log-level']}`,
];
if (process.getuid?.() === 0) args.push('--allow-root');
if (values.token !== undefined) args.push(`--IdentityProvider.token=${values.token}`);

console.log(
  `jupyter: JupyterLab on http://127.0.0.1:${values.port}/lab (notebooks in ${notebooks})`,
);
const child = spawn(jupyter, args, { cwd: notebooks, stdio: 'inherit' });
let stopping = false;
const stop = () => {
  stopping = true;
  child.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
// Killed by a signal we did not send (e.g. out of memory): fail, so npm start reports it.
child.on('exit', (code, signal) =>
  process.exit(code ?? (stopping ? 0 : 128 + (constants.signals[signal] ?? 0))),
);
