/**
 * Physical names derived from the agency directory. Deterministic: the same directory always gives the same
 * names, so an agency's queue URL never changes between deployments.
 */
import { agencyQueueName } from '../functions/domain/directory/agency-queues.js';
import type { Agency } from '../functions/domain/directory/directory.js';

/** SQS names allow `[A-Za-z0-9_-]`, 1–80 characters (the `.fifo` suffix aside). */
const SQS_NAME = /^[A-Za-z0-9_-]{1,80}$/;
/** EventBridge rule names allow `[.\-_A-Za-z0-9]`, 1–64 characters. */
const RULE_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;

/** `150302:market-regulation` → `150302-market-regulation`; `150300:procuratorate.pil` → `150300-procuratorate-pil`. */
export function agencySlug(agencyId: string): string {
  return agencyId.replace(/[^A-Za-z0-9-]/g, '-');
}

export interface AgencyResourceNames {
  queue: string;
  dlq: string;
  deliveryDlq: string;
  rule: string;
  /** Construct id (also the logical-id stem): stable per agency, independent of the stage. */
  constructId: string;
}

export function agencyResourceNames(stage: string, agencyId: string): AgencyResourceNames {
  const slug = agencySlug(agencyId);
  // The same mapping local mode uses (functions/domain/directory/agency-queues.ts), with the stage in the prefix.
  const base = agencyQueueName(agencyId, `hotline-${stage}-agency`);
  const names = {
    queue: base,
    dlq: `${base}-dlq`,
    deliveryDlq: `${base}-delivery-dlq`,
    rule: base,
    constructId: `Agency-${slug}`,
  };
  for (const n of [names.queue, names.dlq, names.deliveryDlq]) {
    if (!SQS_NAME.test(n)) throw new Error(`agency ${agencyId}: "${n}" is not a valid SQS queue name (max 80 of [A-Za-z0-9_-])`);
  }
  if (!RULE_NAME.test(names.rule)) throw new Error(`agency ${agencyId}: "${names.rule}" is not a valid EventBridge rule name (max 64)`);
  return names;
}

/** Throws when two agencies would map to the same names (e.g. kinds `a.b` and `a-b` in one region). */
export function assertUniqueAgencyNames(stage: string, agencies: readonly Agency[]): void {
  const seen = new Map<string, string>();
  for (const a of agencies) {
    const { queue } = agencyResourceNames(stage, a.id);
    const other = seen.get(queue);
    if (other !== undefined) throw new Error(`agencies ${other} and ${a.id} both map to queue name "${queue}"`);
    seen.set(queue, a.id);
  }
}

export function regionStackId(regionCode: string): string {
  return `AgencyRouting-${regionCode}`;
}

/** The stage's event bus (`hotline-<stage>`); `npm run ops -- replay` finds it by this name too. */
export const eventBusName = (stage: string): string => `hotline-${stage}`;

/** The bus's archive of every event it published (replay source). */
export const eventArchiveName = (stage: string): string => `hotline-${stage}-archive`;
