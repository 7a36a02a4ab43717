/**
 * The deployed configuration as the use cases receive it: one object, built once from the files under config/ by
 * functions/config/deployed.ts and passed in by the Lambda entries (functions/*\/handler.ts) and local mode
 * (local/runtime.ts). No use case imports functions/config itself, so a test or a tool passes its own.
 */
import type { AgencyDirectory } from '../domain/directory/directory.js';
import type { LifecycleRules } from '../domain/lifecycle/index.js';
import type { RetentionPolicy } from '../domain/privacy/retention.js';
import type { MergeRules } from '../domain/merge/merge-rules.js';
import type { KpiRules } from '../domain/report/kpis.js';

/** Deadline policy, working calendar and deadline calculator, the directory's dispatch-centers and route targets. */
export interface CaseRules extends LifecycleRules {
  directory: AgencyDirectory;
  /** Personal data over time (config/retention-policy.json); the audit records' expiry. None = records never expire. */
  retention?: RetentionPolicy;
  /** Repeat-request merging (config/merge-rules.json). */
  merge: MergeRules;
  /** The report's rates: the three rates' definitions and weights, the minimum sample (config/kpis.json). */
  kpis: KpiRules;
}
