/**
 * Routes over the record services: experiments and their lifecycle, budget state, the audit log
 * (analysts see only their experiments'), and DP queries. Role checks beyond the route table
 * (four-eyes, membership, lifecycle) are the services' own.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {
  AuditResponse,
  AuditVerifyQuery,
  AuditVerifyResponse,
  BudgetResponse,
  ListExperimentsResponse,
  ProposeExperimentRequest,
  RouteName,
  TransitionRequest,
} from '@privet/core';
import type { AuditEntry, ChainAnchor, Experiment } from '@privet/core/record/index';
import type { Services } from '../ledger/open.js';
import type { DpQueryService } from '../dp/service.js';
import type { Actor } from './auth.js';
import { HttpError } from './errors.js';
import { experimentParam } from './params.js';
import { ANCHOR_FORM, formatAnchor, parseAnchor } from '../audit/anchors.js';
import { auditVerdict } from '../audit/verify-report.js';

/** Registers one route of ROUTES with its handler (authentication and role check included). */
export type RegisterRoute = (
  name: RouteName,
  handler: (
    request: FastifyRequest,
    reply: FastifyReply,
    actor: Actor | undefined,
  ) => Promise<unknown>,
) => void;

function bodyObject(request: FastifyRequest): Record<string, unknown> {
  const body = request.body ?? {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(
      'bad_request',
      'the body must be a JSON object',
      'send a JSON object with Content-Type: application/json',
    );
  }
  return body as Record<string, unknown>;
}

/** Registers the experiment, budget, audit and DP query routes. */
export function registerRecordRoutes(
  route: RegisterRoute,
  services: Services,
  dp: DpQueryService,
): void {
  const { experiments, ledger, audit } = services;

  route('listExperiments', async (_q, _r, actor): Promise<ListExperimentsResponse> => ({
    experiments: experiments.list(actor!),
  }));
  route('proposeExperiment', async (request, reply, actor): Promise<Experiment> => {
    const experiment = experiments.propose(
      actor!,
      bodyObject(request) as unknown as ProposeExperimentRequest,
    );
    reply.status(201);
    return experiment;
  });
  route('getExperiment', async (request, _r, actor) =>
    experiments.get(actor!, experimentParam(request)),
  );
  route('transitionExperiment', async (request, _r, actor): Promise<Experiment> => {
    const id = experimentParam(request);
    const transition = (request.params as { transition?: string }).transition;
    const note = (bodyObject(request) as TransitionRequest).note;
    if (note !== undefined && typeof note !== 'string')
      throw new HttpError(
        'bad_request',
        '"note" must be a string',
        'send { "note": "…" } or no body',
      );
    switch (transition) {
      case 'approve':
        return experiments.approve(actor!, id, note ?? '');
      case 'reject':
        return experiments.reject(actor!, id, note ?? '');
      case 'start':
        return experiments.start(actor!, id);
      case 'evaluate':
        return experiments.evaluate(actor!, id);
      case 'dissolve':
        return experiments.dissolve(actor!, id, note ?? '');
      default:
        throw new HttpError(
          'not_found',
          `no transition "${String(transition)}"`,
          'use approve, reject, start, evaluate or dissolve',
        );
    }
  });
  route('experimentBudget', async (request, _r, actor): Promise<BudgetResponse> => {
    const id = experimentParam(request);
    experiments.get(actor!, id); // visibility check: members, reviewers, stewards
    return ledger.state(id);
  });
  route('experimentAudit', async (request, _r, actor): Promise<AuditResponse> => {
    const id = experimentParam(request);
    experiments.get(actor!, id);
    return auditPage(audit.entries({ experiment: id, fromSeq: fromParam(request), limit: PAGE }));
  });
  route('audit', async (request): Promise<AuditResponse> =>
    auditPage(audit.entries({ fromSeq: fromParam(request), limit: PAGE })),
  );
  route('auditVerify', async (request): Promise<AuditVerifyResponse> => {
    const report = await audit.verify(anchorParams(request), {
      retentionDays: ledger.policy.retention.audit_log_days,
    });
    return {
      ok: report.ok,
      verdict: auditVerdict(report),
      entries: report.entries,
      message: report.message,
      ...(report.head ? { anchor: formatAnchor(report.head) } : {}),
    };
  });
  route('dpQuery', async (request, _r, actor) => {
    // A client that closes its connection (Stop, a timeout) interrupts the query and is refunded.
    const socket = request.raw.socket;
    const gone = new AbortController();
    const leave = () => gone.abort();
    if (socket?.destroyed) leave();
    socket?.once('close', leave);
    try {
      return await dp.query(actor!, request.body, gone.signal);
    } finally {
      socket?.off('close', leave);
    }
  });
}

/** Most audit entries in one answer. */
const PAGE = 1000;

/** The `?from=<seq>` of an audit request (default 0). */
function fromParam(request: { query: unknown }): number {
  const from = Number((request.query as { from?: string } | undefined)?.from ?? '0');
  if (!Number.isInteger(from) || from < 0)
    throw new HttpError(
      'bad_request',
      '"from" must be a non-negative integer',
      'page with ?from=<seq> (the "next" of the previous answer)',
    );
  return from;
}

/** The `?anchor=<seq>:<hash>` values (repeatable) of GET /audit/verify, strictly parsed. */
function anchorParams(request: { query: unknown }): ChainAnchor[] {
  const raw = (request.query as AuditVerifyQuery | undefined)?.anchor;
  const texts: unknown[] = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return texts.map((text) => {
    const parsed =
      typeof text === 'string'
        ? parseAnchor(text)
        : { problem: 'an "anchor" parameter is not text' };
    if ('problem' in parsed) {
      throw new HttpError(
        'bad_request',
        `GET /audit/verify: ${parsed.problem}`,
        `pass ?anchor=${ANCHOR_FORM} once per anchor, copied from the "anchor" of an intact answer`,
      );
    }
    return parsed.anchor;
  });
}

/** One page of entries, with where the next page starts when it is full. */
function auditPage(entries: AuditEntry[]): AuditResponse {
  const last = entries.at(-1);
  return entries.length === PAGE && last ? { entries, next: last.seq + 1 } : { entries };
}
