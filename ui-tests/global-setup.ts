/**
 * Playwright global setup: starts a real gateway (small generated demo dataset, published views,
 * a free 127.0.0.1 port, CORS for JupyterLab's origin) and a real JupyterLab from .venv with the
 * built Privet extension installed the way a user installs it (pip). Returns the teardown.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { UI_ENV_VAR, type UiTestEnv } from './support/env.js';
import { startJupyterLab } from './support/jupyterlab.js';
import { launchGateway } from './support/launch-gateway.js';
import { freePort, stopProcess } from './support/processes.js';

const repoRoot = resolve(import.meta.dirname, '..');

/** Fails early, with the command that fixes it, when the extension is not installed in .venv. */
function checkExtensionInstalled(): void {
  const jupyter = join(repoRoot, '.venv', 'bin', 'jupyter');
  const fix = 'Fix: npm run build -w jupyter-ext && node scripts/setup-venv.mjs --with-extension';
  if (!existsSync(jupyter)) throw new Error(`.venv has no JupyterLab. ${fix}`);
  const listed = spawnSync(jupyter, ['labextension', 'list'], { encoding: 'utf8' });
  const ansiColor = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
  const text = `${listed.stdout}\n${listed.stderr}`.replace(ansiColor, '');
  if (!/@privet\/jupyter-ext v\S+ enabled\s+OK/.test(text)) {
    throw new Error(`the Privet extension is not installed and enabled in .venv. ${fix}\n${text}`);
  }
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  checkExtensionInstalled();
  const work = mkdtempSync(join(tmpdir(), 'privet-ui-'));
  const jupyterPort = await freePort();
  const origin = `http://127.0.0.1:${jupyterPort}`;

  const launched = launchGateway(
    repoRoot,
    work,
    [origin, `http://localhost:${jupyterPort}`],
    120_000,
  );
  const gateway = launched.process;
  const stopAll: (() => Promise<void>)[] = [() => stopProcess(gateway)];
  const teardown = async (): Promise<void> => {
    for (const stop of stopAll.reverse()) await stop();
    rmSync(work, { recursive: true, force: true, maxRetries: 3 });
  };
  try {
    const info = await launched.ready;
    const gatewayMs = info.startMs;

    const jupyterStarted = Date.now();
    const lab = await startJupyterLab({
      repoRoot,
      work: join(work, 'jupyter'),
      port: jupyterPort,
      settings: {
        '@privet/jupyter-ext:plugin': { gatewayUrl: info.url },
        '@jupyterlab/docmanager-extension:plugin': { renameUntitledFileOnSave: false },
        '@jupyterlab/apputils-extension:notification': {
          fetchNews: 'false',
          checkForUpdates: false,
        },
      },
    });
    stopAll.push(() => lab.close());
    const env: UiTestEnv = {
      jupyterUrl: lab.url,
      jupyterToken: lab.token,
      notebookDir: lab.notebookDir,
      gatewayUrl: info.url,
      tokens: info.tokens,
      experiment: info.experiment,
      startup: { gatewayMs, jupyterMs: Date.now() - jupyterStarted },
    };
    process.env[UI_ENV_VAR] = JSON.stringify(env);
    console.log(
      `UI setup: gateway ${info.url} in ${gatewayMs} ms, JupyterLab ${lab.url} in ${env.startup.jupyterMs} ms`,
    );
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
