/**
 * The deployed similar-case rules (类案规则), validated at module load against the agency directory (each
 * department exists) and the routing table (public_interest only in PIL fields, the department the table gives the
 * clue), so a bad edit fails the build, the tests and the first cold start with every problem listed.
 */
import data from '../../config/cluster-rules.json' with { type: 'json' };
import { parseClusterRules, type ClusterRule } from '../domain/linkage/cluster-rules.js';
import { directory } from './directory.js';
import { routing } from './routing.js';

export const clusterRules: readonly ClusterRule[] = parseClusterRules(data, 'config/cluster-rules.json', (kind) => directory.hasKind(kind), {
  isPilDomain: (domain) => routing.domains[domain].pil,
  clueDepartment: (clue, domain) => routing.clueDepartment(clue, domain),
});
