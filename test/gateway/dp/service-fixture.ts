/**
 * The DP query service over the DP fixture (fixture.ts) with a policy written to its folder: the
 * ledger and experiment services on a fresh DB, and one experiment ana proposed and sue approved.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDpFixture, type DpFixture, type DpFixtureOptions } from './fixture.js';
import { loadPolicyFile } from '../../../gateway/src/policy-file.js';
import { openServices, type Services } from '../../../gateway/src/ledger/open.js';
import { DpQueryService } from '../../../gateway/src/dp/service.js';

/** The analyst who proposes the experiment and runs its queries. */
export const ANA = { user: 'ana', name: 'Ana', roles: ['analyst' as const] };

/** The fixture, the services and the DP service; `close` ends all three. */
export interface DpServiceFixture {
  fx: DpFixture;
  services: Services;
  dp: DpQueryService;
  close(): Promise<void>;
}

/**
 * Opens the DP service under `policyYaml` over the fixture data (`data` changes them), with
 * experiment `id` (requesting `views`) approved.
 */
export async function openDpService(
  policyYaml: string,
  experiment: {
    id: string;
    title: string;
    purpose: string;
    dataCategories: string[];
    views: string[];
  },
  data: DpFixtureOptions = {},
): Promise<DpServiceFixture> {
  const fx = await openDpFixture(data);
  const policyPath = join(fx.dir, 'policy.yaml');
  writeFileSync(policyPath, policyYaml);
  const loaded = loadPolicyFile(policyPath);
  const services = openServices({
    dbPath: join(fx.dir, 'privet.db'),
    policy: loaded.policy,
    stateDir: fx.dir,
  });
  services.experiments.propose(
    { user: ANA.user, roles: ['analyst'] },
    { ...experiment, analyses: ['counts'], expectedOutputs: ['tables'] },
  );
  services.experiments.approve({ user: 'sue', roles: ['steward'] }, experiment.id, 'ok');
  const dp = new DpQueryService(loaded, services);
  return {
    fx,
    services,
    dp,
    close: async () => {
      await dp.close();
      services.close();
      fx.close();
    },
  };
}
