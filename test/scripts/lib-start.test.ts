/**
 * The decisions behind `npm start`, scripts/jupyter.mjs and scripts/setup-venv.mjs: which service's
 * exit decides the exit code, what a taken port says, how python3 is judged (missing, too old, no
 * venv), and when ./jupyter-ext need not be pip-installed again.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

interface Exit {
  service: string;
  hint: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}
interface SpawnLike {
  error?: { code?: string; message: string };
  status: number | null;
  signal?: string | null;
  stdout?: string;
  stderr?: string;
}
interface LibStart {
  exitOutcome(first: Exit | null, userStopped: boolean): { code: number; message: string | null };
  portProblem(port: string | number, error: unknown, setting: string): string;
  portProblems(ports: { port: string | number; setting: string }[]): Promise<string[]>;
  parsePythonVersion(text: string): number[] | null;
  atLeast(version: number[], minimum?: number[]): boolean;
  pythonProblem(result: SpawnLike, command?: string): string | null;
  checkPython(command?: string): string | null;
  extensionState(
    ext: string,
    installedDir: string,
    stampFile: string,
  ): { upToDate: boolean; inputs: string };
}

// The helpers are plain ESM JavaScript next to the scripts; imported by URL, typed here.
const lib = (await import(
  new URL('../../scripts/lib-start.mjs', import.meta.url).href
)) as LibStart;

const gateway = { service: 'the gateway', hint: 'Fix: set PRIVET_PORT.' };
const jupyter = { service: 'JupyterLab', hint: 'Fix: set PRIVET_JUPYTER_PORT.' };

describe('npm start: how it ends when a service exits', () => {
  it('fails with the first service’s code and names it, not with the code of the one stopped after', () => {
    // The gateway dies at start (exit 1); JupyterLab, stopped with SIGTERM, then exits 0.
    assert.deepEqual(lib.exitOutcome({ ...gateway, code: 1, signal: null }, false), {
      code: 1,
      message: '✖ the gateway exited with code 1 — Fix: set PRIVET_PORT.',
    });
    assert.deepEqual(lib.exitOutcome({ ...jupyter, code: 3, signal: null }, false), {
      code: 3,
      message: '✖ JupyterLab exited with code 3 — Fix: set PRIVET_JUPYTER_PORT.',
    });
  });

  it('fails with 128 + the signal when a service is killed by a signal it was not sent', () => {
    const outcome = lib.exitOutcome({ ...jupyter, code: null, signal: 'SIGKILL' }, false);
    assert.equal(outcome.code, 137);
    assert.equal(
      outcome.message,
      '✖ JupyterLab was stopped by SIGKILL — Fix: set PRIVET_JUPYTER_PORT.',
    );
  });

  it('exits 0 when the user stopped it (Ctrl+C), whatever the services answer', () => {
    assert.deepEqual(lib.exitOutcome({ ...gateway, code: 1, signal: null }, true), {
      code: 0,
      message: null,
    });
    assert.equal(lib.exitOutcome({ ...gateway, code: null, signal: 'SIGINT' }, false).code, 0);
  });

  it('exits 0, saying so, when a service ends cleanly on its own (JupyterLab shut down)', () => {
    const outcome = lib.exitOutcome({ ...jupyter, code: 0, signal: null }, false);
    assert.equal(outcome.code, 0);
    assert.match(outcome.message ?? '', /^JupyterLab exited/);
  });
});

describe('ports', () => {
  it('says a taken port is in use and which setting picks another', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      assert.deepEqual(
        await lib.portProblems([{ port: String(port), setting: 'PRIVET_PORT=<another port>' }]),
        [
          `port ${port} is in use (another Privet or Jupyter?). Fix: stop it or set PRIVET_PORT=<another port>.`,
        ],
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    assert.deepEqual(await lib.portProblems([{ port: String(port), setting: 'X' }]), []);
  });

  it('explains a port that is not a number, and one that needs privileges', async () => {
    assert.deepEqual(await lib.portProblems([{ port: 'abc', setting: 'PRIVET_PORT=8765' }]), [
      '"abc" is not a port number. Fix: set PRIVET_PORT=8765 (a number from 1 to 65535).',
    ]);
    assert.match(
      lib.portProblem(80, { code: 'EACCES' }, 'PRIVET_PORT'),
      /^no permission.*above 1023/,
    );
  });
});

describe('python3 for .venv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'privet-python-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads versions', () => {
    assert.deepEqual(lib.parsePythonVersion('Python 3.11.7\nvenv: ok'), [3, 11, 7]);
    assert.deepEqual(lib.parsePythonVersion('Python 3.13.0rc1'), [3, 13, 0]);
    assert.deepEqual(lib.parsePythonVersion('Python 2.7'), [2, 7, 0]);
    assert.equal(lib.parsePythonVersion('command not found'), null);
    assert.equal(lib.atLeast([3, 11, 0]), true);
    assert.equal(lib.atLeast([3, 12, 1]), true);
    assert.equal(lib.atLeast([4, 0, 0]), true);
    assert.equal(lib.atLeast([3, 10, 14]), false);
    assert.equal(lib.atLeast([2, 7, 18]), false);
  });

  it('says python3 is not on PATH (spawn ENOENT) and how to install it', () => {
    const expected =
      'python3 was not found on PATH. Fix: install Python 3.11 (e.g. apt-get install python3 python3-venv).';
    assert.equal(
      lib.pythonProblem({
        error: { code: 'ENOENT', message: 'spawnSync python3 ENOENT' },
        status: null,
      }),
      expected,
    );
    assert.match(
      lib.checkPython(join(dir, 'no-such-python')) ?? '',
      /was not found on PATH\. Fix: install Python 3\.11/,
    );
  });

  it('refuses a Python older than 3.11 and one without venv, saying how to fix it', () => {
    assert.match(
      lib.pythonProblem({ status: 0, stdout: 'Python 3.9.2\nvenv: ok\n' }) ?? '',
      /^python3 is Python 3\.9\.2; Privet needs Python 3\.11 or newer\. Fix: install Python 3\.11/,
    );
    assert.equal(
      lib.pythonProblem({
        status: 0,
        stdout: "Python 3.11.2\nvenv: No module named 'ensurepip'\n",
      }),
      "python3 (Python 3.11.2) cannot create a virtual environment: No module named 'ensurepip'. " +
        'Fix: install its venv module (e.g. apt-get install python3-venv, or python3.11-venv).',
    );
    assert.equal(lib.pythonProblem({ status: 0, stdout: 'Python 3.12.3\nvenv: ok\n' }), null);
    assert.match(
      lib.pythonProblem({ status: 1, stdout: '', stderr: 'boom\nSyntaxError: x' }) ?? '',
      /exit 1; it said: SyntaxError: x\)\. Fix:/,
    );
  });

  it('runs the probe: an old interpreter on the path is reported as old', () => {
    const fake = join(dir, 'python-old');
    writeFileSync(fake, '#!/bin/sh\necho "Python 3.8.10"\necho "venv: ok"\n');
    chmodSync(fake, 0o755);
    assert.match(lib.checkPython(fake) ?? '', /is Python 3\.8\.10; Privet needs Python 3\.11/);
  });
});

describe('./jupyter-ext install stamp', () => {
  const dir = mkdtempSync(join(tmpdir(), 'privet-ext-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const ext = join(dir, 'jupyter-ext');
  const installed = join(dir, 'venv', 'share', 'labextensions', '@privet', 'jupyter-ext');
  const stamp = join(dir, 'venv', 'stamp');
  const write = (path: string, text: string) => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
  };
  write(join(ext, 'pyproject.toml'), '[project]\nname = "x"\n');
  write(join(ext, 'install.json'), '{}\n');
  write(join(ext, 'privet_jupyter', '__init__.py'), '');
  write(join(ext, 'privet_jupyter', 'labextension', 'package.json'), '{"v":1}');
  write(join(ext, 'privet_jupyter', 'labextension', 'static', 'a.js'), 'a');
  /** What pip install does to the venv: copies the labextension and install.json. */
  const install = () => {
    rmSync(installed, { recursive: true, force: true });
    write(join(installed, 'package.json'), '{"v":1}');
    write(join(installed, 'static', 'a.js'), 'a');
    write(join(installed, 'install.json'), '{}\n');
  };

  it('installs when nothing was installed, skips once installed and stamped', () => {
    const first = lib.extensionState(ext, installed, stamp);
    assert.equal(first.upToDate, false);
    install();
    assert.equal(lib.extensionState(ext, installed, stamp).upToDate, false); // no stamp yet
    write(stamp, first.inputs + '\n');
    assert.equal(lib.extensionState(ext, installed, stamp).upToDate, true);
  });

  it('installs again after a rebuild, a pyproject change or a changed install', () => {
    write(join(ext, 'privet_jupyter', 'labextension', 'static', 'a.js'), 'a2');
    assert.equal(lib.extensionState(ext, installed, stamp).upToDate, false);
    write(join(ext, 'privet_jupyter', 'labextension', 'static', 'a.js'), 'a');
    assert.equal(lib.extensionState(ext, installed, stamp).upToDate, true);
    write(join(ext, 'pyproject.toml'), '[project]\nname = "y"\n');
    assert.equal(lib.extensionState(ext, installed, stamp).upToDate, false);
    write(join(ext, 'pyproject.toml'), '[project]\nname = "x"\n');
    rmSync(join(installed, 'static', 'a.js'));
    assert.equal(lib.extensionState(ext, installed, stamp).upToDate, false);
    rmSync(installed, { recursive: true });
    assert.equal(lib.extensionState(ext, installed, stamp).upToDate, false);
  });
});
