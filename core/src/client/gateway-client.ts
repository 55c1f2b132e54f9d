/**
 * The typed client of core's HTTP contract, shared by every notebook host. Pure: the host injects
 * `fetch` (with its own credentials, cache and timeout options) and the fix texts that name its
 * own settings. Every failure becomes a GatewayError carrying the gateway's message and fix.
 */
import { API_PREFIX, ARROW_STREAM_MEDIA_TYPE, ROUTES } from '../protocol.js';
import type { AuditResponse } from '../protocol.js';
import type { AuditEntry } from '../record/types.js';
import type { DownloadProgress, FetchLike, FetchResponseLike } from './fetch-like.js';
import { GatewayError, gatewayErrorFrom } from './gateway-error.js';
import type { ClientRouteName, ClientRouteTypes } from './routes.js';
import { stopReasonOf } from './stop-reason.js';
import { fillRoutePath, queryString } from './url.js';

/** Most pages of an experiment's audit record read at once (1,000 entries each). */
const MAX_AUDIT_PAGES = 200;

/** What the host supplies: its `fetch` and the fixes that point at its own settings. */
export interface GatewayTransport {
  /** The host's fetch; it rejects only when the gateway cannot be reached. */
  fetch: FetchLike;
  /** How to fix an unreachable gateway (e.g. start it, check the URL setting or CORS). */
  unreachableFix: string;
  /** How to fix an HTTP error whose body is not an ApiError. */
  httpFix: string;
  /**
   * How to sign in again in this host (e.g. "run Privet: Sign In"): added to the gateway's own fix
   * when it refuses the token (401) of a signed-in call, whose fix can only name the steward.
   */
  signInAgainFix?: string;
}

/** Filter of GET /reviews: by experiment and/or state. */
export interface ReviewFilter {
  experiment?: string;
  state?: string;
}

/** Path parameters and query string of one call, and the caller's stop signal. */
interface CallTarget {
  params?: Readonly<Record<string, string>>;
  query?: string;
  signal?: AbortSignal;
}

/** Typed client of one gateway for one signed-in user. */
export class GatewayClient {
  /** Creates a client; `token` may be empty for the public /health route. */
  constructor(
    readonly baseUrl: string,
    /** The bearer token (kept in memory only; never written anywhere by the client). */
    readonly token: string,
    private readonly transport: GatewayTransport,
  ) {}

  /** GET /health (no auth). */
  health(): Promise<ClientRouteTypes['health']['response']> {
    return this.call('health', undefined);
  }

  /** GET /whoami: who the token belongs to. */
  whoami(): Promise<ClientRouteTypes['whoami']['response']> {
    return this.call('whoami', undefined);
  }

  /** GET /views: the views this user may see. */
  listViews(): Promise<ClientRouteTypes['listViews']['response']> {
    return this.call('listViews', undefined);
  }

  /** GET /experiments: the experiments this user may see. */
  listExperiments(): Promise<ClientRouteTypes['listExperiments']['response']> {
    return this.call('listExperiments', undefined);
  }

  /** GET /experiments/:id/budget: budgets and charges of one experiment. */
  budget(experiment: string): Promise<ClientRouteTypes['experimentBudget']['response']> {
    return this.call('experimentBudget', undefined, { params: { id: experiment } });
  }

  /** GET /experiments/:id/audit: every audit entry of the experiment (its record), page by page. */
  async experimentAudit(
    experiment: string,
  ): Promise<ClientRouteTypes['experimentAudit']['response']> {
    const entries: AuditEntry[] = [];
    let from: number | undefined = 0;
    for (let page = 0; page < MAX_AUDIT_PAGES && from !== undefined; page++) {
      const answer: AuditResponse = await this.call('experimentAudit', undefined, {
        params: { id: experiment },
        query: from === 0 ? '' : queryString({ from: String(from) }),
      });
      entries.push(...answer.entries);
      from = answer.next;
    }
    if (from !== undefined)
      throw new GatewayError(
        `the record of experiment ${experiment} has more than ${MAX_AUDIT_PAGES * 1000} audit entries`,
        'read it in pages with GET /experiments/:id/audit?from=<seq>, or ask a steward for an export',
        'too-large',
      );
    return { entries };
  }

  /**
   * POST /dp/query: a dry run (free) or a run that spends budget. `signal` stops waiting (the
   * request is closed; a run the gateway has not yet answered is then refunded, not charged).
   */
  dpQuery(
    body: ClientRouteTypes['dpQuery']['body'],
    options: { signal?: AbortSignal } = {},
  ): Promise<ClientRouteTypes['dpQuery']['response']> {
    return this.call('dpQuery', body, options.signal ? { signal: options.signal } : {});
  }

  /** POST /releases/verify: which (release id, content digest) pairs the ledger has committed. */
  verifyReleases(
    releases: ClientRouteTypes['verifyReleases']['body']['releases'],
  ): Promise<ClientRouteTypes['verifyReleases']['response']> {
    return this.call('verifyReleases', { releases });
  }

  /** POST /leak-check/outputs: for each output about to be shown, whether it shows a raw value. */
  checkOutputLeaks(
    body: ClientRouteTypes['checkOutputLeaks']['body'],
  ): Promise<ClientRouteTypes['checkOutputLeaks']['response']> {
    return this.call('checkOutputLeaks', body);
  }

  /** POST /reviews: sends a flagged output (only to the gateway) with a justification. */
  submitReview(
    body: ClientRouteTypes['submitReview']['body'],
  ): Promise<ClientRouteTypes['submitReview']['response']> {
    return this.call('submitReview', body);
  }

  /** GET /reviews?experiment=&state=: review requests this user may see (a string: experiment). */
  listReviews(
    filter: ReviewFilter | string = {},
  ): Promise<ClientRouteTypes['listReviews']['response']> {
    const { experiment, state } = typeof filter === 'string' ? { experiment: filter } : filter;
    return this.call('listReviews', undefined, { query: queryString({ experiment, state }) });
  }

  /** POST /reviews/status: the newest review state of each content hash. */
  reviewStatus(
    body: ClientRouteTypes['reviewStatus']['body'],
  ): Promise<ClientRouteTypes['reviewStatus']['response']> {
    return this.call('reviewStatus', body);
  }

  /** GET /reviews/:id: one review request with its comments (never the output itself). */
  getReview(id: string): Promise<ClientRouteTypes['getReview']['response']> {
    return this.call('getReview', undefined, { params: { id } });
  }

  /** GET /reviews/:id/output (reviewer, steward): the whole output the request is about. */
  reviewOutput(id: string): Promise<ClientRouteTypes['reviewOutput']['response']> {
    return this.call('reviewOutput', undefined, { params: { id } });
  }

  /** POST /reviews/:id/decision (reviewer): approve, reject or request changes. */
  decideReview(
    id: string,
    body: ClientRouteTypes['decideReview']['body'],
  ): Promise<ClientRouteTypes['decideReview']['response']> {
    return this.call('decideReview', body, { params: { id } });
  }

  /** POST /reviews/:id/comments: adds a comment to a request. */
  commentReview(
    id: string,
    body: ClientRouteTypes['commentReview']['body'],
  ): Promise<ClientRouteTypes['commentReview']['response']> {
    return this.call('commentReview', body, { params: { id } });
  }

  /** POST /exports: the gateway filters the notebook to passed/approved outputs and signs it. */
  createExport(
    body: ClientRouteTypes['createExport']['body'],
  ): Promise<ClientRouteTypes['createExport']['response']> {
    return this.call('createExport', body);
  }

  /** GET /views/:name/fidelity: a synthetic view's fidelity report (stewards, or if the policy allows). */
  viewFidelity(name: string): Promise<ClientRouteTypes['viewFidelity']['response']> {
    return this.call('viewFidelity', undefined, { params: { name } });
  }

  /** GET /views/:name/fidelity?format=svg: the report's plots, as SVG text. */
  async viewFidelitySvg(name: string): Promise<string> {
    const path = fillRoutePath(ROUTES.viewFidelity.path, { name }) + queryString({ format: 'svg' });
    const response = await this.send(path, {
      method: ROUTES.viewFidelity.method,
      headers: this.headers(true, { Accept: 'image/svg+xml' }),
    });
    return new TextDecoder().decode(await response.arrayBuffer());
  }

  /** GET /publish/plan (steward): what publishing now would rebuild and charge. */
  publishPlan(): Promise<ClientRouteTypes['publishPlan']['response']> {
    return this.call('publishPlan', undefined);
  }

  /** POST /publish/jobs (steward): publishes every view again in the background. */
  startPublishJob(): Promise<ClientRouteTypes['startPublishJob']['response']> {
    return this.call('startPublishJob', {});
  }

  /** GET /publish/jobs/:id (steward): a publish job's state and progress. */
  getPublishJob(id: string): Promise<ClientRouteTypes['getPublishJob']['response']> {
    return this.call('getPublishJob', undefined, { params: { id } });
  }

  /** GET /views/:name/arrow?experiment=: a published view as an Arrow IPC stream. */
  async viewArrow(
    name: string,
    experiment: string,
    options: { signal?: AbortSignal; progress?: DownloadProgress } = {},
  ): Promise<Uint8Array> {
    const path = fillRoutePath(ROUTES.viewArrow.path, { name }) + queryString({ experiment });
    const response = await this.send(path, {
      method: ROUTES.viewArrow.method,
      headers: this.headers(true, { Accept: ARROW_STREAM_MEDIA_TYPE }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    try {
      if (options.progress && response.bytesWithProgress) {
        return await response.bytesWithProgress(options.progress);
      }
      return new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      const stopped = stopReasonOf(options.signal);
      if (stopped) throw stopped;
      // A host's timeout can also cut off the body.
      if (isTimeout(error)) throw stoppedAnswering(this.baseUrl);
      throw error;
    }
  }

  /**
   * POST /views/:name/tickets: a single-use download link of the view's Parquet, holding no token
   * (for a kernel the host cannot hand its token to), as an absolute URL with its expiry.
   */
  async viewTicket(name: string, experiment: string): Promise<{ url: string; expiresAt: string }> {
    const ticket = await this.call('createViewTicket', { experiment }, { params: { name } });
    return { url: this.baseUrl + API_PREFIX + ticket.path, expiresAt: ticket.expiresAt };
  }

  /** Absolute URL of GET /views/:name/parquet?experiment= (for code that runs in the kernel). */
  parquetUrl(name: string, experiment: string): string {
    const path = fillRoutePath(ROUTES.viewParquet.path, { name }) + queryString({ experiment });
    return this.baseUrl + API_PREFIX + path;
  }

  /** Sends one JSON route: method and path from ROUTES, body and answer typed per route. */
  private async call<N extends ClientRouteName>(
    name: N,
    body: ClientRouteTypes[N]['body'],
    target: CallTarget = {},
  ): Promise<ClientRouteTypes[N]['response']> {
    const route = ROUTES[name];
    const headers = this.headers(route.roles !== 'public', { Accept: 'application/json' });
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const path = fillRoutePath(route.path, target.params ?? {}) + (target.query ?? '');
    const response = await this.send(path, {
      method: route.method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(target.signal ? { signal: target.signal } : {}),
    });
    try {
      return (await response.json()) as ClientRouteTypes[N]['response'];
    } catch (error) {
      const stopped = stopReasonOf(target.signal);
      if (stopped) throw stopped;
      // A host's timeout can also cut off the body.
      if (isTimeout(error)) throw stoppedAnswering(this.baseUrl);
      // Never the parser's message: it quotes the body.
      throw new GatewayError(
        `the gateway at ${this.baseUrl} answered ${route.method} ${route.path} with a body that is not JSON`,
        'check that the gateway URL points at a Privet gateway (not a proxy or another service) and that the gateway and the extension are the same version',
        'protocol',
        response.status,
      );
    }
  }

  /** Request headers, with the bearer token when the route needs one. */
  private headers(auth: boolean, base: Record<string, string>): Record<string, string> {
    return auth ? { ...base, Authorization: `Bearer ${this.token}` } : { ...base };
  }

  /** Fetches through the host; unreachable and non-2xx answers become GatewayErrors. */
  private async send(path: string, init: Parameters<FetchLike>[1]): Promise<FetchResponseLike> {
    let response: FetchResponseLike;
    try {
      response = await this.transport.fetch(this.baseUrl + API_PREFIX + path, init);
    } catch (error) {
      // Stopped by the user: the reason they stopped it, never "did not answer in time".
      const stopped = stopReasonOf(init.signal);
      if (stopped) throw stopped;
      // The host's own account of the failure (e.g. its timeout) says more than "unreachable".
      if (error instanceof GatewayError) throw error;
      if (isTimeout(error)) throw stoppedAnswering(this.baseUrl);
      throw new GatewayError(
        `could not reach the Privet gateway at ${this.baseUrl}`,
        this.transport.unreachableFix,
        'unreachable',
      );
    }
    if (!response.ok) {
      const error = await gatewayErrorFrom(response, this.transport.httpFix);
      throw withSignInAgain(error, this.transport.signInAgainFix);
    }
    return response;
  }
}

/** A refused token (401) with the host's way to sign in again ahead of the gateway's fix. */
function withSignInAgain(error: GatewayError, signInAgainFix: string | undefined): GatewayError {
  if (error.status !== 401 || !signInAgainFix) return error;
  const fix = error.fix
    ? `${signInAgainFix}; if you have no current token, ${error.fix}`
    : signInAgainFix;
  return new GatewayError(error.message, fix, error.code, error.status);
}

/** Whether `error` is a fetch aborted by a timeout signal (AbortSignal.timeout) or an abort. */
function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

/** The error of a call whose answer did not arrive in the host's time limit. */
function stoppedAnswering(baseUrl: string): GatewayError {
  return new GatewayError(
    `the Privet gateway at ${baseUrl} did not answer in time`,
    'check that it is running and not overloaded (see its log), then try again',
    'timeout',
  );
}
