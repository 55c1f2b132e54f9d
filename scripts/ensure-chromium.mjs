// Makes sure Debian's Chromium is present for the UI tests (Playwright never downloads a browser
// here). As root it installs the `chromium` package with apt-get; otherwise it says how to.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const path = process.env.PRIVET_CHROMIUM ?? '/usr/bin/chromium';
if (existsSync(path)) process.exit(0);
if (process.getuid?.() !== 0) {
  console.error(
    `ensure-chromium: ${path} is missing. Fix: sudo apt-get update && sudo apt-get install -y chromium`,
  );
  process.exit(1);
}
console.log('▶ Installing Debian chromium for the UI tests');
for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium']]) {
  const result = spawnSync('apt-get', args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.status !== 0) {
    console.error(`ensure-chromium: apt-get ${args.join(' ')} failed (exit ${result.status})`);
    process.exit(result.status ?? 1);
  }
}
