/**
 * Changes code-server's user settings for one test. `privet.gatewayUrl` is read from the user
 * settings only (a workspace's value is ignored), so a spec that routes the gateway through a
 * proxy sets it here.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { VsCodeTestEnv } from './env.js';

/** Runs `body` with `settings` merged into the user settings, restored afterwards. */
export async function withUserSettings(
  env: VsCodeTestEnv,
  settings: Record<string, unknown>,
  body: () => Promise<void>,
): Promise<void> {
  const before = readFileSync(env.userSettings, 'utf8');
  writeFileSync(
    env.userSettings,
    JSON.stringify({ ...(JSON.parse(before) as object), ...settings }, null, 2),
  );
  try {
    await body();
  } finally {
    writeFileSync(env.userSettings, before);
  }
}
