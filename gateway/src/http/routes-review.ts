/**
 * Routes of the reviewer workflow, export bundles, the raw-value leak check and DP release-id
 * verification. Role checks beyond the route table (four-eyes, membership, lifecycle) are the
 * services' own.
 */
import type {
  ExportPublicKeyResponse,
  LeakCheckResponse,
  OutputLeakCheckResponse,
  ListReviewsResponse,
  ReviewRequest,
  ReviewState,
  ReviewStatusResponse,
  VerifyReleasesResponse,
} from '@privet/core';
import type { FastifyRequest } from 'fastify';
import type { LoadedPolicy } from '../policy-file.js';
import type { Services } from '../ledger/open.js';
import { ExportService } from '../export/service.js';
import {
  LeakService,
  RateLimitedError,
  leakCheckBody,
  outputLeakCheckBody,
} from '../leak/service.js';
import type { LeakRateLimits } from '../leak/rate-limit.js';
import { releaseClaimsBody } from '../review/releases.js';
import { commentBody, decisionBody, statusBody } from '../review/validate.js';
import { EXPERIMENT_ID } from '../experiments/artefacts.js';
import { notMemberRefusal } from '../experiments/access.js';
import { withRecordRefusal } from '../experiments/record-refusal.js';
import { experimentNotFound } from '../review/refusals.js';
import type { ServiceError } from '../audit/service-error.js';
import type { Actor } from './auth.js';
import { HttpError } from './errors.js';
import { rawJsonBody } from './json-body.js';
import type { RegisterRoute } from './routes-records.js';

const REVIEW_ID = /^rev-[0-9a-f-]{36}$/;
const STATES: readonly ReviewState[] = ['pending', 'approved', 'rejected', 'changes_requested'];

/** What the review routes need besides the record services. */
export interface ReviewRoutesOptions {
  loaded: LoadedPolicy;
  stateDir: string;
  /** Leak-check limits (default 1,200 calls and 10,000 lookups per minute per user). */
  leakLimits?: LeakRateLimits;
  /** Build the leak index in the background now instead of on the first leak check. */
  warmLeakIndex?: boolean;
}

function reviewParam(request: FastifyRequest): string {
  const id = (request.params as { id?: string }).id ?? '';
  if (!REVIEW_ID.test(id))
    throw new HttpError(
      'bad_request',
      'the review id is malformed',
      'use an id as listed by GET /api/v1/reviews',
    );
  return id;
}

function listFilter(request: FastifyRequest): { experiment?: string; state?: ReviewState } {
  const q = request.query as { experiment?: unknown; state?: unknown };
  const filter: { experiment?: string; state?: ReviewState } = {};
  if (q.experiment !== undefined) {
    if (typeof q.experiment !== 'string' || !EXPERIMENT_ID.test(q.experiment))
      throw new HttpError(
        'bad_request',
        '"experiment" is malformed',
        'use an id as listed by GET /api/v1/experiments',
      );
    filter.experiment = q.experiment;
  }
  if (q.state !== undefined) {
    if (!STATES.includes(q.state as ReviewState))
      throw new HttpError('bad_request', '"state" is unknown', `use one of ${STATES.join(', ')}`);
    filter.state = q.state as ReviewState;
  }
  return filter;
}

/** Runs `work`; a raw-value allowance refusal (429) also tells when to retry (Retry-After). */
async function withRetryAfter<T>(
  reply: { header: (name: string, value: string) => unknown },
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RateLimitedError)
      reply.header('Retry-After', String(error.retryAfterSeconds));
    throw error;
  }
}

/** Registers the review, export, leak-check and release-verification routes; returns the leak service. */
export function registerReviewRoutes(
  route: RegisterRoute,
  services: Services,
  o: ReviewRoutesOptions,
): LeakService {
  const { reviews } = services;
  // The review service reads experiments with `loadExperiment`: a row that does not match the
  // audit log is refused there unaudited and to anyone. Audited here, and answered as an unknown
  // id (`unknown`: the service's own answer for one) to those who may not see the experiment.
  const recordChecked = <T>(actor: Actor, id: string, unknown: ServiceError, work: () => T): T =>
    withRecordRefusal(
      {
        db: services.db,
        audit: services.audit,
        policy: o.loaded.policy,
        action: 'access.refused',
        actor,
        service: 'review',
        id,
        unknown,
        subject: 'review',
      },
      work,
    );
  const leaks = new LeakService({
    audit: services.audit,
    policy: o.loaded.policy,
    policyDir: o.loaded.dir,
    stateDir: o.stateDir,
    ...(o.leakLimits ? { limits: o.leakLimits } : {}),
    releaseCommitted: (id, content) => reviews.releases.hasContent(id, content),
  });
  const exports = new ExportService({
    services,
    policy: o.loaded.policy,
    policyHash: o.loaded.hash,
    stateDir: o.stateDir,
    spendLookups: (actor, lookups, experiment) => leaks.spend(actor, lookups, experiment, 'export'),
    bodies: {
      open: (bytes) => leaks.openBody('export', bytes),
      filter: (handle, lookups) => leaks.filterOpenedExport(handle, lookups),
      close: (handle) => leaks.closeBody(handle),
    },
  });
  // A failed warm-up is retried (and reported) by the first leak check.
  if (o.warmLeakIndex) leaks.loadIndex().catch(() => undefined);

  route('verifyReleases', async (request): Promise<VerifyReleasesResponse> => ({
    valid: reviews.releases.valid(releaseClaimsBody(request.body)),
  }));
  route('submitReview', async (request, reply, actor): Promise<ReviewRequest> => {
    // Parsed, validated and checked (rules, content hash, raw-value lookup) in the output-check
    // worker: the body is up to 16 MB.
    const { handle, opened } = await leaks.openBody('review', rawJsonBody(request));
    try {
      const { experiment } = opened.request;
      // Before any lookup is spent or made.
      recordChecked(actor!, experiment, notMemberRefusal(experiment, actor!.user), () =>
        reviews.admit(actor!, experiment),
      );
      const created = await withRetryAfter(reply, async () => {
        leaks.spend(actor!, 1, opened.request.experiment, 'review');
        const { checked, outputJson } = await leaks.checkOpenedReview(
          handle,
          reviews.checkRules(opened.releaseClaims),
        );
        return reviews.submit(actor!, opened.request, checked, outputJson);
      });
      reply.status(201);
      return created;
    } finally {
      leaks.closeBody(handle); // nothing left to drop once the check took it
    }
  });
  route('listReviews', async (request, _r, actor): Promise<ListReviewsResponse> => ({
    reviews: reviews.list(actor!, listFilter(request)),
  }));
  route('reviewStatus', async (request, _r, actor): Promise<ReviewStatusResponse> => {
    const body = statusBody(request.body);
    const unknown = experimentNotFound(body.experiment, actor!.user);
    return recordChecked(actor!, body.experiment, unknown, () => reviews.status(actor!, body));
  });
  route('getReview', async (request, _r, actor): Promise<ReviewRequest> =>
    reviews.get(actor!, reviewParam(request)),
  );
  route('reviewOutput', async (request, reply, actor): Promise<string> => {
    // A ReviewOutputResponse, as JSON text with the stored output spliced in (service.ts).
    const json = reviews.outputJson(actor!, reviewParam(request));
    reply.type('application/json; charset=utf-8');
    return json;
  });
  route('decideReview', async (request, _r, actor): Promise<ReviewRequest> =>
    reviews.decide(actor!, reviewParam(request), decisionBody(request.body)),
  );
  route('commentReview', async (request, reply, actor): Promise<ReviewRequest> => {
    const updated = reviews.comment(actor!, reviewParam(request), commentBody(request.body).text);
    reply.status(201);
    return updated;
  });
  route('createExport', async (request, reply, actor): Promise<Buffer> => {
    // The bundle's JSON bytes: parsed, filtered and serialized in the output-check worker.
    const bundle = await withRetryAfter(reply, () =>
      exports.createFromBody(actor!, rawJsonBody(request)),
    );
    reply.status(201).type('application/json; charset=utf-8');
    return bundle;
  });
  route('exportPublicKey', async (): Promise<ExportPublicKeyResponse> => exports.publicKey());
  route('leakCheck', async (request, reply, actor): Promise<LeakCheckResponse> =>
    withRetryAfter(reply, () => leaks.check(actor!, leakCheckBody(request.body))),
  );
  route('checkOutputLeaks', async (request, reply, actor): Promise<OutputLeakCheckResponse> =>
    withRetryAfter(reply, () => leaks.checkOutputs(actor!, outputLeakCheckBody(request.body))),
  );
  return leaks;
}
