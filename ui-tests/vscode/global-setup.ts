/**
 * Global setup of the VS Code UI tests: builds and packages the extension (.vsix), installs
 * code-server 4.100.3 into .cache/ when missing (scripts/setup-code-server.mjs), starts a real
 * gateway (ui-tests/support/gateway-process.ts: demo data, published views, approved experiment),
 * installs the .vsix into a fresh extensions folder the way a user does (`--install-extension`),
 * and starts code-server on a free 127.0.0.1 port over a workspace holding the demo notebook.
 * Returns the teardown.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { captureOutput, freePort, stopProcess, waitForHttp } from '../support/processes.js';
import { launchGateway } from '../support/launch-gateway.js';
import {
  demoNotebook,
  echoDisplayNotebook,
  echoNotebook,
  echoSplitNotebook,
} from './support/demo-notebook.js';
import { VSCODE_ENV_VAR, type VsCodeTestEnv } from './support/env.js';

const repoRoot = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);

/** Runs a setup step; throws with its output when it fails. */
function step(what: string, cmd: string, args: string[], cwd = repoRoot): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) {
    throw new Error(
      `${what} failed (exit ${r.status}):\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`,
    );
  }
  return r.stdout;
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const vscodeExt = join(repoRoot, 'vscode-ext');
  step('building the extension', process.execPath, ['scripts/build.mjs'], vscodeExt);
  step('packaging the .vsix', process.execPath, ['scripts/package.mjs'], vscodeExt);
  const vsix = join(
    vscodeExt,
    'dist-vsix',
    readdirSync(join(vscodeExt, 'dist-vsix')).find((f) => f.endsWith('.vsix'))!,
  );
  const setupOut = step('installing code-server', process.execPath, [
    'scripts/setup-code-server.mjs',
  ]);
  const codeServer = setupOut.trim().split('\n').pop()!;

  const work = mkdtempSync(join(tmpdir(), 'privet-vscode-'));
  const workspace = join(work, 'workspace');
  const userData = join(work, 'user-data');
  const extensions = join(work, 'extensions');
  for (const dir of [workspace, join(userData, 'User'), extensions])
    mkdirSync(dir, { recursive: true });
  writeFileSync(join(workspace, 'privet-demo.ipynb'), demoNotebook());
  writeFileSync(join(workspace, 'echo-demo.ipynb'), echoNotebook());
  writeFileSync(join(workspace, 'echo-display.ipynb'), echoDisplayNotebook());
  writeFileSync(join(workspace, 'echo-split.ipynb'), echoSplitNotebook());
  // A stand-in for a third-party kernel (fixtures/echo-kernel), packaged like any extension.
  const echoStage = join(work, 'echo-kernel');
  cpSync(join(import.meta.dirname, 'fixtures', 'echo-kernel'), echoStage, { recursive: true });
  const echoVsix = join(work, 'echo-kernel.vsix');
  const vsce = join(dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');
  step(
    'packaging the echo kernel',
    process.execPath,
    [vsce, 'package', '--skip-license', '--allow-missing-repository', '-o', echoVsix],
    echoStage,
  );

  const launched = launchGateway(repoRoot, work, [], 180_000);
  const gateway = launched.process;
  const stopAll: (() => Promise<void>)[] = [() => stopProcess(gateway)];
  const teardown = async (): Promise<void> => {
    for (const stop of stopAll.reverse()) await stop();
    // PRIVET_VSCODE_KEEP=1 keeps the folder (code-server logs are in user-data/logs) for debugging.
    if (process.env.PRIVET_VSCODE_KEEP) console.log(`VS Code test folder kept: ${work}`);
    else rmSync(work, { recursive: true, force: true, maxRetries: 3 });
  };
  try {
    const info = await launched.ready;
    const gatewayMs = info.startMs;

    writeFileSync(
      join(userData, 'User', 'settings.json'),
      JSON.stringify(
        {
          'privet.gatewayUrl': info.url,
          'workbench.startupEditor': 'none',
          'workbench.tips.enabled': false,
          'workbench.enableExperiments': false,
          'security.workspace.trust.enabled': false,
          'telemetry.telemetryLevel': 'off',
          'extensions.autoCheckUpdates': false,
          'extensions.autoUpdate': false,
          'update.mode': 'none',
          'notebook.output.scrolling': false,
          // Export bundles go next to the notebook instead of through the save dialog.
          'privet.export.saveWithoutAsking': true,
        },
        null,
        2,
      ),
    );
    const installStarted = Date.now();
    const common = [
      '--extensions-dir',
      extensions,
      '--user-data-dir',
      userData,
      '--config',
      join(work, 'config.yaml'),
    ];
    step('installing the .vsix', codeServer, ['--install-extension', vsix, ...common]);
    step('installing the echo kernel', codeServer, ['--install-extension', echoVsix, ...common]);
    const listed = step('listing extensions', codeServer, [
      '--list-extensions',
      '--show-versions',
      ...common,
    ]);
    if (!/privet\.privet@0\.1\.0/.test(listed))
      throw new Error(`the .vsix is not listed after install:\n${listed}`);
    const installMs = Date.now() - installStarted;

    const port = await freePort();
    const started = Date.now();
    const server = spawn(
      codeServer,
      [
        '--bind-addr',
        `127.0.0.1:${port}`,
        '--auth',
        'none',
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        ...common,
        workspace,
      ],
      { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const serverLog = captureOutput(server, 20_000);
    stopAll.push(() => stopProcess(server));
    const url = `http://127.0.0.1:${port}`;
    await waitForHttp(`${url}/healthz`, server, 120_000, 'code-server', serverLog);
    const env: VsCodeTestEnv = {
      url: `${url}/?folder=${encodeURIComponent(workspace)}`,
      workspace,
      userSettings: join(userData, 'User', 'settings.json'),
      gatewayUrl: info.url,
      // Where ui-tests/support/gateway-process.ts generates the demo data (its --work is work/gateway).
      gatewayDataDir: join(work, 'gateway', 'data'),
      tokens: info.tokens,
      experiment: info.experiment,
      startup: { gatewayMs, codeServerMs: Date.now() - started, installMs },
    };
    process.env[VSCODE_ENV_VAR] = JSON.stringify(env);
    console.log(
      `VS Code setup: gateway ${info.url} in ${gatewayMs} ms, .vsix installed in ${installMs} ms, ` +
        `code-server ${url} in ${env.startup.codeServerMs} ms`,
    );
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
