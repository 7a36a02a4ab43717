/**
 * Who calls the agency API: a role of an agency, read from the bearer JWT's claims (`agencyId`, `role`). An
 * `operator` reads every case and needs no agency; every other role acts for exactly one agency.
 */
import * as z from 'zod/mini';
import '../shared/zod-mini.js';
import { ROLES, type Role } from '../domain/lifecycle/transitions.js';
import { AGENCY_ID_PATTERN, type AgencyId } from '../domain/taxonomy.js';

export interface Principal {
  role: Role;
  /** The agency the token names; null only for `operator`. */
  agencyId: AgencyId | null;
}

// zod/mini: checked on every agency API request (functions/shared/zod-mini.ts); the format is the taxonomy's one pattern.
const AgencyIdClaim = z.string().check(z.regex(AGENCY_ID_PATTERN, 'agency id like 150302:market-regulation'));

const Claims = z.union([
  z.object({ role: z.literal('operator'), agencyId: z.optional(AgencyIdClaim) }),
  z.object({ role: z.enum(ROLES.filter((r) => r !== 'operator') as [Exclude<Role, 'operator'>, ...Exclude<Role, 'operator'>[]]), agencyId: AgencyIdClaim }),
]);

/** Cognito role groups are named `role:<role>`; agency groups are named by the agency id itself. */
export const ROLE_GROUP_PREFIX = 'role:';

/**
 * `cognito:groups` as the HTTP API JWT authorizer passes it (`"[a b]"`) or as a JSON array → `{role, agencyId}`
 * when the groups name exactly one role and at most one agency.
 */
function claimsFromGroups(groups: unknown): Record<string, unknown> | undefined {
  const list = Array.isArray(groups)
    ? groups.map(String)
    : typeof groups === 'string'
      ? groups
          .replace(/^\[|\]$/g, '')
          .split(/[\s,]+/)
          .filter(Boolean)
      : [];
  const roles = list.filter((g) => g.startsWith(ROLE_GROUP_PREFIX)).map((g) => g.slice(ROLE_GROUP_PREFIX.length));
  const agencies = list.filter((g) => AgencyIdClaim.safeParse(g).success);
  if (roles.length !== 1 || agencies.length > 1) return undefined;
  return agencies.length ? { role: roles[0], agencyId: agencies[0] } : { role: roles[0] };
}

/**
 * The principal named by verified claims, or undefined when they do not name a role (and an agency, unless
 * operator). Claims come either as `role` + `agencyId` (any OIDC issuer) or as Cognito groups (the default pool).
 */
export function principalFromClaims(claims: Record<string, unknown>): Principal | undefined {
  const named = claims['role'] === undefined && claims['cognito:groups'] !== undefined ? claimsFromGroups(claims['cognito:groups']) : claims;
  if (!named) return undefined;
  const r = Claims.safeParse(named);
  if (!r.success) return undefined;
  return r.data.role === 'operator' ? { role: 'operator', agencyId: null } : { role: r.data.role, agencyId: r.data.agencyId as AgencyId };
}

/** May this principal read this case? Operators read all; everyone else only their own agency's cases. */
export const canRead = (p: Principal, caseAgencyId: string | undefined): boolean => p.role === 'operator' || (!!caseAgencyId && caseAgencyId === p.agencyId);

/** Does this principal own the case (and so see its personal data unmasked)? */
export const owns = (p: Principal, caseAgencyId: string | undefined): boolean => p.role !== 'operator' && !!caseAgencyId && caseAgencyId === p.agencyId;
