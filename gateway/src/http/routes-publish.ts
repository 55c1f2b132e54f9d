/**
 * Publish jobs and fidelity reports. Stewards see what publishing would rebuild and charge
 * (GET /publish/plan), start a background publish (POST /publish/jobs) and poll it
 * (GET /publish/jobs/:id); the plan's and a job's `notes` name the source columns the policy leaves
 * out (never loaded), as `privet publish` prints them. A synthetic view's fidelity report
 * (GET /views/:name/fidelity, `?format=svg` for the plots) is computed on raw data, so stewards
 * always see it and analysts and reviewers only when the view declares
 * `fidelity_for_analysts: true`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Policy, PublishJob, PublishPlan } from '@privet/core';
import type { FidelityReport } from '@privet/core/synth/fidelity-types';
import type { LoadedPolicy } from '../policy-file.js';
import type { Services } from '../ledger/open.js';
import { viewFiles } from '../publish/index.js';
import { JobConflict, PublishJobs } from '../publish/jobs.js';
import { planPublication } from '../publish/cost-plan.js';
import { HttpError } from './errors.js';
import { viewParam } from './params.js';
import { staleDefinition, summarizeView } from './views.js';
import type { RegisterRoute } from './routes-records.js';
import { declared } from '@privet/core/policy/lookup';

const JOB_ID = /^job-[0-9a-f]{24}$/;

function publishableCount(policy: Policy): number {
  return Object.values(policy.views).filter((v) => v.tier !== 'dp').length;
}

/** Registers publishPlan, startPublishJob, getPublishJob and viewFidelity. */
export function registerPublishRoutes(
  route: RegisterRoute,
  loaded: LoadedPolicy,
  stateDir: string,
  services: Services,
  jobs: PublishJobs = new PublishJobs(),
): void {
  const { policy } = loaded;

  route('publishPlan', async (): Promise<PublishPlan> =>
    planPublication(policy, loaded.dir, stateDir, { db: services.db, audit: services.audit }),
  );

  route('startPublishJob', async (_request, reply, actor): Promise<PublishJob> => {
    try {
      const job = await jobs.start(
        {
          policy,
          policyText: loaded.text,
          policyDir: loaded.dir,
          stateDir,
          records: { db: services.db, audit: services.audit },
          actor: actor!.user,
        },
        publishableCount(policy),
      );
      reply.status(202);
      return job;
    } catch (err) {
      if (err instanceof JobConflict)
        throw new HttpError(
          'conflict',
          `a publish job is already running (${err.runningId})`,
          `poll GET /publish/jobs/${err.runningId} and start a new job when it is done`,
        );
      throw err;
    }
  });

  route('getPublishJob', async (request): Promise<PublishJob> => {
    const id = (request.params as { id?: string }).id ?? '';
    const job = JOB_ID.test(id) ? jobs.get(id) : undefined;
    if (!job)
      throw new HttpError(
        'not_found',
        'no publish job with that id in this gateway process',
        'use the id returned by POST /publish/jobs (jobs are forgotten when the gateway restarts)',
      );
    return job;
  });

  route('viewFidelity', async (request, reply, actor): Promise<FidelityReport | string> => {
    const name = viewParam(request);
    const view = declared(policy.views, name);
    if (!view)
      throw new HttpError(
        'not_found',
        `no view named "${name}"`,
        'list the views with GET /api/v1/views and use one of their names',
      );
    if (view.tier !== 'synthetic')
      throw new HttpError(
        'wrong_tier',
        `"${name}" is a ${view.tier} view; fidelity reports exist only for synthetic views`,
        'ask for the fidelity of a synthetic view',
      );
    if (!actor!.roles.includes('steward') && view.fidelity_for_analysts !== true)
      throw new HttpError(
        'forbidden',
        `the fidelity report of "${name}" is computed on raw data and the policy shows it to stewards only`,
        `ask a steward, or ask for fidelity_for_analysts: true on views.${name}`,
      );
    // A report made under an earlier definition (a column since left out, another ε) describes a
    // view the policy no longer declares: served as little as its rows are.
    const { manifest } = summarizeView(policy, stateDir, name);
    const stale = manifest && staleDefinition(policy, view, manifest);
    if (stale)
      throw new HttpError(
        'conflict',
        `view "${name}" was published under an earlier definition (${stale}), so its fidelity report is not served`,
        'a steward publishes it again: `privet publish --policy FILE` or Publish in the Privet panel',
      );
    const dir = viewFiles(stateDir, name).dir;
    const svg = (request.query as { format?: unknown }).format === 'svg';
    const path = join(dir, svg ? 'fidelity.svg' : 'fidelity.json');
    if (!existsSync(path))
      throw new HttpError(
        'not_published',
        `view "${name}" has no fidelity report yet`,
        'a steward publishes it (`privet publish` or POST /publish/jobs)',
      );
    if (svg) {
      reply.header('Content-Type', 'image/svg+xml; charset=utf-8');
      reply.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
      return readFileSync(path, 'utf8');
    }
    return JSON.parse(readFileSync(path, 'utf8')) as FidelityReport;
  });
}
