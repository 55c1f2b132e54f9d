// Helpers for start.mjs, jupyter.mjs and setup-venv.mjs: what to say when Python is missing or too
// old, when a port is taken or a service dies, and whether ./jupyter-ext is installed as built.
// The decisions are pure functions (tested in test/scripts/); the few probes that touch the
// system (spawn python3, bind a port, read files) are thin wrappers around them.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { constants } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

/** The oldest Python the project supports (README: Python 3.11 with venv). */
export const MIN_PYTHON = [3, 11];

const INSTALL_PYTHON = 'install Python 3.11 (e.g. apt-get install python3 python3-venv)';

/**
 * Asks a Python interpreter its version and whether it can make a venv with pip (Debian and
 * Ubuntu ship ensurepip separately, in python3-venv: without it `python3 -m venv` fails).
 * Written to run on any Python, even 2, so an old one is reported as old, not as broken.
 */
export const PYTHON_PROBE = [
  'import sys',
  "print('Python %d.%d.%d' % tuple(sys.version_info[:3]))",
  'try:',
  '    import venv, ensurepip',
  "    print('venv: ok')",
  'except Exception as e:',
  "    print('venv: %s' % e)",
].join('\n');

/** "Python 3.11.7" (or any text holding it) → [3, 11, 7]; null when there is no version. */
export function parsePythonVersion(text) {
  const match = /Python (\d+)\.(\d+)(?:\.(\d+))?/.exec(text ?? '');
  if (!match) return null;
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

/** True when version ([major, minor, …]) is at least minimum ([major, minor]). */
export function atLeast(version, minimum = MIN_PYTHON) {
  const [major = 0, minor = 0] = version;
  return major > minimum[0] || (major === minimum[0] && minor >= minimum[1]);
}

/**
 * What is wrong with the Python that will create .venv, from spawnSync(command, ['-c',
 * PYTHON_PROBE]) ({ error, status, stdout, stderr }); null when it is fine. Each answer says how
 * to fix it.
 */
export function pythonProblem(result, command = 'python3') {
  const code = result.error?.code;
  if (code === 'ENOENT') return `${command} was not found on PATH. Fix: ${INSTALL_PYTHON}.`;
  if (result.error)
    return `${command} could not be run (${code ?? result.error.message}). Fix: ${INSTALL_PYTHON}.`;
  const version = parsePythonVersion(result.stdout);
  if (result.status !== 0 || !version) {
    const said = lastLine(result.stderr) || lastLine(result.stdout) || 'nothing';
    return (
      `${command} did not run a one-line Python program (exit ${result.status ?? result.signal}; ` +
      `it said: ${said}). Fix: repair or reinstall Python 3.11 so that "${command} --version" works.`
    );
  }
  const shown = version.join('.');
  if (!atLeast(version))
    return (
      `${command} is Python ${shown}; Privet needs Python ${MIN_PYTHON.join('.')} or newer. ` +
      `Fix: ${INSTALL_PYTHON} and make it the ${command} on PATH.`
    );
  const venv = /^venv: (.*)$/m.exec(result.stdout)?.[1] ?? 'no answer';
  if (venv !== 'ok')
    return (
      `${command} (Python ${shown}) cannot create a virtual environment: ${venv}. ` +
      `Fix: install its venv module (e.g. apt-get install python3-venv, ` +
      `or python${version[0]}.${version[1]}-venv).`
    );
  return null;
}

/** Runs PYTHON_PROBE with command; returns pythonProblem's answer (null: fine). */
export function checkPython(command = 'python3') {
  const result = spawnSync(command, ['-c', PYTHON_PROBE], { encoding: 'utf8' });
  return pythonProblem(result, command);
}

function lastLine(text) {
  return (text ?? '').trim().split('\n').pop()?.trim() ?? '';
}

/**
 * Why port cannot be listened on, as a message with its fix; `setting` names what picks the
 * port (e.g. "PRIVET_PORT=<another port>").
 */
export function portProblem(port, error, setting) {
  const code = error?.code;
  if (code === 'EADDRINUSE')
    return `port ${port} is in use (another Privet or Jupyter?). Fix: stop it or set ${setting}.`;
  if (code === 'EACCES')
    return `no permission to listen on port ${port}. Fix: set ${setting} (a port above 1023).`;
  if (code === 'ERR_SOCKET_BAD_PORT')
    return `"${port}" is not a port number. Fix: set ${setting} (a number from 1 to 65535).`;
  return `cannot listen on 127.0.0.1:${port} (${code ?? error?.message ?? error}). Fix: set ${setting}.`;
}

/** Briefly listens on host:port; resolves to null when it is free, else the listen error. */
export function tryListen(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error) => resolve(error));
    try {
      server.listen({ port: Number.isInteger(Number(port)) ? Number(port) : port, host }, () =>
        server.close(() => resolve(null)),
      );
    } catch (error) {
      resolve(error);
    }
  });
}

/** Checks each { port, setting } is free on 127.0.0.1; returns the messages for those that are not. */
export async function portProblems(ports) {
  const problems = [];
  for (const { port, setting } of ports) {
    const error = await tryListen(port);
    if (error) problems.push(portProblem(port, error, setting));
  }
  return problems;
}

/**
 * How `npm start` ends once its services have stopped. first: the first service to exit
 * ({ service, hint, code, signal }); userStopped: the user asked (Ctrl+C / SIGTERM) before it.
 * A service that dies on its own with a non-zero code or a signal fails the start: its code
 * (or 128 + the signal's number) and a line naming it and the fix. The other service, stopped by
 * us, does not count.
 */
export function exitOutcome(first, userStopped) {
  if (userStopped || !first) return { code: 0, message: null };
  const { service, hint, code, signal } = first;
  if (signal === 'SIGINT') return { code: 0, message: null }; // Ctrl+C reached it first
  if (signal)
    return {
      code: 128 + (constants.signals[signal] ?? 0),
      message: `✖ ${service} was stopped by ${signal} — ${hint}`,
    };
  if (code === 0 || code === null)
    return { code: 0, message: `${service} exited; the other service was stopped too.` };
  return { code, message: `✖ ${service} exited with code ${code} — ${hint}` };
}

/** Every file below dir as [path relative to dir, absolute path], skipping __pycache__. */
export function listFiles(dir, prefix = '') {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    if (name === '__pycache__') continue;
    const path = join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    if (statSync(path).isDirectory()) out.push(...listFiles(path, rel));
    else out.push([rel, path]);
  }
  return out;
}

/** SHA-256 over [name, file] pairs (names and contents; order does not matter). */
export function treeDigest(entries) {
  const hash = createHash('sha256');
  for (const [name, path] of [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const content = readFileSync(path);
    hash.update(`${name}\0${content.length}\0`);
    hash.update(content);
  }
  return hash.digest('hex');
}

/**
 * Whether `pip install ./jupyter-ext` would change nothing: the stamp written after the last
 * install matches the package's inputs now, and the installed labextension holds exactly the
 * built files (so a pip uninstall, a manual install or a rebuild all trigger a reinstall).
 * Returns { upToDate, inputs } (inputs: the digest to write to the stamp after installing).
 */
export function extensionState(ext, installedDir, stampFile) {
  const labextension = join(ext, 'privet_jupyter', 'labextension');
  const inputs = treeDigest([
    ...['pyproject.toml', 'install.json', 'README.md']
      .filter((name) => existsSync(join(ext, name)))
      .map((name) => [name, join(ext, name)]),
    ...listFiles(join(ext, 'privet_jupyter'), 'privet_jupyter'),
  ]);
  if (!existsSync(stampFile) || readFileSync(stampFile, 'utf8').trim() !== inputs)
    return { upToDate: false, inputs };
  if (!existsSync(installedDir)) return { upToDate: false, inputs };
  const built = treeDigest([
    ...listFiles(labextension),
    ['install.json', join(ext, 'install.json')],
  ]);
  return { upToDate: built === treeDigest(listFiles(installedDir)), inputs };
}
