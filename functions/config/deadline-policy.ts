/**
 * The deployed deadline policy. The JSON is imported statically so esbuild inlines it into each Lambda
 * bundle and validated once at module load (zod): a bad edit fails the build, the tests and the first cold
 * start with every problem listed. Defaults and the reasons behind them: `config/deadline-policy.json`.
 */
import policy from '../../config/deadline-policy.json' with { type: 'json' };
import { parseDeadlinePolicy, type DeadlinePolicy } from '../domain/deadlines/policy.js';

export const deadlinePolicy: DeadlinePolicy = parseDeadlinePolicy(policy, 'config/deadline-policy.json');
