// `npm start`: the main job on a fresh machine. Installs what is missing (npm packages, the
// project's .venv with JupyterLab and the Privet extension), builds, generates the demo data
// (first run only), publishes the demo views, then starts the gateway and JupyterLab on 127.0.0.1.
import { existsSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kernelLanguageInfo, writeDemoNotebook } from './demo-notebook.mjs';
import { checkPython, exitOutcome, portProblems } from './lib-start.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const policy = join(root, 'gateway/demo/policy.yaml');
const demoData = join(root, 'gateway/demo/data');
// Everything npm start keeps between runs (git-ignored): the demo's gateway state, the notebooks,
// JupyterLab's settings and workspaces. PRIVET_HOME puts them elsewhere (the npm start UI test).
const home = process.env.PRIVET_HOME ?? join(root, '.privet');
const state = process.env.PRIVET_STATE ?? join(home, 'demo');
const port = process.env.PRIVET_PORT ?? '8765';
const privet = join(root, 'gateway/bin/privet.js');
const jupyterPort = process.env.PRIVET_JUPYTER_PORT ?? '8888';
const gatewayUrl = `http://127.0.0.1:${port}`;
const notebooks = join(home, 'notebooks');
const demoNotebook = 'privet-demo.ipynb';

const gatewayService = {
  service: 'the gateway',
  hint: 'Fix: see its error above (a port in use: set PRIVET_PORT=<another port>).',
};
const jupyterService = {
  service: 'JupyterLab',
  hint:
    'Fix: see its error above (a port in use: set PRIVET_JUPYTER_PORT=<another port>; ' +
    'a broken .venv: delete .venv/ and run npm start again).',
};

/**
 * Runs a step, printing its name; exits with its status on failure. A `quiet` step's output is
 * shown only when it fails (e.g. the proposal's whole JSON record).
 */
function step(title, command, args, { quiet = false } = {}) {
  console.log(`\n▶ ${title}`);
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    if (quiet) process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    const how = result.error?.code ?? result.status ?? result.signal;
    console.error(`✖ ${title} failed (exit ${how}). See the output above.`);
    process.exit(result.status ?? 1);
  }
}

/** Exits with a message naming each port (gateway, JupyterLab) that is taken, and its setting. */
async function requireFreePorts() {
  const problems = await portProblems([
    { port, setting: 'PRIVET_PORT=<another port> (the gateway)' },
    { port: jupyterPort, setting: 'PRIVET_JUPYTER_PORT=<another port> (JupyterLab)' },
  ]);
  for (const problem of problems) console.error(`✖ ${problem}`);
  if (problems.length > 0) process.exit(1);
}

// Checks that fail in a second, before minutes of npm install and builds: the ports are free and,
// when .venv is still to be made, python3 is there, 3.11+, with venv.
await requireFreePorts();
if (!existsSync(join(root, '.venv/bin/python'))) {
  const problem = checkPython('python3');
  if (problem) {
    console.error(`✖ ${problem}`);
    process.exit(1);
  }
}

if (!existsSync(join(root, 'node_modules/@duckdb/node-api')))
  step('Installing npm dependencies', 'npm', ['ci', '--no-audit', '--no-fund']);
step('Building (tsc -b)', 'npm', ['run', 'build', '--silent']);
step('Building the JupyterLab extension', process.execPath, [
  join(root, 'scripts/jupyter-build.mjs'),
]);
step('Preparing .venv (JupyterLab, ipykernel, the Privet extension)', process.execPath, [
  join(root, 'scripts/setup-venv.mjs'),
  '--with-extension',
]);
if (
  !existsSync(join(demoData, 'patients.parquet')) ||
  !existsSync(join(demoData, 'visits.parquet'))
) {
  step('Generating the demo dataset (first run only)', process.execPath, [
    privet,
    'demo',
    'generate',
    '--out',
    demoData,
  ]);
}
step('Publishing the demo views', process.execPath, [
  privet,
  'publish',
  '--policy',
  policy,
  '--state',
  state,
]);

// A demo experiment for alice, approved by the steward sam (four eyes), so the panel has data.
const demoExperiment = ['--policy', policy, '--state', state];
const listed = spawnSync(
  process.execPath,
  [privet, 'experiment', 'list', ...demoExperiment, '--user', 'sam'],
  {
    cwd: root,
    encoding: 'utf8',
  },
);
if (!/^demo\t/m.test(listed.stdout ?? '')) {
  step(
    'Creating the demo experiment (alice proposes, sam approves)',
    process.execPath,
    [
      privet,
      'experiment',
      'propose',
      ...demoExperiment,
      '--user',
      'alice',
      '--id',
      'demo',
      '--title',
      'Clinic demo',
      '--purpose',
      'Explore the demo clinic data safely',
      '--views',
      'patients_masked',
      'visits_masked',
      'patients_synthetic',
      'patients_dp',
      'visits_dp',
      '--members',
      'bob',
    ],
    { quiet: true },
  );
  step('Approving the demo experiment', process.execPath, [
    privet,
    'experiment',
    'approve',
    'demo',
    ...demoExperiment,
    '--user',
    'sam',
    '--note',
    'demo',
  ]);
}

// First run only: the kernel's language_info is asked of the venv only when the notebook is new.
const demoNotebookFile = join(notebooks, demoNotebook);
if (!existsSync(demoNotebookFile))
  writeDemoNotebook(demoNotebookFile, kernelLanguageInfo(join(root, '.venv/bin/python')));
await requireFreePorts(); // again: the build took a while

console.log('\n▶ Starting the gateway and JupyterLab');
const origins = [`http://127.0.0.1:${jupyterPort}`, `http://localhost:${jupyterPort}`];
// JupyterLab's own token is made here so the demo link can carry it; the gateway token for alice
// travels only in the link's #fragment (never sent to a server, removed from the address bar by the
// extension, kept in that tab's sessionStorage). Tokens are re-issued at every start.
const jupyterToken = randomBytes(24).toString('hex');
const gatewayChild = spawn(
  process.execPath,
  [
    privet,
    'serve',
    '--policy',
    policy,
    '--state',
    state,
    '--port',
    port,
    '--issue-tokens',
    '--cors',
    ...origins,
  ],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
);
const tokens = {};
let tokensExpireAt = '';
const tokensReady = new Promise((resolve) => {
  createInterface({ input: gatewayChild.stdout }).on('line', (line) => {
    process.stdout.write(line + '\n');
    const match = /^\s*token for (\w+): (\S+)$/.exec(line);
    if (match) tokens[match[1]] = match[2];
    const expiry = /^\s*\(tokens expire at (\S+)\)$/.exec(line);
    if (expiry) tokensExpireAt = expiry[1];
    if (tokensExpireAt && tokens.alice && tokens.rita && tokens.sam) resolve(tokens);
  });
});
const children = [
  gatewayChild,
  spawn(
    process.execPath,
    [
      join(root, 'scripts/jupyter.mjs'),
      '--port',
      jupyterPort,
      '--dir',
      notebooks,
      '--gateway',
      gatewayUrl,
      '--token',
      jupyterToken,
      // Warnings and errors only, so the steps and the demo link are not lost in the server's
      // request log; PRIVET_JUPYTER_LOG_LEVEL=INFO shows all of it.
      '--log-level',
      process.env.PRIVET_JUPYTER_LOG_LEVEL ?? 'WARN',
    ],
    { cwd: root, stdio: 'inherit' },
  ),
];
void announce();
let stopping = false;
let userStopped = false;
let firstExit = null; // the first service to exit decides how npm start ends (exitOutcome)
const stop = () => {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
};
const userStop = () => {
  if (firstExit === null) userStopped = true;
  stop();
};
process.on('SIGINT', userStop);
process.on('SIGTERM', userStop);
const services = [gatewayService, jupyterService];
children.forEach((child, index) => {
  child.on('exit', (code, signal) => {
    firstExit ??= { ...services[index], code, signal };
    stop();
    if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) {
      const outcome = exitOutcome(firstExit, userStopped);
      if (outcome.message) console.error(`\n${outcome.message}`);
      process.exit(outcome.code);
    }
  });
});

/** Waits (bounded) for JupyterLab's REST API to answer. */
async function jupyterReady() {
  const url = `http://127.0.0.1:${jupyterPort}/api/status?token=${jupyterToken}`;
  for (let attempt = 0; attempt < 240; attempt++) {
    try {
      if ((await fetch(url)).ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}

/** Prints (and, on a desktop, opens) the demo link signed in as alice; says how to be rita or sam. */
async function announce() {
  const timeout = new Promise((resolve) => setTimeout(() => resolve(null), 120_000).unref());
  const [issued, ready] = await Promise.all([Promise.race([tokensReady, timeout]), jupyterReady()]);
  if (!issued || !ready) {
    console.error('✖ The gateway or JupyterLab did not come up within two minutes; see above.');
    return;
  }
  const lab = `http://127.0.0.1:${jupyterPort}/lab`;
  const link = (user, path = '') =>
    `${lab}${path}?token=${jupyterToken}#privet-token=${issued[user]}`;
  const demo = link('alice', `/tree/${demoNotebook}`);
  console.log(
    [
      '',
      `Privet is running: gateway ${gatewayUrl}/api/v1, JupyterLab ${lab}`,
      '',
      'Demo notebook beside the Privet data panel, signed in as the demo analyst alice:',
      `  ${demo}`,
      'As the reviewer rita (it opens her review queue), in another tab:',
      `  ${link('rita')}`,
      'As the steward sam, in another tab:',
      `  ${link('sam')}`,
      'Each tab keeps its own sign-in (sessionStorage). A link asks "Sign in to Privet?" before it signs',
      "in as someone other than the user last signed in in this browser (a link may carry anyone's token).",
      'The tokens above are re-issued at every start',
      `and expire at ${tokensExpireAt} (restart for fresh links).`,
      'Or sign in by hand in the Privet data panel with a token printed above. Ctrl+C stops both.',
      '',
    ].join('\n'),
  );
  if (process.env.DISPLAY && !process.env.PRIVET_NO_BROWSER) {
    const opener = spawn('xdg-open', [demo], { stdio: 'ignore', detached: true });
    opener.on('error', () => {}); // no desktop opener: the link above is enough
    opener.unref();
  }
}
