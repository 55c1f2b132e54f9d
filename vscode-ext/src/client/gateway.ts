/**
 * The extension's side of core's HTTP contract: typed calls to the gateway with the bearer token,
 * from Node (extension host and language server). Every failure becomes a GatewayError carrying
 * the gateway's own message and fix (never data). Mirrors jupyter-ext/src/client.ts, without the
 * browser-only parts.
 */
import {
  API_PREFIX,
  ARROW_STREAM_MEDIA_TYPE,
  ROUTES,
  type ApiError,
  type BudgetResponse,
  type CreateExportRequest,
  type ExportBundle,
  type DpQueryBody,
  type DpQueryResult,
  type HealthResponse,
  type ListExperimentsResponse,
  type ListReviewsResponse,
  type ListViewsResponse,
  type ReviewDecisionRequest,
  type ReviewRequest,
  type ReviewStatusRequest,
  type ReviewStatusResponse,
  type SubmitReviewRequest,
  type WhoAmIResponse,
} from '@privet/core/protocol';
import type { Experiment } from '@privet/core';

/** An experiment as the gateway lists it. */
export type { Experiment };

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

/** Normalizes a configured gateway URL (no trailing slash); throws when it is not http(s). */
export function normalizeGatewayUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new GatewayError(
      'the gateway URL is not a valid URL',
      'set privet.gatewayUrl like http://127.0.0.1:8765 (Settings → Privet → Gateway URL)',
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
    /** The bearer token (handed in memory to the language server; never written anywhere). */
    readonly token: string,
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
    return this.json<BudgetResponse>(idPath(ROUTES.experimentBudget.path, experiment), true);
  }

  /** POST /dp/query: a dry run (free) or a run that spends budget. */
  dpQuery(body: DpQueryBody): Promise<DpQueryResult> {
    return this.json<DpQueryResult>(ROUTES.dpQuery.path, true, JSON.stringify(body));
  }

  /** POST /reviews: sends a flagged output (only to the gateway) with a justification. */
  submitReview(body: SubmitReviewRequest): Promise<ReviewRequest> {
    return this.json<ReviewRequest>(ROUTES.submitReview.path, true, JSON.stringify(body));
  }

  /** GET /reviews?experiment=: review requests visible to this user. */
  listReviews(experiment?: string): Promise<ListReviewsResponse> {
    const query = experiment ? `?experiment=${encodeURIComponent(experiment)}` : '';
    return this.json<ListReviewsResponse>(ROUTES.listReviews.path + query, true);
  }

  /** POST /reviews/status: the newest request's state for each content hash. */
  reviewStatus(body: ReviewStatusRequest): Promise<ReviewStatusResponse> {
    return this.json<ReviewStatusResponse>(ROUTES.reviewStatus.path, true, JSON.stringify(body));
  }

  /** POST /reviews/:id/decision (reviewer): approve, reject or request changes. */
  decideReview(id: string, body: ReviewDecisionRequest): Promise<ReviewRequest> {
    return this.json<ReviewRequest>(
      idPath(ROUTES.decideReview.path, id),
      true,
      JSON.stringify(body),
    );
  }

  /** POST /exports: the gateway filters the notebook to passed/approved outputs and signs it. */
  createExport(body: CreateExportRequest): Promise<ExportBundle> {
    return this.json<ExportBundle>(ROUTES.createExport.path, true, JSON.stringify(body));
  }

  /** GET /views/:name/arrow?experiment=: a published view as an Arrow IPC stream. */
  async viewArrow(name: string, experiment: string): Promise<Uint8Array> {
    const path =
      ROUTES.viewArrow.path.replace(':name', encodeURIComponent(name)) +
      `?experiment=${encodeURIComponent(experiment)}`;
    const response = await this.request(path, true, { Accept: ARROW_STREAM_MEDIA_TYPE });
    return new Uint8Array(await response.arrayBuffer());
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
    const all: Record<string, string> = { ...headers };
    if (auth) all.Authorization = `Bearer ${this.token}`;
    let response: Response;
    try {
      response = await fetch(this.baseUrl + API_PREFIX + path, {
        method: body === undefined ? 'GET' : 'POST',
        headers: all,
        body,
        signal: AbortSignal.timeout(60_000),
      });
    } catch {
      throw new GatewayError(
        `could not reach the Privet gateway at ${this.baseUrl}`,
        'start it (npm start) and check the setting privet.gatewayUrl',
        'unreachable',
      );
    }
    if (!response.ok) throw await errorFrom(response);
    return response;
  }
}

/** Fills the `:id` parameter of a route path. */
function idPath(template: string, id: string): string {
  return template.replace(':id', encodeURIComponent(id));
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
    'check privet.gatewayUrl and the gateway log',
    'http',
    response.status,
  );
}
