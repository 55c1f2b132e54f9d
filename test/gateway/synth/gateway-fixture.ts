/**
 * A real gateway on 127.0.0.1 over the synthetic-view fixture (people.csv + a policy text), for
 * tests that talk HTTP: started on a free port with tokens for the given users, closed with its
 * folders removed.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import type { PublishJob } from '@privet/core';
import { startGateway, type RunningGateway } from '../../../gateway/src/http/server.js';
import { writeSource } from './fixture.js';

/** A running fixture gateway and how to stop it. */
export interface FixtureGateway {
  gw: RunningGateway;
  dir: string;
  close: () => Promise<void>;
}

/** Starts a gateway over a fresh fixture source with `policyText`, tokens issued for `users`. */
export async function startFixtureGateway(
  policyText: string,
  users: string[] = ['ann', 'sue', 'rex'],
): Promise<FixtureGateway> {
  const dir = writeSource();
  writeFileSync(join(dir, 'policy.yaml'), policyText);
  const gw = await startGateway({
    policyPath: join(dir, 'policy.yaml'),
    stateDir: join(dir, 'state'),
    port: 0,
    issueTokensFor: users,
  });
  return {
    gw,
    dir,
    close: async () => {
      await gw.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Reads a publish job every 100 ms until it leaves `running` (at most 60 s); returns every
 * snapshot seen, so tests can check how progress moved.
 */
export async function jobSnapshots(read: () => Promise<PublishJob>): Promise<PublishJob[]> {
  const seen: PublishJob[] = [];
  for (let i = 0; i < 600; i++) {
    const job = await read();
    seen.push(job);
    if (job.state !== 'running') return seen;
    await sleep(100);
  }
  throw new Error(`job ${seen[0]?.id ?? '?'} still running after 60 s`);
}
