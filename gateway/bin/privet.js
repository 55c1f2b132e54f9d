#!/usr/bin/env node
// The `privet` command: runs the built gateway CLI (npm run build produces gateway/dist).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(cli)) {
  console.error(
    'privet: the gateway is not built yet. Fix: run `npm run build` in the repository root.',
  );
  process.exit(2);
}
await import(cli);
