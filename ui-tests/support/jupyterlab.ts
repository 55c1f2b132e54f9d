/**
 * Starts a real JupyterLab from the project's .venv for the UI tests: 127.0.0.1, a chosen port, a
 * random token, and every Jupyter folder (config, runtime, settings, workspaces, notebooks) in a
 * temp folder so nothing from ~/.jupyter leaks in. User settings can be seeded per plugin.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { captureOutput, stopProcess, waitForHttp } from './processes.js';

/** A running JupyterLab. */
export interface RunningJupyterLab {
  /** Base URL without token, e.g. http://127.0.0.1:8899 */
  url: string;
  token: string;
  /** Folder shown in JupyterLab's file browser (notebooks are saved here). */
  notebookDir: string;
  close(): Promise<void>;
}

/** Options of startJupyterLab. */
export interface JupyterLabOptions {
  repoRoot: string;
  work: string;
  port: number;
  /** Settings per plugin id, written as <settingsDir>/<package>/<plugin>.jupyterlab-settings. */
  settings?: Record<string, Record<string, unknown>>;
}

/** Starts JupyterLab and waits until its REST API answers. */
export async function startJupyterLab(options: JupyterLabOptions): Promise<RunningJupyterLab> {
  const jupyter = join(options.repoRoot, '.venv', 'bin', 'jupyter');
  if (!existsSync(jupyter)) {
    throw new Error(
      `${jupyter} is missing. Fix: run "node scripts/setup-venv.mjs --with-extension" first.`,
    );
  }
  const dirs = Object.fromEntries(
    ['notebooks', 'settings', 'workspaces', 'config', 'runtime', 'data', 'ipython'].map((d) => {
      const path = join(options.work, d);
      mkdirSync(path, { recursive: true });
      return [d, path];
    }),
  ) as Record<string, string>;
  for (const [id, values] of Object.entries(options.settings ?? {})) {
    const [pkg, plugin] = id.split(':');
    const file = join(dirs.settings!, pkg!, `${plugin}.jupyterlab-settings`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(values, null, 2));
  }
  const token = randomBytes(24).toString('hex');
  const child = spawn(
    jupyter,
    [
      'lab',
      '--allow-root',
      '--no-browser',
      '--ip=127.0.0.1',
      `--port=${options.port}`,
      '--ServerApp.port_retries=0',
      `--IdentityProvider.token=${token}`,
      `--ServerApp.root_dir=${dirs.notebooks}`,
      `--LabApp.user_settings_dir=${dirs.settings}`,
      `--LabApp.workspaces_dir=${dirs.workspaces}`,
    ],
    {
      cwd: dirs.notebooks,
      env: {
        ...process.env,
        JUPYTER_CONFIG_DIR: dirs.config,
        JUPYTER_RUNTIME_DIR: dirs.runtime,
        JUPYTER_DATA_DIR: dirs.data,
        IPYTHONDIR: dirs.ipython,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const log = captureOutput(child);
  const url = `http://127.0.0.1:${options.port}`;
  try {
    await waitForHttp(`${url}/api/status?token=${token}`, child, 90_000, 'JupyterLab', log);
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  return { url, token, notebookDir: dirs.notebooks!, close: () => stopProcess(child) };
}
