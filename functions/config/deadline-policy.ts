/**
 * The deployed deadline policy. The JSON is imported statically so esbuild inlines it into each Lambda bundle.
 * `validateDeadlinePolicy()` checks it with zod (every problem listed) in the tests and in `cdk synth`
 * (lib/hotline-app.ts), so a bad edit never deploys; `deadlinePolicy` is built without zod, keeping zod out of the
 * Lambda bundles. Defaults and the reasons behind them: `config/deadline-policy.json`.
 */
import policy from '../../config/deadline-policy.json' with { type: 'json' };
import { deadlinePolicyFromJson, parseDeadlinePolicy, type DeadlinePolicy } from '../domain/deadlines/policy.js';

/** Validates the file; throws ConfigError listing every problem. */
export const validateDeadlinePolicy = (): DeadlinePolicy => parseDeadlinePolicy(policy, 'config/deadline-policy.json');

export const deadlinePolicy: DeadlinePolicy = deadlinePolicyFromJson(policy);
