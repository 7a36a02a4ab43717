/**
 * The rules the use cases run by, bound to the deployed files (policy, calendar, directory): built once here and
 * passed in by the Lambda entries and local mode — the one path configuration takes into the code.
 */
import type { CaseRules } from '../app/rules.js';
import { calendar } from './calendar.js';
import { deadlinesFor } from './deadlines.js';
import { deadlinePolicy } from './deadline-policy.js';
import { directory } from './directory.js';
import { retentionPolicy } from './retention-policy.js';
import { disputePolicy } from './dispute-policy.js';
import { kpiRules } from './kpis.js';
import { mergeRules } from './merge-rules.js';

export const deployedRules: CaseRules = {
  policy: deadlinePolicy,
  calendar,
  deadlinesFor,
  directory,
  retention: retentionPolicy,
  dispute: disputePolicy,
  merge: mergeRules,
  kpis: kpiRules,
  dispatchCenterFor(regionCode) {
    const r = directory.resolve(regionCode, 'dispatch-center');
    if (!r) throw new Error(`no dispatch-center for region ${regionCode}`);
    return r.agency.id;
  },
  routeProblem(agencyId, by) {
    const a = directory.get(agencyId);
    if (!a) return `unknown agency ${agencyId}`;
    if (a.kind === 'dispatch-center') return 'route to a handling agency, not a dispatch-center';
    if (!directory.coversAgency(by.agencyId, agencyId)) return `${agencyId} is outside the jurisdiction of ${by.agencyId ?? 'the caller'}`;
    return undefined;
  },
};
