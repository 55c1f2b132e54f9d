/**
 * The extension's "Privet" output channel as code-server writes it (user-data/logs/<session>/
 * exthost1/privet.privet/Privet.log, next to the test workspace): why the host answered "no" to
 * the gate renderer, never an output's text. A failing spec prints it, so an intermittent failure
 * in CI says what the host saw.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from '@playwright/test';
import type { VsCodeTestEnv } from './env.js';

/** The newest session's Privet log lines, or a line saying none was found. */
export function privetLog(env: VsCodeTestEnv): string {
  const logs = join(dirname(env.workspace), 'user-data', 'logs');
  if (!existsSync(logs)) return `(no code-server logs in ${logs})`;
  const sessions = readdirSync(logs).sort().reverse();
  for (const session of sessions) {
    const dir = join(logs, session);
    for (const host of readdirSync(dir).filter((d) => d.startsWith('exthost'))) {
      const file = join(dir, host, 'privet.privet', 'Privet.log');
      if (existsSync(file)) return readFileSync(file, 'utf8');
    }
  }
  return `(no Privet.log under ${logs})`;
}

/** Registers, for the spec calling it, a hook that prints and attaches the Privet log after a failed test. */
export function reportPrivetLogOnFailure(env: VsCodeTestEnv): void {
  // Playwright reads the fixtures a hook uses from its first parameter's pattern: none here.
  // eslint-disable-next-line no-empty-pattern
  test.afterEach(async ({}, info) => {
    if (info.status === info.expectedStatus) return;
    const log = privetLog(env);
    console.log(`--- Privet output channel (${info.title}) ---\n${log}\n--- end ---`);
    await info.attach('privet-log', { body: log, contentType: 'text/plain' });
  });
}
