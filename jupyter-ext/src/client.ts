/**
 * The browser side of core's HTTP contract: typed calls to the gateway with the bearer token.
 * Every failure becomes a GatewayError carrying the gateway's own message and fix (never data).
 */
import {
  API_PREFIX,
  ARROW_STREAM_MEDIA_TYPE,
  ROUTES,
  type ApiError,
  type AuditResponse,
  type BudgetResponse,
  type CreateExportRequest,
  type ExportBundle,
  type ListReviewsResponse,
  type ReviewCommentRequest,
  type ReviewDecisionRequest,
  type ReviewRequest,
  type ReviewStatusRequest,
  type ReviewStatusResponse,
  type SubmitReviewRequest,
  type VerifyReleasesResponse,
  type DpQueryBody,
  type DpQueryResult,
  type HealthResponse,
  type ListExperimentsResponse,
  type ListViewsResponse,
  type WhoAmIResponse,
} from '@privet/core/protocol';

/** A failed gateway call: what happened and how to fix it. */
export class GatewayError extends Error {
  /** Creates an error from an ApiError body or a client-side failure. */
  constructor(
    message: string,
    readonly fix: string,
    readonly code: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}

/** Normalizes a user-entered gateway URL (no trailing slash); throws when it is not http(s). */
export function normalizeGatewayUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new GatewayError(
      'the gateway URL is not a valid URL',
      'enter it like http://127.0.0.1:8765 (Settings → Privet → Gateway URL)',
      'bad_url',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new GatewayError(
      'the gateway URL must use http or https',
      'use http://host:port',
      'bad_url',
    );
  }
  return url.origin + url.pathname.replace(/\/+$/, '');
}

/** Typed client of one gateway for one signed-in user. */
export class GatewayClient {
  /** Creates a client; `token` may be empty for the public /health route. */
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /** GET /health (no auth). */
  health(): Promise<HealthResponse> {
    return this.json<HealthResponse>(ROUTES.health.path, false);
  }

  /** GET /whoami: who the token belongs to. */
  whoami(): Promise<WhoAmIResponse> {
    return this.json<WhoAmIResponse>(ROUTES.whoami.path, true);
  }

  /** GET /views: the views this user may see. */
  listViews(): Promise<ListViewsResponse> {
    return this.json<ListViewsResponse>(ROUTES.listViews.path, true);
  }

  /** GET /experiments: the experiments this user may see. */
  listExperiments(): Promise<ListExperimentsResponse> {
    return this.json<ListExperimentsResponse>(ROUTES.listExperiments.path, true);
  }

  /** GET /experiments/:id/budget: budgets and charges of one experiment. */
  budget(experiment: string): Promise<BudgetResponse> {
    const path = ROUTES.experimentBudget.path.replace(':id', encodeURIComponent(experiment));
    return this.json<BudgetResponse>(path, true);
  }

  /** POST /dp/query: a dry run (free) or a run that spends budget. */
  dpQuery(body: DpQueryBody): Promise<DpQueryResult> {
    return this.json<DpQueryResult>(ROUTES.dpQuery.path, true, JSON.stringify(body));
  }

  /** GET /experiments/:id/audit: the experiment's audit entries (its record). */
  experimentAudit(experiment: string): Promise<AuditResponse> {
    return this.json<AuditResponse>(fillId(ROUTES.experimentAudit.path, experiment), true);
  }

  /** POST /releases/verify: which DP release ids the ledger has committed. */
  verifyReleases(ids: string[]): Promise<VerifyReleasesResponse> {
    return this.json<VerifyReleasesResponse>(
      ROUTES.verifyReleases.path,
      true,
      JSON.stringify({ ids }),
    );
  }

  /** POST /reviews: asks a reviewer to release a held output. */
  submitReview(body: SubmitReviewRequest): Promise<ReviewRequest> {
    return this.json<ReviewRequest>(ROUTES.submitReview.path, true, JSON.stringify(body));
  }

  /** GET /reviews?experiment=&state=: review requests this user may see. */
  listReviews(filter: { experiment?: string; state?: string } = {}): Promise<ListReviewsResponse> {
    const query = new URLSearchParams();
    if (filter.experiment) query.set('experiment', filter.experiment);
    if (filter.state) query.set('state', filter.state);
    const suffix = query.size > 0 ? `?${query.toString()}` : '';
    return this.json<ListReviewsResponse>(ROUTES.listReviews.path + suffix, true);
  }

  /** POST /reviews/status: the newest review state of each content hash. */
  reviewStatus(body: ReviewStatusRequest): Promise<ReviewStatusResponse> {
    return this.json<ReviewStatusResponse>(ROUTES.reviewStatus.path, true, JSON.stringify(body));
  }

  /** POST /reviews/:id/decision (reviewer): approve, reject or request changes. */
  decideReview(id: string, body: ReviewDecisionRequest): Promise<ReviewRequest> {
    const path = fillId(ROUTES.decideReview.path, id);
    return this.json<ReviewRequest>(path, true, JSON.stringify(body));
  }

  /** POST /reviews/:id/comments: adds a comment to a request. */
  commentReview(id: string, body: ReviewCommentRequest): Promise<ReviewRequest> {
    const path = fillId(ROUTES.commentReview.path, id);
    return this.json<ReviewRequest>(path, true, JSON.stringify(body));
  }

  /** POST /exports: the gateway filters the notebook and signs the bundle. */
  createExport(body: CreateExportRequest): Promise<ExportBundle> {
    return this.json<ExportBundle>(ROUTES.createExport.path, true, JSON.stringify(body));
  }

  /** GET /views/:name/arrow?experiment=: a published view as an Arrow IPC stream. */
  async viewArrow(name: string, experiment: string): Promise<Uint8Array> {
    const path = viewPath(ROUTES.viewArrow.path, name) + experimentQuery(experiment);
    const response = await this.request(path, true, { Accept: ARROW_STREAM_MEDIA_TYPE });
    return new Uint8Array(await response.arrayBuffer());
  }

  /** Absolute URL of GET /views/:name/parquet?experiment= (for code that runs in the kernel). */
  parquetUrl(name: string, experiment: string): string {
    const path = viewPath(ROUTES.viewParquet.path, name) + experimentQuery(experiment);
    return this.baseUrl + API_PREFIX + path;
  }

  private async json<T>(path: string, auth: boolean, body?: string): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await this.request(path, auth, headers, body);
    return (await response.json()) as T;
  }

  private async request(
    path: string,
    auth: boolean,
    headers: Record<string, string>,
    body?: string,
  ): Promise<Response> {
    const url = this.baseUrl + API_PREFIX + path;
    const all: Record<string, string> = { ...headers };
    if (auth) all.Authorization = `Bearer ${this.token}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: body === undefined ? 'GET' : 'POST',
        headers: all,
        body,
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      throw new GatewayError(
        `could not reach the Privet gateway at ${this.baseUrl}`,
        `start it (npm start) and check that its CORS origins include ${window.location.origin}`,
        'unreachable',
      );
    }
    if (!response.ok) throw await errorFrom(response);
    return response;
  }
}

/** Fills the `:id` parameter of a route path. */
function fillId(template: string, id: string): string {
  return template.replace(':id', encodeURIComponent(id));
}

/** Fills the `:name` parameter of a route path. */
function viewPath(template: string, name: string): string {
  return template.replace(':name', encodeURIComponent(name));
}

/** The `?experiment=` query string naming the experiment a view is used in. */
function experimentQuery(experiment: string): string {
  return `?experiment=${encodeURIComponent(experiment)}`;
}

/** Reads an ApiError body, falling back to the status when the body is not one. */
async function errorFrom(response: Response): Promise<GatewayError> {
  try {
    const body = (await response.json()) as Partial<ApiError>;
    if (body.error && typeof body.error.message === 'string') {
      const { code, message, fix } = body.error;
      return new GatewayError(message, fix ?? '', code ?? 'error', response.status);
    }
  } catch {
    // Not JSON: fall through to the generic error.
  }
  return new GatewayError(
    `the gateway answered HTTP ${response.status}`,
    'check the gateway URL and its log',
    'http',
    response.status,
  );
}
