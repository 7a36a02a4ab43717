/**
 * Similar-case rules (类案规则), product.md §9: which domains are counted by which grouping key, over what window,
 * how many tickets make a cluster, and which clue goes to which procuratorate department. Loaded from
 * `config/cluster-rules.json`, validated at build time by `parseClusterRules` (cluster-rules-schema.ts), so a typo fails at load with every problem named
 * by its path.
 *
 * Checks beyond the schema: ids are unique; a rule names each domain and key kind once; no two rules count one
 * domain by one key kind (one ticket would raise two clusters for one thing); the agency kind is a procuratorate
 * department in the agency directory; and, given the routing table, a `public_interest` rule names only
 * public-interest-litigation fields (taxonomy §5: widespread harm elsewhere — a gym closing on its members — is no
 * public-interest clue) and its department is the one the routing table gives that clue in each domain.
 */
import type { ClueKind, Domain } from '../taxonomy.js';
import type { GroupKey } from './group-key.js';

/** A validated similar-case rule. */
export interface ClusterRule {
  id: string;
  label: string;
  domains: readonly Domain[];
  keyKinds: readonly GroupKey['kind'][];
  /** Tickets count together when they fall within this many days of each other (sliding window). */
  windowDays: number;
  /** This many tickets within the window make a cluster. */
  threshold: number;
  clue: Exclude<ClueKind, 'none'>;
  /** The procuratorate department the clue goes to (`procuratorate.civil` …). */
  agencyKind: string;
}

/** What the routing table says, for the cross-checks (optional: the domain module does not load it itself). */
export interface ClueRouting {
  /** Statutory public-interest-litigation field (公益诉讼法定领域). */
  isPilDomain(domain: Domain): boolean;
  /** The department a clue of this kind in this domain goes to. */
  clueDepartment(clue: Exclude<ClueKind, 'none'>, domain: Domain): string;
}

/** The rules of a file already validated at build time (functions/config/validate.ts): no zod at cold start. */
export function clusterRulesFromFile(json: unknown): ClusterRule[] {
  return (json as { rules: (ClusterRule & { $comment?: string })[] }).rules.map(({ $comment: _c, ...r }) => r);
}

/** The rules that count tickets of `domain`, in file order. */
export function rulesFor(domain: Domain, rules: readonly ClusterRule[]): ClusterRule[] {
  return rules.filter((r) => r.domains.includes(domain));
}
