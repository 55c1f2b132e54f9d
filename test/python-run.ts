/**
 * Python for the tests of cells the notebook hosts write: the project's .venv Python (JupyterLab's
 * environment, with pandas and pyarrow), python3, and a child process run without blocking (the
 * gateway answering the cell runs in the test's own process).
 */
import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The project's .venv Python: JupyterLab's own environment (pandas, pyarrow, privet_jupyter). */
export const VENV_PYTHON = fileURLToPath(
  new URL(
    `../.venv/${process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python'}`,
    import.meta.url,
  ),
);

/** Whether `python` exits 0 with `args` (false when there is no such program). */
export const runs = (
  python: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): boolean => spawnSync(python, args, { env, timeout: 30_000 }).status === 0;

/** python3 when it is on PATH, else null. */
export const PYTHON = runs('python3', ['--version']) ? 'python3' : null;
/** A Python with pandas and pyarrow (the .venv's, else python3's), for a load that succeeds. */
export const PANDAS_PYTHON =
  [VENV_PYTHON, 'python3'].find((p) => runs(p, ['-c', 'import pandas, pyarrow'])) ?? null;

/** What a Python child process ended with. */
export interface PythonRun {
  /** The exit code (null: killed, e.g. by the time limit). */
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `python` with `args` in `env` (30 s at most) without blocking this process. */
export function runPython(
  python: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<PythonRun> {
  return new Promise((resolve) => {
    execFile(python, args, { env, encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) => {
      const status = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ status, stdout, stderr });
    });
  });
}

/** `process.env` without proxies (urllib would send 127.0.0.1 through one) and no bytecode written. */
export function noProxyEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };
  for (const key of Object.keys(env)) if (/_proxy$/i.test(key)) delete env[key];
  return env;
}
