/**
 * Who calls the agency API: a role of an agency, read from the bearer JWT's claims (`agencyId`, `role`). Every
 * role, `operator` included, belongs to exactly one agency of the directory, and acts only within that agency's
 * jurisdiction (管辖范围, `covers` in config/agencies.json; docs/jurisdiction.md): an operator reads, never acts.
 */
import * as z from 'zod/mini';
import '../shared/zod-mini.js';
import { ROLES, type Role } from '../domain/lifecycle/transitions.js';
import type { Jurisdiction } from '../domain/directory/directory.js';
import { AGENCY_ID_PATTERN, type AgencyId } from '../domain/taxonomy.js';

export interface Principal {
  role: Role;
  /** The agency the token names (an operator's too: it sets where the operator may read). */
  agencyId: AgencyId | null;
  /**
   * The person: the token's `sub` claim (the identity provider's stable user id). The audit trail records it beside
   * role and agency (history entries' `actorSub`, audit records); it never goes into an event or a log line.
   */
  sub?: string;
}

/** The longest `sub` kept (Cognito's are 36-character UUIDs; OIDC allows up to 255 ASCII characters). */
export const MAX_SUB_LENGTH = 255;

// zod/mini: checked on every agency API request (functions/shared/zod-mini.ts); the format is the taxonomy's one pattern.
const AgencyIdClaim = z.string().check(z.regex(AGENCY_ID_PATTERN, 'agency id like 150302:market-regulation'));

// An operator without an agency would have no jurisdiction to read in: the token must name one, as for every role.
const Claims = z.object({ role: z.enum(ROLES), agencyId: AgencyIdClaim });

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
 * The principal named by verified claims, or undefined when they do not name a role, an agency and a person (`sub`).
 * Claims come either as `role` + `agencyId` (any OIDC issuer) or as Cognito groups (the default pool).
 */
export function principalFromClaims(claims: Record<string, unknown>): Principal | undefined {
  const named = claims['role'] === undefined && claims['cognito:groups'] !== undefined ? claimsFromGroups(claims['cognito:groups']) : claims;
  if (!named) return undefined;
  const r = Claims.safeParse(named);
  if (!r.success) return undefined;
  // Every OIDC token names its subject; one that does not (or names an unusable one) cannot be audited: refused.
  const sub = claims['sub'];
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > MAX_SUB_LENGTH) return undefined;
  return { role: r.data.role, agencyId: r.data.agencyId as AgencyId, sub };
}

/** Where a case is: the place it is about and the agency that holds it. */
export interface CasePlace {
  regionCode: string;
  agencyId?: string | undefined;
}

/**
 * Is the case within the principal's jurisdiction: the place it is about (`regionCode`) or the agency holding it
 * lies in a region the principal's agency covers. An agency always covers its own region, so its own cases are.
 */
export const inJurisdiction = (p: Principal, c: CasePlace, j: Jurisdiction): boolean =>
  j.covers(p.agencyId, c.regionCode) || j.coversAgency(p.agencyId, c.agencyId);

/**
 * May this principal read this case? Its own agency's cases; an operator, every case within its jurisdiction; the
 * department that issued a recommendation, that recommendation (it follows it, never acts), within its jurisdiction.
 */
export const canRead = (p: Principal, c: CasePlace & { issuedBy?: string | undefined }, j: Jurisdiction): boolean =>
  inJurisdiction(p, c, j) && (p.role === 'operator' || (!!p.agencyId && (c.agencyId === p.agencyId || c.issuedBy === p.agencyId)));

/** Does this principal own the case (and so see its personal data unmasked)? */
export const owns = (p: Principal, caseAgencyId: string | undefined): boolean => p.role !== 'operator' && !!caseAgencyId && caseAgencyId === p.agencyId;
