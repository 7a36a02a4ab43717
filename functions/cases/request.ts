/**
 * Routes and request validation of the agency API. Bodies are JSON objects checked per action (unknown fields
 * are refused); problems answer 400 `validation_failed` with `{index: null, path, message}` details, like ingest.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { CASE_STATUSES, type CaseStatus } from '../domain/case/case.js';
import { isAction, type Action } from '../domain/lifecycle/transitions.js';
import type { ActionInput } from '../domain/lifecycle/apply.js';
import type { DeadlinePolicy } from '../domain/deadlines/index.js';
import { AgencyIdString as AgencyIdField, RegionCode as Region } from '../domain/taxonomy.js';
import { HttpError, validationFailed, type ValidationDetail } from '../http/http-error.js';
import { assertJsonContentType, rawBody } from '../ingest/parse-request.js';

export type CasesRoute =
  | { kind: 'list'; agencyId: string }
  | { kind: 'get'; caseId: string }
  | { kind: 'act'; caseId: string; action: Action }
  | { kind: 'recommend' }
  | { kind: 'clusters' }
  | { kind: 'report' };

/** API Gateway route keys of this function (for the CDK stack and the local server). */
export const CASES_ROUTE_KEYS = [
  'GET /v1/agencies/{agencyId}/cases',
  'GET /v1/cases/{caseId}',
  'POST /v1/cases/{caseId}/{action}',
  'POST /v1/recommendations',
  'GET /v1/clusters',
  'GET /v1/reports/monthly',
] as const;

const LIST = /^\/v1\/agencies\/([^/]+)\/cases\/?$/;
const GET = /^\/v1\/cases\/([^/]+)\/?$/;
const ACT = /^\/v1\/cases\/([^/]+)\/([^/]+)\/?$/;
const RECOMMEND = /^\/v1\/recommendations\/?$/;
const CLUSTERS = /^\/v1\/clusters\/?$/;
const REPORT = /^\/v1\/reports\/monthly\/?$/;

/** Does this path belong to the agency API (any method)? For the local server's dispatch. */
export const isCasesPath = (path: string): boolean =>
  LIST.test(path) || GET.test(path) || ACT.test(path) || RECOMMEND.test(path) || CLUSTERS.test(path) || REPORT.test(path);

const decode = (s: string): string | undefined => {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
};

const notFound = () => new HttpError(404, { error: 'not_found' });

export function routeOf(event: APIGatewayProxyEventV2): CasesRoute {
  const method = (event.requestContext?.http?.method ?? event.routeKey?.split(' ')[0] ?? '').toUpperCase();
  const path = event.rawPath ?? '';
  let m: RegExpExecArray | null;
  if (method === 'GET' && (m = LIST.exec(path))) {
    const agencyId = decode(m[1]!);
    if (agencyId) return { kind: 'list', agencyId };
  } else if (method === 'GET' && (m = GET.exec(path))) {
    const caseId = decode(m[1]!);
    if (caseId) return { kind: 'get', caseId };
  } else if (method === 'POST' && (m = ACT.exec(path))) {
    const caseId = decode(m[1]!);
    const action = m[2]!;
    if (caseId && isAction(action)) return { kind: 'act', caseId, action };
  }
  if (method === 'POST' && RECOMMEND.test(path)) return { kind: 'recommend' };
  if (method === 'GET' && CLUSTERS.test(path)) return { kind: 'clusters' };
  if (method === 'GET' && REPORT.test(path)) return { kind: 'report' };
  throw notFound();
}

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

export interface ListQuery {
  status: CaseStatus;
  limit: number;
  cursor?: string | undefined;
}

export function listQuery(event: APIGatewayProxyEventV2): ListQuery {
  const q = event.queryStringParameters ?? {};
  const details: ValidationDetail[] = [];
  const status = (q['status'] ?? 'dispatched') as CaseStatus;
  if (!(CASE_STATUSES as readonly string[]).includes(status)) details.push({ index: null, path: 'status', message: `must be one of ${CASE_STATUSES.join(', ')}` });
  let limit = DEFAULT_LIMIT;
  if (q['limit'] !== undefined) {
    limit = /^\d{1,3}$/.test(q['limit']) ? Number(q['limit']) : NaN;
    if (!(limit >= 1 && limit <= MAX_LIMIT)) details.push({ index: null, path: 'limit', message: `must be an integer from 1 to ${MAX_LIMIT}` });
  }
  const cursor = q['cursor'];
  if (cursor !== undefined && (cursor === '' || cursor.length > 2048)) details.push({ index: null, path: 'cursor', message: 'is not a valid cursor' });
  if (details.length) throw validationFailed(details);
  return { status, limit, cursor };
}

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const note = text(1000).optional();

/** The body schema of each action; the policy bounds the extension length. */
export function bodySchemas(policy: DeadlinePolicy) {
  return {
    accept: z.strictObject({ note }),
    return: z.strictObject({ reason: text(1000), note }),
    extend: z.strictObject({ reason: text(1000), workingDays: z.int().min(1).max(policy.extension.maxWorkingDays), note }),
    'grant-extension': z.strictObject({ note }),
    reply: z.strictObject({ result: text(5000), note }),
    close: z.strictObject({ note }),
    reopen: z.strictObject({ reason: text(1000).optional(), note }),
    decline: z.strictObject({ reason: text(1000), note }),
    route: z.strictObject({ agencyId: AgencyIdField, note }),
  } satisfies Record<Action, z.ZodType>;
}

const messageOf = (i: z.core.$ZodIssue) => (i.code === 'invalid_type' && /received undefined$/.test(i.message) ? `required (${i.expected})` : i.message);

/** A JSON object body (empty = `{}`), or 400/415. */
function jsonObjectBody(event: APIGatewayProxyEventV2): Record<string, unknown> {
  const raw = rawBody(event);
  let body: unknown = {};
  if (raw.byteLength > 0) {
    assertJsonContentType(event.headers ?? {});
    try {
      body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
    } catch {
      throw validationFailed([{ index: null, path: '', message: 'body is not valid UTF-8 JSON' }]);
    }
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw validationFailed([{ index: null, path: '', message: 'body must be a JSON object' }]);
  return body as Record<string, unknown>;
}

function parsed<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw validationFailed(r.error.issues.map((i) => ({ index: null, path: i.path.map(String).join('.'), message: messageOf(i) })));
  return r.data;
}

export function actionInput(event: APIGatewayProxyEventV2, action: Action, policy: DeadlinePolicy): ActionInput {
  return parsed(bodySchemas(policy)[action] as z.ZodType<ActionInput>, jsonObjectBody(event));
}

/** `POST /v1/recommendations`: a 检察建议 to an agency about a case or a cluster. */
export const RecommendationBody = z
  .strictObject({
    agencyId: AgencyIdField,
    content: text(5000),
    urgent: z.boolean().default(false),
    subjectCaseId: z.string().min(1).max(100).optional(),
    clusterId: z.string().min(1).max(100).optional(),
    /** The issuer's own id of this request: a retry with the same id returns the recommendation it made. */
    requestId: z.string().min(1).max(100).optional(),
  })
  .refine((b) => b.subjectCaseId !== undefined || b.clusterId !== undefined, { message: 'name subjectCaseId or clusterId', path: ['subjectCaseId'] });

export function recommendationInput(event: APIGatewayProxyEventV2) {
  return parsed(RecommendationBody, jsonObjectBody(event));
}

const queryOf = (event: APIGatewayProxyEventV2) => event.queryStringParameters ?? {};

export const ClustersQuery = z.strictObject({
  region: Region.optional(),
  status: z.enum(['open', 'closed']).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
  cursor: z.string().min(1).max(2048).optional(),
});

export function clustersQuery(event: APIGatewayProxyEventV2) {
  return parsed(ClustersQuery, queryOf(event));
}

export const ReportQuery = z.strictObject({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month like 2026-11'),
  region: Region.optional(),
  format: z.enum(['json', 'csv']).default('json'),
});

export function reportQuery(event: APIGatewayProxyEventV2) {
  return parsed(ReportQuery, queryOf(event));
}
