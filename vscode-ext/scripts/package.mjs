// Packages the built extension as dist-vsix/privet-<version>.vsix with @vscode/vsce. vsce wants an
// unscoped extension name and runs npm to list dependencies, which does not fit an npm workspace;
// everything is bundled, so a staging folder gets the manifest (name "privet", no dependencies)
// plus dist/, media/ and README.md, and vsce packages that with --no-dependencies.
// The staging folder is removed afterwards. Usage: node scripts/package.mjs (after build.mjs)
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const here = join(dirname(fileURLToPath(import.meta.url)), '..');
const stage = join(here, 'build', 'vsix');
const outDir = join(here, 'dist-vsix');
const require = createRequire(import.meta.url);

if (!existsSync(join(here, 'dist', 'extension.cjs'))) {
  console.error('package: dist/extension.cjs is missing. Fix: run "node scripts/build.mjs" first.');
  process.exit(1);
}
const manifest = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
const { dependencies: _d, devDependencies: _dd, scripts: _s, private: _p, ...rest } = manifest;
const staged = { ...rest, name: 'privet' };

rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
writeFileSync(join(stage, 'package.json'), JSON.stringify(staged, null, 2) + '\n');
const skip = join(here, 'dist', 'types'); // tsc's declaration output, not part of the extension
cpSync(join(here, 'dist'), join(stage, 'dist'), {
  recursive: true,
  filter: (f) => !f.endsWith('.map') && !f.startsWith(skip),
});
cpSync(join(here, 'media'), join(stage, 'media'), { recursive: true });
cpSync(join(here, 'README.md'), join(stage, 'README.md'));
writeFileSync(join(stage, '.vscodeignore'), '**/*.map\n');
mkdirSync(outDir, { recursive: true });
const out = join(outDir, `privet-${manifest.version}.vsix`);
const vsce = join(dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');
const r = spawnSync(
  process.execPath,
  [vsce, 'package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '-o', out],
  {
    cwd: stage,
    stdio: 'inherit',
  },
);
rmSync(join(here, 'build'), { recursive: true, force: true });
if (r.status !== 0) {
  console.error(`package: vsce failed (exit ${r.status}). Fix: read its message above.`);
  process.exit(1);
}
console.log(out);
