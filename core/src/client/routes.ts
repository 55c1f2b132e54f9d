/**
 * Request body and response type of every ROUTES entry the notebook hosts call, so the client's
 * one `call` is typed per route. Paths and methods still come from ROUTES (protocol.ts).
 */
import type {
  AuditResponse,
  BudgetResponse,
  CreateExportRequest,
  DpQueryBody,
  DpQueryResult,
  ExportBundle,
  HealthResponse,
  ListExperimentsResponse,
  ListReviewsResponse,
  ListViewsResponse,
  OutputLeakCheckRequest,
  OutputLeakCheckResponse,
  PublishJob,
  PublishPlan,
  ReviewCommentRequest,
  ReviewDecisionRequest,
  ReviewOutputResponse,
  ReviewRequest,
  ReviewStatusRequest,
  ReviewStatusResponse,
  SubmitReviewRequest,
  VerifyReleasesRequest,
  VerifyReleasesResponse,
  ViewTicket,
  ViewTicketRequest,
  WhoAmIResponse,
} from '../protocol.js';
import type { ROUTES } from '../protocol.js';
import type { FidelityReport } from '../synth/fidelity-types.js';

/** The JSON routes of the client: name in ROUTES → request body (undefined for GET) and response. */
export interface ClientRouteTypes {
  health: { body: undefined; response: HealthResponse };
  whoami: { body: undefined; response: WhoAmIResponse };
  listViews: { body: undefined; response: ListViewsResponse };
  createViewTicket: { body: ViewTicketRequest; response: ViewTicket };
  listExperiments: { body: undefined; response: ListExperimentsResponse };
  experimentBudget: { body: undefined; response: BudgetResponse };
  experimentAudit: { body: undefined; response: AuditResponse };
  dpQuery: { body: DpQueryBody; response: DpQueryResult };
  verifyReleases: { body: VerifyReleasesRequest; response: VerifyReleasesResponse };
  checkOutputLeaks: { body: OutputLeakCheckRequest; response: OutputLeakCheckResponse };
  submitReview: { body: SubmitReviewRequest; response: ReviewRequest };
  listReviews: { body: undefined; response: ListReviewsResponse };
  reviewStatus: { body: ReviewStatusRequest; response: ReviewStatusResponse };
  getReview: { body: undefined; response: ReviewRequest };
  reviewOutput: { body: undefined; response: ReviewOutputResponse };
  decideReview: { body: ReviewDecisionRequest; response: ReviewRequest };
  commentReview: { body: ReviewCommentRequest; response: ReviewRequest };
  createExport: { body: CreateExportRequest; response: ExportBundle };
  viewFidelity: { body: undefined; response: FidelityReport };
  publishPlan: { body: undefined; response: PublishPlan };
  startPublishJob: { body: Record<string, never>; response: PublishJob };
  getPublishJob: { body: undefined; response: PublishJob };
}

/** Name of a JSON route the client calls. */
export type ClientRouteName = keyof ClientRouteTypes;

/** Names of client routes whose body (or its absence) disagrees with the ROUTES method. */
type MethodMismatch = {
  [N in ClientRouteName]: (
    ClientRouteTypes[N]['body'] extends undefined ? 'GET' : 'POST'
  ) extends (typeof ROUTES)[N]['method']
    ? never
    : N;
}[ClientRouteName];

// Compile-time check: a GET route has no body and a POST route has one (names the culprit).
const _methodsAgree: [MethodMismatch] extends [never] ? true : MethodMismatch = true;
