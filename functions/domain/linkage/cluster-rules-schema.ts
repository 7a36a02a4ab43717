/**
 * The schema and checks of `config/cluster-rules.json` (zod), for build-time validation (`cdk synth`) and the tests.
 * Not imported by any Lambda: the process function builds the rules with `clusterRulesFromFile`.
 */
import { z } from 'zod';
import { AgencyKind, CLUE_KINDS, DOMAINS, type ClueKind } from '../taxonomy.js';
import { ConfigError } from '../errors.js';
import { GROUP_KEY_KINDS } from './group-key.js';
import type { ClueRouting, ClusterRule } from './cluster-rules.js';

const PROCURATORATE_PREFIX = 'procuratorate.';

const RuleDomain = z.enum(DOMAINS, { error: (iss) => `unknown domain ${JSON.stringify(iss.input)} (see taxonomy §3)` });
const KeyKind = z.enum(GROUP_KEY_KINDS, {
  error: (iss) => `unknown key kind ${JSON.stringify(iss.input)} (one of ${GROUP_KEY_KINDS.join(', ')})`,
});
const RuleClue = z.enum(CLUE_KINDS.filter((c) => c !== 'none') as [Exclude<ClueKind, 'none'>, ...Exclude<ClueKind, 'none'>[]], {
  error: (iss) =>
    iss.input === 'none'
      ? 'a cluster always raises a clue: "none" is not allowed'
      : `unknown clue kind ${JSON.stringify(iss.input)} (public_interest, support_prosecution, administrative_supervision or judicial_aid)`,
});

const Rule = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'rule id in kebab case, like "wage-arrears"'),
  $comment: z.string().optional(),
  /** Shown to staff: Chinese and English. */
  label: z.string().trim().min(1, 'a label is required').max(120),
  domains: z.array(RuleDomain).min(1, 'name at least one domain'),
  keyKinds: z.array(KeyKind).min(1, 'name at least one key kind'),
  windowDays: z.number({ error: 'a whole number of days' }).int('a whole number of days').min(1, 'at least 1 day').max(366, 'at most 366 days'),
  threshold: z
    .number({ error: 'a whole number of tickets' })
    .int('a whole number of tickets')
    .min(2, 'at least 2 (one ticket is not a cluster)')
    .max(1000, 'at most 1000'),
  clue: RuleClue,
  agencyKind: AgencyKind.refine((k) => k.startsWith(PROCURATORATE_PREFIX), {
    error: (iss) => `${JSON.stringify(iss.input)} is not a procuratorate department (procuratorate.*)`,
  }),
});

export const ClusterRulesFile = z.strictObject({
  $comment: z.string().optional(),
  version: z.literal(1),
  rules: z.array(Rule),
});
export type ClusterRulesFile = z.infer<typeof ClusterRulesFile>;

/**
 * Validates a rules file. `knownKind` (the agency directory) checks each rule's department exists; `routing` checks
 * clue kinds against the PIL fields and departments of the routing table.
 */
export function parseClusterRules(json: unknown, file: string, knownKind?: (kind: string) => boolean, routing?: ClueRouting): ClusterRule[] {
  const parsed = ClusterRulesFile.safeParse(json);
  if (!parsed.success) throw ConfigError.fromZod(file, parsed.error);
  const problems: string[] = [];
  const ids = new Map<string, number>();
  const covered = new Map<string, string>(); // `${domain} ${keyKind}` → rule id
  for (const [i, r] of parsed.data.rules.entries()) {
    const at = `rules.${i}`;
    const first = ids.get(r.id);
    if (first !== undefined) problems.push(`${at}.id: "${r.id}" is used twice (also rules.${first})`);
    else ids.set(r.id, i);
    for (const [j, d] of r.domains.entries()) {
      if (r.domains.indexOf(d) !== j) problems.push(`${at}.domains.${j}: "${d}" is listed twice`);
    }
    for (const [j, k] of r.keyKinds.entries()) {
      if (r.keyKinds.indexOf(k) !== j) problems.push(`${at}.keyKinds.${j}: "${k}" is listed twice`);
    }
    for (const d of new Set(r.domains)) {
      for (const k of new Set(r.keyKinds)) {
        const other = covered.get(`${d} ${k}`);
        if (other !== undefined && other !== r.id) {
          problems.push(`${at}: ${d} by ${k} is already counted by rule "${other}" (one ticket would raise two clusters)`);
        } else covered.set(`${d} ${k}`, r.id);
      }
    }
    if (knownKind && !knownKind(r.agencyKind)) {
      problems.push(`${at}.agencyKind: unknown agency kind "${r.agencyKind}" (not in the agency directory)`);
    }
    if (routing) {
      for (const [j, d] of r.domains.entries()) {
        if (r.clue === 'public_interest' && !routing.isPilDomain(d)) {
          problems.push(`${at}.domains.${j}: "${d}" is not a public-interest-litigation field, so it cannot raise a public_interest clue`);
        }
        const department = routing.clueDepartment(r.clue, d);
        if (department !== r.agencyKind) {
          problems.push(`${at}.agencyKind: the routing table sends ${r.clue} clues in ${d} to "${department}", not "${r.agencyKind}"`);
        }
      }
    }
  }
  if (problems.length) throw new ConfigError(file, problems);
  return parsed.data.rules.map(({ $comment: _c, ...r }) => r);
}
