/**
 * A real gateway on 127.0.0.1 over the synthetic-view fixture (people.csv + a policy text), for
 * tests that talk HTTP: started on a free port with tokens for the given users, closed with its
 * folders removed.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
