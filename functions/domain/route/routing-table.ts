/**
 * The routing table (分拨规则), taxonomy.md §3–§6 as data: each domain's default agency kind and PIL flag, the
 * agency overrides inside a domain (with priorities: the venue rule beats the tobacco/alcohol rule), the extra topics
 * that decide a domain by context (a gas leak at home vs in a restaurant), the procuratorate department per clue kind,
 * the judicial sub-routes and the 12309 rules, from `config/routing.json`.
 *
 * Two ways in: `loadRoutingTable` (routing-table-schema.ts) validates a file with zod and checks its agency kinds
 * against the directory, at `cdk synth` and in the tests; `buildRoutingTable` builds the table from a file that
 * was validated that way, without zod, at cold start. Both end in `compileRoutingTable`.
 */
import { DOMAINS, type ClueKind as ClueKindT, type Domain } from '../taxonomy.js';
import { ConfigError } from '../errors.js';

type Term = string;
interface OverrideEntry {
  id: string;
  $comment?: string | undefined;
  domain: Domain;
  any: Term[];
  unless: Term[];
  agency: string;
  priority: number;
}
interface TopicEntry {
  id: string;
  $comment?: string | undefined;
  all: Term[][];
  none: Term[];
  scope: 'sentence' | 'ticket';
  domain: Domain;
  weight: number;
  cue?: { name: string; weight: number } | undefined;
}
interface JudicialRouteEntry {
  id: string;
  $comment?: string | undefined;
  agency: string;
  terms: Record<string, number>;
}

/** A routing file with every default applied (what zod's parse gives, and what `withDefaults` gives). */
export interface RoutingFile {
  $comment?: string | undefined;
  version: 1;
  domains: Partial<Record<Domain, { agency: string; pil: boolean; route: 'agency' | 'judicial' }>>;
  overrides: OverrideEntry[];
  topics: TopicEntry[];
  clueDepartments: Record<Exclude<ClueKindT, 'none'>, string>;
  clueDepartmentsByDomain: Partial<Record<Domain, Partial<Record<Exclude<ClueKindT, 'none'>, string>>>>;
  judicial: { $comment?: string | undefined; default: string; minScore: number; routes: JudicialRouteEntry[] };
  hotline12309: { $comment?: string | undefined; procuratorateDomains: Partial<Record<Domain, string>>; procuratoratePrefix: string };
  review: { agency: string; minConfidence: number };
}

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
 * The table of a routing file with its defaults applied. `knownKinds`, when given (the agency directory's kinds),
 * makes every agency kind in the table checked against it; the other checks (unique ids, priorities) always run.
 */
export function compileRoutingTable(d: RoutingFile, file = 'config/routing.json', knownKinds?: (kind: string) => boolean): RoutingTable {
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

/** The defaults of a routing file, as the schema declares them (a test checks the two agree). */
function withDefaults(raw: unknown): RoutingFile {
  const f = raw as RoutingFile;
  return {
    ...f,
    domains: Object.fromEntries(Object.entries(f.domains).map(([k, v]) => [k, { ...v!, route: v!.route ?? 'agency' }])),
    overrides: (f.overrides ?? []).map((o) => ({ ...o, unless: o.unless ?? [] })),
    topics: (f.topics ?? []).map((t) => ({ ...t, none: t.none ?? [], scope: t.scope ?? 'ticket' })),
    clueDepartmentsByDomain: f.clueDepartmentsByDomain ?? {},
  };
}

/** The table of a file already validated at build time (functions/config/validate.ts): no zod at cold start. */
export function buildRoutingTable(raw: unknown, file = 'config/routing.json'): RoutingTable {
  return compileRoutingTable(withDefaults(raw), file);
}

/**
 * Every agency kind the table can route a ticket of `domain` to from the government side (taxonomy §3–§4, §6): its
 * default agency and its overrides, or for a judicial domain its sub-routes. Clue departments and the 12309
 * procuratorate rules are apart (`clueDepartment`, `hotline12309`).
 */
export function agencyKindsOf(routing: Pick<RoutingTable, 'domains' | 'overrides' | 'judicial'>, domain: Domain): Set<string> {
  if (routing.domains[domain].route === 'judicial') return new Set([routing.judicial.default, ...routing.judicial.routes.map((r) => r.agency)]);
  return new Set([routing.domains[domain].agency, ...(routing.overrides.get(domain) ?? []).map((o) => o.agency)]);
}
