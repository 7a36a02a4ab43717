/**
 * The request schemas of the agency API (zod), in one place: the action bodies, the recommendation body and the
 * queries. Routing, the JSON body and the 400 details are the shared HTTP stack's (`functions/http/`); this file
 * only says what a valid request is. Bodies are JSON objects with unknown fields refused.
 *
 * Which fields an action requires is declared once, in the transition table (`requires`, `accepts`); the body
 * schemas are built from it, and only the shape of each field (type, length) is declared here.
 */
import * as z from 'zod/mini';
import '../shared/zod-mini.js';
import { CASE_STATUSES, RETURN_REASON_KINDS } from '../domain/case/case.js';
import { ALL_ACTIONS, rulesOf, type Action, type RequestField } from '../domain/lifecycle/transitions.js';
import type { ActionInput } from '../domain/lifecycle/apply.js';
import type { DeadlinePolicy } from '../domain/deadlines/index.js';
import { AGENCY_ID_PATTERN, REGION_CODE_MESSAGE, REGION_CODE_PATTERN } from '../domain/taxonomy.js';
import { isLocalDate, plusDays } from '../domain/deadlines/time.js';
import { MAX_AUDIT_DAYS } from '../app/audit.js';

const AgencyIdField = z.string().check(z.regex(AGENCY_ID_PATTERN, 'agency id like 150302:market-regulation'));
const Region = z.string().check(z.regex(REGION_CODE_PATTERN, REGION_CODE_MESSAGE));

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

const text = (max: number) => z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(max));

/** The shape of each request field an action can carry; the policy bounds the extension length. */
const actionFields = (policy: DeadlinePolicy) =>
  ({
    reason: text(1000),
    workingDays: z.int().check(z.gte(1), z.lte(policy.extension.maxWorkingDays)),
    result: text(5000),
    agencyId: AgencyIdField,
    reasonKind: z.enum(RETURN_REASON_KINDS, { message: `must be one of ${RETURN_REASON_KINDS.join(', ')}` }),
    suggestedAgencyId: AgencyIdField,
  }) satisfies Record<RequestField, z.ZodMiniType>;

/**
 * The body schema of each action, from the transition table: a field every rule of the action requires is
 * required; one that some rule requires or accepts is optional here (the lifecycle checks it per kind of case);
 * `note` is always optional; anything else is refused.
 */
export function bodySchemas(policy: DeadlinePolicy): Record<Action, z.ZodMiniType<ActionInput>> {
  const fields = actionFields(policy);
  const schemaOf = (action: Action) => {
    const rules = rulesOf(action);
    const shape: Record<string, z.ZodMiniType> = { note: z.optional(text(1000)) };
    for (const f of Object.keys(fields) as RequestField[]) {
      const required = (r: (typeof rules)[number]) => (r.requires as readonly RequestField[]).includes(f);
      if (rules.every(required)) shape[f] = fields[f];
      else if (rules.some((r) => required(r) || r.accepts?.includes(f))) shape[f] = z.optional(fields[f]);
    }
    return z.strictObject(shape) as unknown as z.ZodMiniType<ActionInput>;
  };
  return Object.fromEntries(ALL_ACTIONS.map((a) => [a, schemaOf(a)])) as Record<Action, z.ZodMiniType<ActionInput>>;
}

/** `GET /v1/agencies/{agencyId}/cases`: `status` (default dispatched), `limit` 1–100 (default 20), `cursor`. */
const LIMIT_MESSAGE = `must be an integer from 1 to ${MAX_LIMIT}`;
export const ListQuery = z.object({
  status: z._default(z.enum(CASE_STATUSES, { message: `must be one of ${CASE_STATUSES.join(', ')}` }), 'dispatched'),
  limit: z._default(
    z.pipe(
      z.pipe(z.string().check(z.regex(/^\d{1,3}$/, LIMIT_MESSAGE)), z.transform(Number)),
      z.number().check(z.gte(1, LIMIT_MESSAGE), z.lte(MAX_LIMIT, LIMIT_MESSAGE)),
    ),
    DEFAULT_LIMIT,
  ),
  cursor: z.optional(z.string().check(z.minLength(1, 'is not a valid cursor'), z.maxLength(2048, 'is not a valid cursor'))),
});

/** `POST /v1/recommendations`: a 检察建议 to an agency about a case or a cluster. */
export const RecommendationBody = z
  .strictObject({
    agencyId: AgencyIdField,
    content: text(5000),
    urgent: z._default(z.boolean(), false),
    subjectCaseId: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
    clusterId: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
    /** The issuer's own id of this request: a retry with the same id returns the recommendation it made. */
    requestId: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  })
  .check(z.refine((b) => b.subjectCaseId !== undefined || b.clusterId !== undefined, { message: 'name subjectCaseId or clusterId', path: ['subjectCaseId'] }));

export const ClustersQuery = z.strictObject({
  region: z.optional(Region),
  status: z.optional(z.enum(['open', 'closed'])),
  limit: z._default(z.pipe(z.coerce.number(), z.int().check(z.gte(1), z.lte(MAX_LIMIT))), DEFAULT_LIMIT),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
});

export const ReportQuery = z.strictObject({
  month: z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month like 2026-11')),
  region: z.optional(Region),
  format: z._default(z.enum(['json', 'csv']), 'json'),
});

const Day = z.string().check(z.refine(isLocalDate, 'a date like 2026-11-30'));

/**
 * `GET /v1/audit` (operators): the audit trail of `from`..`to` (Shanghai days, inclusive, at most MAX_AUDIT_DAYS), of
 * one region or of every region the operator's agency covers; CSV by default.
 */
export const AuditQuery = z
  .strictObject({
    from: Day,
    to: Day,
    region: z.optional(Region),
    format: z._default(z.enum(['csv', 'json']), 'csv'),
  })
  .check(
    z.refine((q) => !isLocalDate(q.from) || !isLocalDate(q.to) || q.from <= q.to, { message: 'must not be before from', path: ['to'] }),
    z.refine((q) => !isLocalDate(q.from) || !isLocalDate(q.to) || q.to < plusDays(q.from, MAX_AUDIT_DAYS), {
      message: `at most ${MAX_AUDIT_DAYS} days from from`,
      path: ['to'],
    }),
  );

/** The most months one `GET /v1/reports/kpis` adds up (one counter query per month and region). */
export const MAX_KPI_MONTHS = 12;
const Month = z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month like 2026-11'));
const monthIndex = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;

/** `GET /v1/reports/kpis`: the rates of docs/kpis.md over months `from`..`to` (inclusive), a region, an agency. */
export const KpiQuery = z
  .strictObject({
    from: Month,
    to: Month,
    region: z.optional(Region),
    agencyId: z.optional(AgencyIdField),
  })
  .check(
    z.refine((q) => monthIndex(q.to) >= monthIndex(q.from), { message: 'must not be before from', path: ['to'] }),
    z.refine((q) => monthIndex(q.to) - monthIndex(q.from) < MAX_KPI_MONTHS, { message: `at most ${MAX_KPI_MONTHS} months from from`, path: ['to'] }),
  );
