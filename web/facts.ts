/**
 * The facts the web console shows, taken from where the repository declares them, never retyped in the console:
 * the agency directory (names, kinds, regions), the lifecycle's transition table (labels, who, required fields),
 * the case statuses and return reason kinds, the report's metrics and rates and their Chinese names, and the due-soon
 * share of the deadline policy.
 * `scripts/build-web.ts` writes them to `web/src/generated/facts.json` before `vite build`.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deployedRules } from '../functions/config/deployed.js';
import { directory } from '../functions/config/directory.js';
import { CASE_STATUSES, RETURN_REASON_KINDS } from '../functions/domain/case/case.js';
import { ROLES, TRANSITIONS_BY_KIND } from '../functions/domain/lifecycle/transitions.js';
import { METRIC_LABELS } from '../functions/domain/report/format.js';
import { KPI_LABELS, KPI_NAMES } from '../functions/domain/report/kpis.js';
import { METRICS } from '../functions/domain/report/tally.js';
import { DOMAIN_NAMES_ZH } from '../functions/domain/taxonomy.js';

export const WEB_ROOT = dirname(fileURLToPath(import.meta.url));

export function consoleFacts() {
  return {
    agencies: directory.list().map((a) => ({ id: a.id, name: a.name, kind: a.kind, regionCode: a.regionCode })),
    regions: directory.listRegions().map((r) => ({ code: r.code, name: r.name, parent: r.parent })),
    /** The regions each agency acts in (管辖范围), for the choices the console offers; the API still checks. */
    jurisdiction: Object.fromEntries(directory.list().map((a) => [a.id, directory.regionsOf(a.id).map((r) => r.code)])),
    roles: ROLES,
    statuses: CASE_STATUSES,
    transitions: Object.fromEntries(
      Object.entries(TRANSITIONS_BY_KIND).map(([kind, rules]) => [
        kind,
        rules.map((r) => ({ action: r.action, label: r.label, roles: r.roles, requires: r.requires, accepts: r.accepts ?? [] })),
      ]),
    ),
    metrics: METRICS.map((m) => ({ code: m, label: METRIC_LABELS[m] })),
    /** The rates of docs/kpis.md, in their order, with their Chinese names. */
    kpis: KPI_NAMES.map((k) => ({ code: k, label: KPI_LABELS[k] })),
    /** Why an agency may return a case (退单理由), in the order the 退单 form offers them. */
    returnReasonKinds: RETURN_REASON_KINDS,
    /** The domains' Chinese names (taxonomy.md §3). */
    domainLabels: DOMAIN_NAMES_ZH,
    dueSoonFraction: deployedRules.policy.dueSoonFraction,
    maxExtensionDays: deployedRules.policy.extension.maxWorkingDays,
  };
}

export type ConsoleFacts = ReturnType<typeof consoleFacts>;
