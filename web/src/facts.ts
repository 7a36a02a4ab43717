/** The repository's own declarations, generated at build time by web/facts.ts (never retyped here). */
import generated from './generated/facts.json';

export const facts = generated;
/** The domains' Chinese names (taxonomy.md §3), as functions/domain/taxonomy.ts declares them. */
export const DOMAIN_LABELS: Record<string, string> = generated.domainLabels;
export type Role = (typeof generated.roles)[number];
export type Agency = (typeof generated.agencies)[number];
export type Kind = keyof typeof generated.transitions;
export type Rule = (typeof generated.transitions)[Kind][number];

const byId = new Map(generated.agencies.map((a) => [a.id, a]));
const regionById = new Map(generated.regions.map((r) => [r.code, r]));

export const agencyOf = (id: string | null | undefined): Agency | undefined => (id ? byId.get(id) : undefined);
export const agencyName = (id: string | null | undefined): string => (id ? (byId.get(id)?.name ?? id) : '—');
export const regionName = (code: string | null | undefined): string => (code ? (regionById.get(code)?.name ?? code) : '—');

/** The rule of an action on a kind of case (labels and required fields come from the transition table). */
export const ruleOf = (kind: string, action: string): Rule | undefined =>
  (generated.transitions as Record<string, Rule[]>)[kind]?.find((r) => r.action === action);

/** Regions an agency acts in (管辖范围), from the directory. */
export const regionsOf = (agencyId: string): string[] => (generated.jurisdiction as Record<string, string[]>)[agencyId] ?? [];

export const isProcuratorate = (agencyId: string | null | undefined): boolean => !!agencyOf(agencyId)?.kind.startsWith('procuratorate');
/** The dispatch center whose jurisdiction holds a region (a return goes there; it routes to the agencies it covers). */
export const dispatchCenterFor = (regionCode: string): Agency | undefined =>
  generated.agencies.find((a) => a.kind === 'dispatch-center' && regionsOf(a.id).includes(regionCode));

export const isDispatchCenter = (agencyId: string | null | undefined): boolean => agencyOf(agencyId)?.kind === 'dispatch-center';
