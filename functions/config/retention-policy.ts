/**
 * The deployed retention policy (config/retention-policy.json), inlined into the bundles that use it (the retention
 * job, the agency API for its audit records' expiry) and built without zod; `functions/config/validate.ts` checks
 * the file with zod at `cdk synth` and in the tests.
 */
import policy from '../../config/retention-policy.json' with { type: 'json' };
import { retentionPolicyFromJson, type RetentionPolicy } from '../domain/privacy/retention.js';

export const retentionPolicy: RetentionPolicy = retentionPolicyFromJson(policy);
