/**
 * The schema of `config/routing.json` (zod), for build-time validation (`cdk synth`) and the tests. Not imported by
 * any Lambda: they build the table with `buildRoutingTable` from the file this validated.
 */
import { z } from 'zod';
import { AgencyKind, ClueKind, Domain } from '../taxonomy.js';
import { ConfigError } from '../errors.js';
import { compileRoutingTable, type RoutingFile as RoutingFileShape, type RoutingTable } from './routing-table.js';

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

export const RoutingFileSchema = z.strictObject({
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

/**
 * Validates a routing file and compiles it. `knownKinds`, when given (the agency directory's kinds), makes every
 * agency kind in the table checked against it.
 */
export function loadRoutingTable(data: unknown, file = 'config/routing.json', knownKinds?: (kind: string) => boolean): RoutingTable {
  const parsed = RoutingFileSchema.safeParse(data);
  if (!parsed.success) throw ConfigError.fromZod(file, parsed.error);
  return compileRoutingTable(parsed.data satisfies RoutingFileShape as RoutingFileShape, file, knownKinds);
}
