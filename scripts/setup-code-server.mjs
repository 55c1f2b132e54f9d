// Installs code-server 4.100.3 (a real VS Code 1.100 served to a browser; the last line that
// declares Node 20) into .cache/code-server/ (git-ignored) for the VS Code UI tests. Idempotent:
// a second run only checks the marker file. Its own npm postinstall cannot work here (it refuses
// root and downloads ripgrep), so scripts are off and the native modules are rebuilt by hand
// (sequence B of shared/guides/real-clients.md). As root the Debian build packages are installed
// with apt-get; otherwise the script says which ones are missing.
// Usage: node scripts/setup-code-server.mjs        → prints the code-server binary path last
import { existsSync, mkdirSync, writeFileSync, copyFileSync, symlinkSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const VERSION = '4.100.3';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cache = process.env.PRIVET_CODE_SERVER_CACHE ?? join(root, '.cache', 'code-server');
const marker = join(cache, `installed-${VERSION}`);
const bin = join(cache, 'node_modules', '.bin', 'code-server');
const vscodeDir = join(cache, 'node_modules', 'code-server', 'lib', 'vscode');
const aptPackages = [
  'build-essential',
  'python3',
  'pkg-config',
  'libkrb5-dev',
  'libx11-dev',
  'libxkbfile-dev',
  'libsecret-1-dev',
  'ripgrep',
];

/** Runs a command (streaming output) and exits with a how-to-fix message when it fails. */
function run(cmd, args, cwd, what, { allowFail = false, env = {} } = {}) {
  const started = Date.now();
  console.log(`setup-code-server: ${what} …`);
  const r = spawnSync(cmd, args, {
    cwd,
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive', ...env },
  });
  if (r.status !== 0) {
    if (allowFail) {
      console.log(`setup-code-server: ${what} failed (exit ${r.status}); not needed, continuing`);
      return false;
    }
    console.error(
      `setup-code-server: ${what} failed in ${cwd} (exit ${r.status ?? r.signal}). ` +
        `Fix: read the output above; delete ${cache} and run "node scripts/setup-code-server.mjs" again.`,
    );
    process.exit(1);
  }
  console.log(`setup-code-server: ${what} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

/** True when dpkg reports every package as installed. */
function aptSatisfied(pkgs) {
  const r = spawnSync('dpkg-query', ['-W', '-f', '${Status}\n', ...pkgs], { encoding: 'utf8' });
  return (
    r.status === 0 &&
    r.stdout
      .trim()
      .split('\n')
      .every((l) => l.endsWith(' installed'))
  );
}

/** Replaces `link` with a symlink to `target` (relative), whatever was there before. */
function forceSymlink(target, link) {
  rmSync(link, { force: true, recursive: true });
  symlinkSync(target, link);
}

if (existsSync(marker) && existsSync(bin)) {
  console.log(`setup-code-server: code-server ${VERSION} already installed`);
  console.log(bin);
  process.exit(0);
}

if (!aptSatisfied(aptPackages)) {
  if (process.getuid?.() !== 0) {
    console.error(
      `setup-code-server: missing Debian packages. Fix: sudo apt-get install -y ${aptPackages.join(' ')}`,
    );
    process.exit(1);
  }
  run('apt-get', ['update'], root, 'apt-get update');
  run(
    'apt-get',
    ['install', '-y', '--no-install-recommends', ...aptPackages],
    root,
    'apt-get install',
  );
}

mkdirSync(cache, { recursive: true });
// Its own package.json keeps npm from treating the cache as part of the repository's workspaces.
writeFileSync(
  join(cache, 'package.json'),
  JSON.stringify({ name: 'privet-code-server-cache', private: true }, null, 2) + '\n',
);
const npmArgs = ['--no-audit', '--no-fund', '--ignore-scripts'];
run(
  'npm',
  ['install', ...npmArgs, `code-server@${VERSION}`],
  cache,
  `npm install code-server@${VERSION}`,
);
run('npm', ['rebuild', 'argon2'], cache, 'npm rebuild argon2');
run(
  'npm',
  ['install', ...npmArgs, '--omit=dev', '--legacy-peer-deps'],
  vscodeDir,
  'npm install (VS Code server dependencies)',
);
const rgDir = join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin');
mkdirSync(rgDir, { recursive: true });
copyFileSync('/usr/bin/rg', join(rgDir, 'rg'));
run(
  'npm',
  [
    'rebuild',
    '@parcel/watcher',
    '@vscode/deviceid',
    '@vscode/spdlog',
    'kerberos',
    'native-watchdog',
  ],
  vscodeDir,
  'npm rebuild (VS Code native modules)',
);
// node-pty only serves the integrated terminal, which the tests do not use.
run('npm', ['rebuild', 'node-pty'], vscodeDir, 'npm rebuild node-pty', {
  allowFail: true,
  env: { npm_config_yes: 'true' },
});
forceSymlink('node_modules', join(vscodeDir, 'node_modules.asar'));
forceSymlink('code-linux.sh', join(vscodeDir, 'bin', 'remote-cli', 'code-server'));
forceSymlink('browser-linux.sh', join(vscodeDir, 'bin', 'helpers', 'browser.sh'));
run(
  'npm',
  ['install', ...npmArgs, '--omit=dev', '--legacy-peer-deps'],
  join(vscodeDir, 'extensions'),
  'npm install (built-in extensions)',
);
run(bin, ['--version'], cache, 'code-server --version');
writeFileSync(marker, new Date().toISOString() + '\n');
console.log(bin);
