/**
 * The deployed similar-case rules (类案规则), built without zod at cold start. `cdk synth` and the tests validate the
 * same file first (functions/config/validate.ts: its schema, each department against the agency directory, and
 * the clue kinds and departments against the routing table).
 */
import data from '../../config/cluster-rules.json' with { type: 'json' };
import { clusterRulesFromFile, type ClusterRule } from '../domain/linkage/cluster-rules.js';

export const clusterRules: readonly ClusterRule[] = clusterRulesFromFile(data);
