/**
 * The gateway's HTTP API (fastify), bound to 127.0.0.1. Every route in core's ROUTES table is
 * authenticated with a bearer token and role-checked here; every error is an ApiError JSON body
 * with a 4xx/5xx status, and no input can crash the process.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cors from '@fastify/cors';
import {
  API_PREFIX,
  ROUTES,
  type HealthResponse,
  type ListViewsResponse,
  type PublishResponse,
  type RouteName,
  type WhoAmIResponse,
} from '@privet/core';
import { loadPolicyFile, type LoadedPolicy } from '../policy-file.js';
import { publishViews } from '../publish/index.js';
import { authenticate, requireRole, TokenFile, type Actor } from './auth.js';
import { fastifyClientError, HttpError } from './errors.js';
import { nestsDeeperThan, tooDeep } from './json-depth.js';
import type { IssuedTokens } from './tokens.js';
import { issueTokensRecorded } from './token-audit.js';
import { recoverPublishStateAtStart } from '../publish/recover.js';
import { PublishBusyError } from '../publish/lock.js';
import { errorBody } from '../publish/jobs.js';
import { listViews, summarizeView } from './views.js';
import { openServices, type Services } from '../ledger/open.js';
import { scheduleRetention } from '../experiments/retention.js';
import { DpQueryService } from '../dp/service.js';
import { registerRecordRoutes } from './routes-records.js';
import { registerReviewRoutes } from './routes-review.js';
import type { LeakRateLimits } from '../leak/rate-limit.js';
import { registerPublishRoutes } from './routes-publish.js';
import { viewParam } from './params.js';
import { registerViewFileRoutes } from './routes-view-files.js';
import { requestLogger, type LogDestination } from './request-log.js';
import { declared } from '@privet/core/policy/lookup';
import { answersTo, hostRule, misdirectedHost } from './host-check.js';
import { databaseError } from '../storage-errors.js';

/** Options for starting a gateway. */
export interface GatewayOptions {
  policyPath: string;
  stateDir: string;
  host?: string;
  /**
   * More Host names the gateway answers to (a reverse proxy's name), besides 127.0.0.1, localhost,
   * [::1] and the bound address; any other Host is refused with 421 (DNS rebinding).
   */
  allowedHosts?: string[];
  /** 0 picks a free port. */
  port?: number;
  /** Browser origins allowed to call the API (e.g. the JupyterLab origin). */
  corsOrigins?: string[];
  /** Issue new tokens for these users at start (the plaintext is returned once). */
  issueTokensFor?: string[];
  /** Lifetime of the tokens issued at start, in ms (default 12 hours). */
  tokenTtlMs?: number;
  /** Log requests (method, URL with tickets redacted, status, time) to stdout or `logDestination`. */
  log?: boolean;
  /** Where request log lines go when `log` is on (default stdout). */
  logDestination?: LogDestination;
  /** Build the raw-value leak index at start instead of on the first leak check. */
  warmLeakIndex?: boolean;
  /** Per-user raw-value lookup limits (default DEFAULT_LEAK_LIMITS). */
  leakLimits?: LeakRateLimits;
  /** Retention (artefact purge, audit pruning) runs at start and then every this many ms (default 1 h). */
  retentionIntervalMs?: number;
}

/** Routes whose bodies may exceed the default 1 MiB: notebooks and outputs with images. */
const BODY_LIMITS: Partial<Record<RouteName, number>> = {
  createExport: 32 << 20,
  submitReview: 16 << 20,
  checkOutputLeaks: 16 << 20,
};

/** Routes whose JSON body reaches the handler as bytes, parsed in the output-check worker. */
const RAW_BODY_ROUTES: ReadonlySet<string> = new Set(
  (['createExport', 'submitReview'] as const).map((name) => API_PREFIX + ROUTES[name].path),
);

/** A running gateway. */
export interface RunningGateway {
  url: string;
  port: number;
  /** Plaintext tokens issued at start (only those in `issueTokensFor`). */
  tokens: Record<string, string>;
  /** When the tokens issued at start expire (ISO 8601). */
  tokensExpireAt: string;
  app: FastifyInstance;
  /** The record services (ledger, experiments, audit) the gateway runs on. */
  services: Services;
  /** Re-reads the token store now (it is also re-read on the first request after it changed). */
  reloadTokens(): void;
  close(): Promise<void>;
}

const VERSION = '0.1.0';

/** Builds the fastify app for a loaded policy (not yet listening); `flushAudit` audits pending counts at close. */
export async function buildApp(
  loaded: LoadedPolicy,
  stateDir: string,
  options: GatewayOptions,
  services: Services,
): Promise<{ app: FastifyInstance; reloadTokens: () => void; flushAudit: () => void }> {
  const { policy } = loaded;
  // Before anything is opened: a malformed --allowed-hosts entry stops the start with its fix.
  const hosts = hostRule(options.host ?? '127.0.0.1', options.allowedHosts ?? []);
  const dp = new DpQueryService(loaded, services);
  const app = Fastify({
    logger: requestLogger(options.log ?? false, options.logDestination),
    bodyLimit: 1 << 20,
    routerOptions: { maxParamLength: 200 },
    // No automatic HEAD routes: Fastify would run each GET handler for them, with its effects
    // (a single-use ticket used up, an audited read of a held output) while no body is sent.
    exposeHeadRoutes: false,
  });
  // First of all hooks (before CORS, authentication and routing, on unknown routes too): a request
  // addressed to a name the gateway does not answer to gets nothing else (DNS rebinding).
  app.addHook('onRequest', async (request, reply) => {
    if (answersTo(hosts, request.headers.host)) return;
    const refusal = misdirectedHost(request.headers.host);
    return reply.status(421).header('Cache-Control', 'no-store').send(refusal.body());
  });
  await app.register(cors, {
    origin: options.corsOrigins ?? false,
    allowedHeaders: ['Authorization', 'Content-Type'],
  });
  // JSON bodies are parsed as Fastify does by default, except on the routes that hand theirs to
  // the output-check worker as bytes (json-body.ts): up to 32 MB that the event loop never parses.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    if (RAW_BODY_ROUTES.has(request.routeOptions.url ?? '')) done(null, body);
    else if (nestsDeeperThan(body as Buffer)) done(tooDeep());
    // Fastify's default JSON parser (secure-json-parse) reads a Buffer as it reads a string.
    else parseJson(request, body as unknown as string, done);
  });
  // Bodies are JSON only: a text/plain body would reach a handler as a string ("must be a JSON
  // object"); without its parser it is refused as the wrong media type, which says what to fix.
  app.removeContentTypeParser('text/plain');
  // Re-read when tokens.json changes, so `privet token issue` takes effect without a restart.
  const tokens = new TokenFile(stateDir);
  let publishing: Promise<PublishResponse> | undefined;

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof HttpError) {
      // A gateway-side failure told to the client plainly: its cause is for the steward's log.
      if (error.status >= 500 && error.cause !== undefined) app.log.error(error.cause);
      return reply.status(error.status).send(error.body());
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 413) {
      const limit = request.routeOptions.bodyLimit ?? 1 << 20;
      return reply
        .status(413)
        .send(
          new HttpError(
            'payload_too_large',
            'the request body is too large',
            `send at most ${limit >> 20} MiB`,
          ).body(),
        );
    }
    const known = fastifyClientError((error as { code?: string }).code);
    if (known) return reply.status(known.status).send(known.body());
    if (status !== undefined && status >= 400 && status < 500) {
      return reply
        .status(400)
        .send(
          new HttpError(
            'bad_request',
            `the request is malformed (${(error as { code?: string }).code ?? 'invalid'})`,
            'check the method, headers and JSON body against the API',
          ).body(),
        );
    }
    app.log.error(error);
    return reply
      .status(500)
      .send(
        new HttpError(
          'internal',
          'the gateway failed to handle this request',
          'try again; if it persists, a steward can check the gateway log',
        ).body(),
      );
  });
  app.setNotFoundHandler((request, reply) => {
    reply
      .status(404)
      .send(
        new HttpError(
          'not_found',
          `no route ${request.method} ${request.url.split('?')[0]}`,
          `see the routes under ${API_PREFIX}`,
        ).body(),
      );
  });

  /** The actor each request's token check found (onRequest), for its handler. */
  const actors = new WeakMap<FastifyRequest, Actor>();

  /** Registers a route from ROUTES with authentication and its role check. */
  function route(
    name: RouteName,
    handler: (
      request: FastifyRequest,
      reply: FastifyReply,
      actor: Actor | undefined,
    ) => Promise<unknown>,
  ): void {
    const spec = ROUTES[name];
    const roles = spec.roles;
    app.route({
      method: spec.method,
      url: API_PREFIX + spec.path,
      ...(BODY_LIMITS[name] === undefined ? {} : { bodyLimit: BODY_LIMITS[name] }),
      // Token and role are checked before the body is read: nobody without them makes the gateway
      // buffer or parse up to 32 MB.
      ...(roles === 'public'
        ? {}
        : {
            onRequest: async (request: FastifyRequest) => {
              const actor = authenticate(request.headers.authorization, tokens, policy);
              requireRole(actor, roles, `${spec.method} ${spec.path}`);
              actors.set(request, actor);
            },
          }),
      handler: async (request, reply) => {
        const actor = actors.get(request);
        if (roles !== 'public' && !actor) throw new Error('a route ran without its token check');
        reply.header('Cache-Control', 'no-store');
        return handler(request, reply, actor);
      },
    });
  }

  route('health', async (): Promise<HealthResponse> => ({
    status: 'ok',
    version: VERSION,
    policy: { name: policy.name, hash: loaded.hash },
  }));
  route('whoami', async (_q, _r, actor): Promise<WhoAmIResponse> => ({
    user: actor!.user,
    name: actor!.name,
    roles: actor!.roles,
    exportRules: {
      small_cell_threshold: policy.export.small_cell_threshold,
      images: policy.export.images,
    },
  }));
  route('listViews', async (): Promise<ListViewsResponse> => ({
    views: listViews(policy, stateDir),
  }));
  route('getView', async (request) => summarizeView(policy, stateDir, viewParam(request)));

  registerViewFileRoutes(route, policy, stateDir, services, tokens);

  route('publish', async (_request, _reply, actor): Promise<PublishResponse> => {
    if (publishing)
      throw new HttpError(
        'conflict',
        'a publish is already running',
        'wait for it to finish and try again',
      );
    publishing = publishViews({
      policy,
      policyText: loaded.text,
      policyDir: loaded.dir,
      stateDir,
      records: { db: services.db, audit: services.audit },
      actor: actor!.user,
    }).then((results) => ({
      published: results.map((r) => ({
        view: r.view,
        rows: r.rows,
        rowsSuppressed: r.rowsSuppressed,
      })),
    }));
    try {
      return await publishing;
    } catch (error) {
      // Another process (a `privet publish` on this state folder) holds the publish lock.
      if (error instanceof PublishBusyError)
        throw new HttpError(
          'conflict',
          'another publish is running on this gateway’s state folder (e.g. a `privet publish` in a terminal)',
          'wait for it to finish and try again',
        );
      // A refusal (bad source values, k-anonymity, a leak check) says what and how to fix it.
      const failed = errorBody(error);
      if (failed.code !== 'internal') throw new HttpError('conflict', failed.message, failed.fix);
      throw error;
    } finally {
      publishing = undefined;
    }
  });

  registerRecordRoutes(route, services, dp);
  const leaks = registerReviewRoutes(route, services, {
    loaded,
    stateDir,
    ...(options.warmLeakIndex ? { warmLeakIndex: true } : {}),
    ...(options.leakLimits ? { leakLimits: options.leakLimits } : {}),
  });
  registerPublishRoutes(route, loaded, stateDir, services);
  app.addHook('onClose', async () => {
    await dp.close();
    await leaks.close();
  });

  const reloadTokens = () => {
    tokens.reload();
  };
  return { app, reloadTokens, flushAudit: () => leaks.flushCleanChecks() };
}

/** A failed listen as a user-facing error: a port in use says so and how to fix it. */
export function listenError(error: unknown, host: string, port: number): Error {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE')
    return new Error(
      `port ${port} on ${host} is in use (another Privet gateway?); no token was changed. Fix: stop the process holding it, or pass another --port`,
    );
  if (code === 'EACCES')
    return new Error(
      `no permission to listen on port ${port} of ${host}. Fix: pass a port above 1023 with --port`,
    );
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Loads the policy, starts listening (127.0.0.1 by default), then issues the requested tokens: a
 * start that cannot bind its port (another gateway holds it) fails before it replaces any token.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const loaded = loadPolicyFile(options.policyPath);
  const unknown = (options.issueTokensFor ?? []).filter((u) => !declared(loaded.policy.users, u));
  if (unknown.length > 0)
    throw new Error(
      `cannot issue tokens for ${unknown.join(', ')}: not users in ${options.policyPath}. Fix: declare them under users`,
    );
  mkdirSync(options.stateDir, { recursive: true });
  // A publish killed mid-batch is finished before any view is served (none if a publish runs now).
  const publishRecovery = recoverPublishStateAtStart(options.stateDir);
  const dbPath = join(options.stateDir, 'privet.db');
  let services: Services;
  try {
    services = openServices({ dbPath, policy: loaded.policy, stateDir: options.stateDir });
  } catch (error) {
    // A damaged database or a full disk is named with its path and the fix, not SQLite's words.
    throw databaseError(error, dbPath);
  }
  let built: Awaited<ReturnType<typeof buildApp>>;
  try {
    built = await buildApp(loaded, options.stateDir, options, services);
  } catch (error) {
    services.close();
    throw error;
  }
  const { app, reloadTokens, flushAudit } = built;
  if (publishRecovery.state === 'recovered' && publishRecovery.finished.length > 0)
    app.log.warn(`finished an interrupted publish of ${publishRecovery.finished.join(', ')}`);
  if (publishRecovery.state !== 'recovered')
    app.log.warn(
      `published views were not checked for an interrupted publish: ${publishRecovery.message}`,
    );
  // Hooks are added before listening (Fastify refuses them after); retention starts once bound.
  const later: { retention?: ReturnType<typeof scheduleRetention> } = {};
  app.addHook('onClose', async () => {
    flushAudit();
    await later.retention?.stop();
    services.close();
  });
  const host = options.host ?? '127.0.0.1';
  try {
    await app.listen({ host, port: options.port ?? 0 });
  } catch (error) {
    await app.close(); // the onClose hook closes the services
    throw listenError(error, host, options.port ?? 0);
  }
  let issued: IssuedTokens;
  try {
    // Also records a token change that reached tokens.json without its audit entry (a crash).
    issued = issueTokensRecorded(
      services,
      'gateway',
      options.stateDir,
      options.issueTokensFor ?? [],
      {
        ...(options.tokenTtlMs ? { ttlMs: options.tokenTtlMs } : {}),
      },
    );
  } catch (error) {
    await app.close();
    throw databaseError(error, dbPath);
  }
  reloadTokens();
  later.retention = scheduleRetention({
    experiments: services.experiments,
    audit: services.audit,
    policy: loaded.policy,
    ...(options.retentionIntervalMs === undefined
      ? {}
      : { intervalMs: options.retentionIntervalMs }),
    onError: (e) => app.log.error(e, 'retention run failed; retrying at the next interval'),
  });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  return {
    url: `http://${host}:${port}`,
    port,
    tokens: issued.tokens,
    tokensExpireAt: issued.expiresAt,
    app,
    reloadTokens,
    services,
    close: () => app.close(),
  };
}
