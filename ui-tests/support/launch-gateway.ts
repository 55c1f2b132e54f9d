/**
 * Starts ui-tests/support/gateway-process.ts as a child for a global setup and waits (bounded) for
 * its ready line: the gateway URL, the demo users' tokens and the approved experiment.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { captureOutput, waitForLine } from './processes.js';

/** Prefix of the ready line (kept equal to gateway-process.ts's READY_PREFIX). */
const READY_PREFIX = 'PRIVET_GATEWAY ';

/** What the gateway process reports when it is ready. */
export interface GatewayInfo {
  url: string;
  tokens: Record<string, string>;
  experiment: string;
}

/** A started gateway child: its process, its recent output, and how long start-up took. */
export interface LaunchedGateway {
  process: ChildProcess;
  log: () => string;
  /** Resolves with the ready line's info; rejects when the child exits or `timeoutMs` passes. */
  ready: Promise<GatewayInfo & { startMs: number }>;
}

/** Spawns the gateway process in `work/gateway`, allowing the given browser origins (CORS). */
export function launchGateway(
  repoRoot: string,
  work: string,
  corsOrigins: readonly string[],
  timeoutMs: number,
): LaunchedGateway {
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [
      '--conditions=privet-source',
      '--import',
      'tsx',
      'ui-tests/support/gateway-process.ts',
      '--work',
      join(work, 'gateway'),
      ...corsOrigins.flatMap((origin) => ['--cors', origin]),
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const log = captureOutput(child);
  const ready = waitForLine(child, READY_PREFIX, timeoutMs, 'the gateway', log).then((line) => ({
    ...(JSON.parse(line) as GatewayInfo),
    startMs: Date.now() - started,
  }));
  // The caller awaits `ready` inside its try block; avoid an unhandled rejection before that.
  ready.catch(() => undefined);
  return { process: child, log, ready };
}
