/**
 * The routing table (分拨规则), taxonomy.md §3–§6 as data: each domain's default agency kind and PIL flag, the
 * agency overrides inside a domain (with priorities: the venue rule beats the tobacco/alcohol rule), the extra topics
 * that decide a domain by context (a gas leak at home vs in a restaurant), the procuratorate department per clue kind,
 * the judicial sub-routes and the 12309 rules. Loaded from `config/routing.json`; agency kinds are checked against the
 * agency directory so a typo fails at load, not at dispatch.
 */
import { z } from 'zod';
import { AgencyKind, ClueKind, DOMAINS, Domain, type ClueKind as ClueKindT } from '../taxonomy.js';
import { ConfigError } from '../errors.js';

const Term = z.string().min(1).max(40);
const Weight = z.number().finite().min(-20).max(20);

const Override = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'override id like "minors-venue"'),
  $comment: z.string().optional(),
  domain: Domain,
  /** Applies when more distinct `any` terms than `unless` terms occur in the ticket. */
  any: z.array(Term).min(1),
  unless: z.array(Term).default([]),
  agency: AgencyKind,
  /** When several overrides of a domain apply, the highest priority wins. */
  priority: z.number().int(),
});

const Topic = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'topic id like "gas-leak-home"'),
  $comment: z.string().optional(),
  /** One term of each group must occur (in one sentence, or anywhere in the ticket). */
  all: z.array(z.array(Term).min(1)).min(1),
  /** None of these may occur in the ticket. */
  none: z.array(Term).default([]),
  scope: z.enum(['sentence', 'ticket']).default('ticket'),
  domain: Domain,
  weight: Weight,
  /** Optionally also feeds a clue cue (e.g. unpaid contributions across many employers → `state_harm`). */
  cue: z.strictObject({ name: z.string(), weight: z.number() }).optional(),
});

const JudicialRoute = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  $comment: z.string().optional(),
  agency: AgencyKind,
  terms: z.record(Term, Weight),
});

export const RoutingFile = z.strictObject({
  $comment: z.string().optional(),
  version: z.literal(1),
  domains: z.record(
    Domain,
    z.strictObject({
      agency: AgencyKind,
      /** Statutory public-interest-litigation field (公益诉讼法定领域). */
      pil: z.boolean(),
      /** `judicial`: the agency comes from the judicial sub-routes, `agency` is their default. */
      route: z.enum(['agency', 'judicial']).default('agency'),
    }),
  ),
  overrides: z.array(Override).default([]),
  topics: z.array(Topic).default([]),
  clueDepartments: z.strictObject({
    public_interest: AgencyKind,
    support_prosecution: AgencyKind,
    administrative_supervision: AgencyKind,
    judicial_aid: AgencyKind,
  }),
  clueDepartmentsByDomain: z.partialRecord(Domain, z.partialRecord(ClueKind.exclude(['none']), AgencyKind)).default({}),
  judicial: z.strictObject({
    $comment: z.string().optional(),
    default: AgencyKind,
    /** A sub-route needs at least this score, or the default applies. */
    minScore: z.number().min(0),
    routes: z.array(JudicialRoute).min(1),
  }),
  hotline12309: z.strictObject({
    $comment: z.string().optional(),
    /** Domains the procuratorate keeps itself when there is no clue (a minor as victim or offender; `other`). */
    procuratorateDomains: z.partialRecord(Domain, AgencyKind),
    /** Agency kinds starting with this belong to the procuratorate; any other agency means a transfer (移送). */
    procuratoratePrefix: z.string().min(1),
  }),
  review: z.strictObject({
    /** Where a ticket that needs a person goes (分拨中心). */
    agency: AgencyKind,
    /** Below this routing confidence the ticket needs review. */
    minConfidence: z.number().min(0).max(1),
  }),
});
export type RoutingFile = z.infer<typeof RoutingFile>;

export interface CompiledOverride {
  id: string;
  domain: Domain;
  any: string[];
  unless: string[];
  agency: string;
  priority: number;
}

/** The validated routing table. */
export interface RoutingTable {
  domains: Record<Domain, { agency: string; pil: boolean; route: 'agency' | 'judicial' }>;
  /** Overrides per domain, highest priority first. */
  overrides: ReadonlyMap<Domain, CompiledOverride[]>;
  topics: RoutingFile['topics'];
  clueDepartment(kind: Exclude<ClueKindT, 'none'>, domain: Domain): string;
  judicial: RoutingFile['judicial'];
  hotline12309: RoutingFile['hotline12309'];
  review: RoutingFile['review'];
  /** Every agency kind the table can produce (for checks and tests). */
  kinds: ReadonlySet<string>;
}

/**
 * Validate a routing file. `knownKinds`, when given (the agency directory's kinds), makes every agency kind in the
 * table checked against it.
 */
export function loadRoutingTable(data: unknown, file = 'config/routing.json', knownKinds?: (kind: string) => boolean): RoutingTable {
  const parsed = RoutingFile.safeParse(data);
  if (!parsed.success) throw ConfigError.fromZod(file, parsed.error);
  const d = parsed.data;
  const problems: string[] = [];
  const kinds = new Set<string>();
  const useKind = (kind: string, path: string): void => {
    kinds.add(kind);
    if (knownKinds && !knownKinds(kind)) problems.push(`${path}: unknown agency kind "${kind}" (not in the agency directory)`);
  };

  for (const domain of DOMAINS) {
    const e = d.domains[domain];
    if (!e) problems.push(`domains.${domain}: missing (every domain needs a default agency)`);
    else useKind(e.agency, `domains.${domain}.agency`);
  }
  const overrides = new Map<Domain, CompiledOverride[]>();
  const ids = new Set<string>();
  for (const [i, o] of d.overrides.entries()) {
    useKind(o.agency, `overrides.${i}.agency`);
    if (ids.has(o.id)) problems.push(`overrides.${i}.id: "${o.id}" is used twice`);
    ids.add(o.id);
    const list = overrides.get(o.domain) ?? [];
    list.push({ id: o.id, domain: o.domain, any: o.any, unless: o.unless, agency: o.agency, priority: o.priority });
    overrides.set(o.domain, list);
  }
  for (const list of overrides.values()) {
    list.sort((a, b) => b.priority - a.priority);
    for (let i = 1; i < list.length; i++) {
      if (list[i]!.priority === list[i - 1]!.priority) {
        problems.push(`overrides: "${list[i - 1]!.id}" and "${list[i]!.id}" have the same priority in one domain (say which wins)`);
      }
    }
  }
  for (const [k, v] of Object.entries(d.clueDepartments)) useKind(v, `clueDepartments.${k}`);
  for (const [dom, m] of Object.entries(d.clueDepartmentsByDomain)) {
    for (const [k, v] of Object.entries(m ?? {})) useKind(v, `clueDepartmentsByDomain.${dom}.${k}`);
  }
  useKind(d.judicial.default, 'judicial.default');
  for (const [i, r] of d.judicial.routes.entries()) useKind(r.agency, `judicial.routes.${i}.agency`);
  for (const [dom, v] of Object.entries(d.hotline12309.procuratorateDomains)) useKind(v, `hotline12309.procuratorateDomains.${dom}`);
  useKind(d.review.agency, 'review.agency');
  if (problems.length) throw new ConfigError(file, problems);

  const domains = d.domains as RoutingTable['domains'];
  return {
    domains,
    overrides,
    topics: d.topics,
    clueDepartment: (kind, domain) => d.clueDepartmentsByDomain[domain]?.[kind] ?? d.clueDepartments[kind],
    judicial: d.judicial,
    hotline12309: d.hotline12309,
    review: d.review,
    kinds,
  };
}
