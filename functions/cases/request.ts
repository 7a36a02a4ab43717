/**
 * The request schemas of the agency API (zod), in one place: the action bodies, the recommendation body and the
 * queries. Routing, the JSON body and the 400 details are the shared HTTP stack's (`functions/http/`); this file
 * only says what a valid request is. Bodies are JSON objects with unknown fields refused.
 *
 * Which fields an action requires is declared once, in the transition table (`requires`, `accepts`); the body
 * schemas are built from it, and only the shape of each field (type, length) is declared here.
 */
import { z } from 'zod';
import { CASE_STATUSES } from '../domain/case/case.js';
import { ALL_ACTIONS, rulesOf, type Action, type RequestField } from '../domain/lifecycle/transitions.js';
import type { ActionInput } from '../domain/lifecycle/apply.js';
import type { DeadlinePolicy } from '../domain/deadlines/index.js';
import { AgencyIdString as AgencyIdField, RegionCode as Region } from '../domain/taxonomy.js';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

/** The shape of each request field an action can carry; the policy bounds the extension length. */
const actionFields = (policy: DeadlinePolicy) =>
  ({
    reason: text(1000),
    workingDays: z.int().min(1).max(policy.extension.maxWorkingDays),
    result: text(5000),
    agencyId: AgencyIdField,
  }) satisfies Record<RequestField, z.ZodType>;

/**
 * The body schema of each action, from the transition table: a field every rule of the action requires is
 * required; one that some rule requires or accepts is optional here (the lifecycle checks it per kind of case);
 * `note` is always optional; anything else is refused.
 */
export function bodySchemas(policy: DeadlinePolicy): Record<Action, z.ZodType<ActionInput>> {
  const fields = actionFields(policy);
  const schemaOf = (action: Action) => {
    const rules = rulesOf(action);
    const shape: Record<string, z.ZodType> = { note: text(1000).optional() };
    for (const f of Object.keys(fields) as RequestField[]) {
      if (rules.every((r) => r.requires.includes(f))) shape[f] = fields[f];
      else if (rules.some((r) => r.requires.includes(f) || r.accepts?.includes(f))) shape[f] = fields[f].optional();
    }
    return z.strictObject(shape) as unknown as z.ZodType<ActionInput>;
  };
  return Object.fromEntries(ALL_ACTIONS.map((a) => [a, schemaOf(a)])) as Record<Action, z.ZodType<ActionInput>>;
}

/** `GET /v1/agencies/{agencyId}/cases`: `status` (default dispatched), `limit` 1–100 (default 20), `cursor`. */
export const ListQuery = z.object({
  status: z.enum(CASE_STATUSES, { message: `must be one of ${CASE_STATUSES.join(', ')}` }).default('dispatched'),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, `must be an integer from 1 to ${MAX_LIMIT}`)
    .transform(Number)
    .pipe(z.number().min(1, `must be an integer from 1 to ${MAX_LIMIT}`).max(MAX_LIMIT, `must be an integer from 1 to ${MAX_LIMIT}`))
    .default(DEFAULT_LIMIT),
  cursor: z.string().min(1, 'is not a valid cursor').max(2048, 'is not a valid cursor').optional(),
});

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


export const ClustersQuery = z.strictObject({
  region: Region.optional(),
  status: z.enum(['open', 'closed']).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
  cursor: z.string().min(1).max(2048).optional(),
});

export const ReportQuery = z.strictObject({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month like 2026-11'),
  region: Region.optional(),
  format: z.enum(['json', 'csv']).default('json'),
});
