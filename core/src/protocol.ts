/**
 * The one typed contract between the notebook side (JupyterLab, VS Code) and the gateway.
 * Every HTTP route's path, request and response shape is defined here and imported by both sides.
 * Bodies are JSON unless noted; errors are always an ApiError body with a 4xx/5xx status.
 */
import type { Role } from './policy/schema.js';
import type { AuditEntry, Charge, Experiment } from './record/types.js';
import type { DpDryRunResponse, DpQueryRequest, DpQueryResponse } from './dpsql/types.js';

export type { DpDryRunResponse, DpQueryRequest, DpQueryResponse } from './dpsql/types.js';
export type {
  DpRelease,
  DpRefusal,
  DpRefusalCode,
  DpCost,
  DpReleaseColumn,
  DpReleaseRow,
  DpReleaseCell,
  DpNoiseComponent,
} from './dpsql/types.js';
export { DP_RELEASE_MIME_TYPE } from './dpsql/types.js';
export type * from './protocol-review.js';

/** Version prefix of every API route. */
export const API_PREFIX = '/api/v1';

/** Machine-readable error codes the gateway returns. */
export type ApiErrorCode =
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'bad_request'
  | 'conflict'
  | 'not_published'
  | 'wrong_tier'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'dp_refused'
  | 'budget_exhausted'
  | 'rate_limited'
  | 'gone'
  | 'internal';

/** Every error response: what happened and how to fix it; never raw data values. */
export interface ApiError {
  error: {
    code: ApiErrorCode;
    message: string;
    fix: string;
  };
}

/** GET /health (no auth). */
export interface HealthResponse {
  status: 'ok';
  version: string;
  policy: { name: string; hash: string };
}

/** GET /whoami: the signed-in user. */
export interface WhoAmIResponse {
  user: string;
  name: string;
  roles: Role[];
  /**
   * The policy's output-review settings (its `export` block: small-cell threshold, images), so
   * the hosts check what they draw as strictly as the gateway checks what leaves.
   */
  exportRules: { small_cell_threshold: number; images: 'allow' | 'review' };
}

/** How one published column was derived from the raw source. */
export interface ColumnProvenance {
  name: string;
  /** Arrow/DuckDB logical type of the published column. */
  type: string;
  /** The masking operator and its parameters, e.g. `token(join_group=person)`. */
  operator: string;
  /** Regular expression every published value matches (format check), when the operator has one. */
  format?: string;
}

/** What `privet publish` records next to every published view. */
export interface ViewManifest {
  view: string;
  tier: 'masked' | 'synthetic';
  source: string;
  /**
   * Keyed version of the raw source file the view was made from (HMAC-SHA256 under the gateway's
   * master key): changes whenever the source changes, confirms nothing about its content.
   */
  sourceHash: string;
  /** SHA-256 of the canonical policy text. */
  policyHash: string;
  /** SHA-256 of the published Parquet file. */
  parquetHash: string;
  publishedAt: string;
  rows: number;
  rowsSuppressed: number;
  columns: ColumnProvenance[];
  kAnonymity?: {
    k: number;
    quasiIdentifiers: string[];
    /** People (distinct privacy units) in the smallest equivalence class of the published view (≥ k). */
    smallestClass: number;
    /** Rows in classes below k found by the independent re-check (always 0 when published). */
    violations: number;
    /**
     * The source's privacy unit when published: classes count its distinct values (people), so a
     * view published under another unit is stale (absent in manifests written before it was kept).
     */
    privacyUnit?: string;
    /**
     * Published tokens that link rows (the privacy unit's, or one with a join group): k holds per
     * row, not for a person's set of rows or a joined row (absent in manifests written before).
     */
    linkedBy?: LinkingToken[];
  };
  /**
   * Masked views: the identifier columns (`source.column`) whose raw values the publish-time leak
   * check compared every published value with; a policy that now declares others makes the view
   * stale (absent in manifests written before it was kept, which are stale too).
   */
  leakChecked?: string[];
  /** Synthetic views: budget spent and measurements (filled by the synthesis issue). */
  privacy?: Record<string, unknown>;
  /** What the published values cannot show, e.g. a column no value of which survived DP discovery. */
  warnings?: ViewWarning[];
}

/** A published token column that links rows of one person, or the view to others (a join group). */
export interface LinkingToken {
  column: string;
  /** True when it is the token of the source's privacy unit (a person's rows share it). */
  privacyUnit: boolean;
  joinGroup?: string;
  /** True when the token's values repeat across the published rows (e.g. a person's email). */
  repeats?: boolean;
}

/** A problem with a published view's column, and how to fix it (never a data value). */
export interface ViewWarning {
  column: string;
  message: string;
  fix: string;
}

/** One view as listed to a user. */
export interface ViewSummary {
  name: string;
  tier: 'masked' | 'synthetic' | 'dp';
  source: string;
  description?: string;
  /** Published views have a manifest; dp views are never materialized. */
  published: boolean;
  columns: ColumnProvenance[];
  /** Source columns the policy keeps out of this view (names only: policy metadata, no values). */
  droppedColumns?: string[];
  rows?: number;
  manifest?: ViewManifest;
  /**
   * Set when the view's manifest.json cannot be read (damaged): it is listed as not published,
   * with what happened and how to fix it (GET /views/:name and its files answer 409).
   */
  unreadable?: { message: string; fix: string };
}

/** GET /views */
export interface ListViewsResponse {
  views: ViewSummary[];
}

/** GET /views/:name */
export type GetViewResponse = ViewSummary;

/** POST /publish (steward): publish every view again from the current policy. */
export interface PublishResponse {
  published: { view: string; rows: number; rowsSuppressed: number }[];
}

/** An exact amount: stored rational text, a short display text and the nearest double (display only). */
export interface AmountView {
  exact: string;
  text: string;
  value: number;
}

/** ε and δ of one budget figure. */
export interface EpsDeltaView {
  epsilon: AmountView;
  delta: AmountView;
}

/** The most one DP query may charge a budget (the policy's max_query_epsilon / max_query_delta). */
export interface PerQueryLimitView {
  epsilon?: AmountView;
  delta?: AmountView;
}

/** One budget of an experiment (per source, and per user when the policy scopes it so). */
export interface BudgetView {
  source: string;
  scope: 'experiment' | 'experiment_user';
  user?: string;
  total: EpsDeltaView;
  spent: EpsDeltaView;
  reserved: EpsDeltaView;
  remaining: EpsDeltaView;
  /** Present when the policy limits what one query may charge this budget. */
  perQuery?: PerQueryLimitView;
}

/** GET /experiments/:id/budget: budgets and every charge (pending, committed, refunded). */
export interface BudgetResponse {
  experiment: string;
  budgets: BudgetView[];
  charges: Charge[];
}

/** GET /experiments */
export interface ListExperimentsResponse {
  experiments: Experiment[];
}

/** POST /experiments: a proposal. */
export interface ProposeExperimentRequest {
  /**
   * The id wanted (default: a generated one). One taken by an experiment the proposer can see is
   * refused; one taken by an experiment they cannot see is replaced by a generated id, so a
   * proposal never tells whether someone else's experiment exists: use the id of the answer.
   */
  id?: string;
  title: string;
  purpose: string;
  dataCategories: string[];
  views: string[];
  analyses: string[];
  expectedOutputs: string[];
  members?: string[];
}

/** POST /experiments/:id/:transition (approve, reject, start, evaluate, dissolve). */
export interface TransitionRequest {
  /** Approval note, rejection or dissolution reason. */
  note?: string;
}

/** GET /experiments/:id/audit (scoped) and GET /audit (steward). */
export interface AuditResponse {
  entries: AuditEntry[];
  /** Present when more entries follow: ask again with `?from=<next>`. */
  next?: number;
}

/**
 * GET /audit/verify query: `?anchor=<seq>:<hash>`, repeatable — anchors kept from earlier checks
 * (the `anchor` of an intact answer); each must still match, or the log was cut or rewritten.
 */
export interface AuditVerifyQuery {
  anchor?: string | string[];
}

/** GET /audit/verify (steward): the result of re-checking the whole hash chain. */
export interface AuditVerifyResponse {
  ok: boolean;
  /** The outcome, as `privet audit verify` names it: intact (exit 0), tampered (1), unreadable, not-upgraded (3). */
  verdict: 'intact' | 'tampered' | 'unreadable' | 'not-upgraded';
  entries: number;
  message: string;
  /** When intact: the head as `<seq>:<hash>`; keep it outside the gateway and pass it back as `?anchor=`. */
  anchor?: string;
}

/** How the budget would look after a dry-run query is spent. */
export interface BudgetAfter {
  source: string;
  remainingBefore: EpsDeltaView;
  /** Cost of the query charged to this source (ε, δ). */
  cost: { epsilon: string; delta: string };
  /** The policy's limit on one query's charge to this source (exact texts), when it sets one. */
  perQuery?: { epsilon?: string; delta?: string };
  /** False when the query would be refused: not enough budget left, or above the per-query limit. */
  affordable: boolean;
}

/** POST /dp/query with dryRun: cost, expected errors, and the budget left afterwards. Free. */
export type DpDryRunWithBudget = DpDryRunResponse & { budget: BudgetAfter[] };

/** POST /dp/query body. */
export type DpQueryBody = DpQueryRequest;

/** POST /dp/query response. */
export type DpQueryResult = DpDryRunWithBudget | DpQueryResponse;

/** POST /views/:name/tickets body: the experiment the download is for (analysts must name one). */
export interface ViewTicketRequest {
  experiment?: string;
}

/**
 * A single-use download link of a view's Parquet that holds no token, valid for a few minutes:
 * for a kernel the notebook host cannot hand its token to (GET /tickets/:ticket/parquet).
 */
export interface ViewTicket {
  /** The link's path under API_PREFIX (`/tickets/<ticket>/parquet`); the host adds its base URL. */
  path: string;
  /** When the link stops working (ISO 8601), unless used before. */
  expiresAt: string;
}

/** Media type of a view as an Arrow IPC stream (GET /views/:name/arrow). */
export const ARROW_STREAM_MEDIA_TYPE = 'application/vnd.apache.arrow.stream';
/** Media type of a view as Parquet (GET /views/:name/parquet). */
export const PARQUET_MEDIA_TYPE = 'application/vnd.apache.parquet';

/** Route paths, relative to API_PREFIX, with the roles allowed on each. */
export const ROUTES = {
  health: { method: 'GET', path: '/health', roles: 'public' },
  whoami: { method: 'GET', path: '/whoami', roles: ['analyst', 'reviewer', 'steward'] },
  listViews: { method: 'GET', path: '/views', roles: ['analyst', 'reviewer', 'steward'] },
  getView: { method: 'GET', path: '/views/:name', roles: ['analyst', 'reviewer', 'steward'] },
  viewArrow: { method: 'GET', path: '/views/:name/arrow', roles: ['analyst', 'steward'] },
  viewParquet: { method: 'GET', path: '/views/:name/parquet', roles: ['analyst', 'steward'] },
  createViewTicket: {
    method: 'POST',
    path: '/views/:name/tickets',
    roles: ['analyst', 'steward'],
  },
  ticketParquet: { method: 'GET', path: '/tickets/:ticket/parquet', roles: 'public' },
  publish: { method: 'POST', path: '/publish', roles: ['steward'] },
  listExperiments: {
    method: 'GET',
    path: '/experiments',
    roles: ['analyst', 'reviewer', 'steward'],
  },
  proposeExperiment: { method: 'POST', path: '/experiments', roles: ['analyst', 'steward'] },
  getExperiment: {
    method: 'GET',
    path: '/experiments/:id',
    roles: ['analyst', 'reviewer', 'steward'],
  },
  transitionExperiment: {
    method: 'POST',
    path: '/experiments/:id/:transition',
    roles: ['analyst', 'steward'],
  },
  experimentBudget: {
    method: 'GET',
    path: '/experiments/:id/budget',
    roles: ['analyst', 'reviewer', 'steward'],
  },
  experimentAudit: {
    method: 'GET',
    path: '/experiments/:id/audit',
    roles: ['analyst', 'reviewer', 'steward'],
  },
  audit: { method: 'GET', path: '/audit', roles: ['steward'] },
  auditVerify: { method: 'GET', path: '/audit/verify', roles: ['steward'] },
  dpQuery: { method: 'POST', path: '/dp/query', roles: ['analyst'] },
  verifyReleases: {
    method: 'POST',
    path: '/releases/verify',
    roles: ['analyst', 'reviewer', 'steward'],
  },
  submitReview: { method: 'POST', path: '/reviews', roles: ['analyst'] },
  listReviews: { method: 'GET', path: '/reviews', roles: ['analyst', 'reviewer', 'steward'] },
  reviewStatus: {
    method: 'POST',
    path: '/reviews/status',
    roles: ['analyst', 'reviewer', 'steward'],
  },
  getReview: { method: 'GET', path: '/reviews/:id', roles: ['analyst', 'reviewer', 'steward'] },
  reviewOutput: { method: 'GET', path: '/reviews/:id/output', roles: ['reviewer', 'steward'] },
  decideReview: { method: 'POST', path: '/reviews/:id/decision', roles: ['reviewer'] },
  commentReview: {
    method: 'POST',
    path: '/reviews/:id/comments',
    roles: ['analyst', 'reviewer', 'steward'],
  },
  createExport: { method: 'POST', path: '/exports', roles: ['analyst', 'steward'] },
  exportPublicKey: { method: 'GET', path: '/exports/public-key', roles: 'public' },
  leakCheck: { method: 'POST', path: '/leak-check', roles: ['analyst'] },
  checkOutputLeaks: { method: 'POST', path: '/leak-check/outputs', roles: ['analyst'] },
  publishPlan: { method: 'GET', path: '/publish/plan', roles: ['steward'] },
  startPublishJob: { method: 'POST', path: '/publish/jobs', roles: ['steward'] },
  getPublishJob: { method: 'GET', path: '/publish/jobs/:id', roles: ['steward'] },
  viewFidelity: {
    method: 'GET',
    path: '/views/:name/fidelity',
    roles: ['analyst', 'reviewer', 'steward'],
  },
} as const satisfies Record<
  string,
  { method: string; path: string; roles: readonly Role[] | 'public' }
>;

/** Name of a route in ROUTES. */
export type RouteName = keyof typeof ROUTES;
