/**
 * Runs the `privet` command line from its TypeScript source, as a user runs it, and returns its
 * exit code and output (at most two minutes).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../gateway/src/cli.ts', import.meta.url));

/** What one `privet` run printed and how it exited (-1 when it did not exit in time). */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `privet ...args` and waits for it. */
export function privet(...args: string[]): CliRun {
  const r = spawnSync(
    process.execPath,
    ['--conditions=privet-source', '--import', 'tsx', cli, ...args],
    {
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
