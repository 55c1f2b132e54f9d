// `npm start`: the main job on a fresh machine. Installs what is missing (npm packages, the
// project's .venv with JupyterLab and the Privet extension), builds, generates the demo data
// (first run only), publishes the demo views, then starts the gateway and JupyterLab on 127.0.0.1.
import { existsSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const policy = join(root, 'gateway/demo/policy.yaml');
const demoData = join(root, 'gateway/demo/data');
const state = process.env.PRIVET_STATE ?? join(root, '.privet/demo');
const port = process.env.PRIVET_PORT ?? '8765';
const privet = join(root, 'gateway/bin/privet.js');
const jupyterPort = process.env.PRIVET_JUPYTER_PORT ?? '8888';
const gatewayUrl = `http://127.0.0.1:${port}`;

/** Runs a step, printing its name; exits with its status on failure. */
function step(title, command, args) {
  console.log(`\n▶ ${title}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`✖ ${title} failed (exit ${result.status}). See the output above.`);
    process.exit(result.status ?? 1);
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
  step('Creating the demo experiment (alice proposes, sam approves)', process.execPath, [
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
    'patients_dp',
    'visits_dp',
    '--members',
    'bob',
  ]);
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

console.log('\n▶ Starting the gateway and JupyterLab');
const origins = [`http://127.0.0.1:${jupyterPort}`, `http://localhost:${jupyterPort}`];
const children = [
  spawn(
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
    {
      cwd: root,
      stdio: 'inherit',
    },
  ),
  spawn(
    process.execPath,
    [join(root, 'scripts/jupyter.mjs'), '--port', jupyterPort, '--gateway', gatewayUrl],
    {
      cwd: root,
      stdio: 'inherit',
    },
  ),
];
console.log(
  [
    '',
    `Privet is starting: gateway ${gatewayUrl}/api/v1, JupyterLab http://127.0.0.1:${jupyterPort}/lab`,
    'Open the Privet data panel (left sidebar, or the command palette: "Privet: Open data panel") and sign in',
    'with a token printed above: alice/bob are analysts, rita/raj reviewers, sam the steward. Ctrl+C stops both.',
    '',
  ].join('\n'),
);
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const child of children) {
  child.on('exit', (code) => {
    stop();
    if (children.every((c) => c.exitCode !== null || c.signalCode !== null))
      process.exit(code ?? 0);
  });
}
