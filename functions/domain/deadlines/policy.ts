/**
 * The deadline policy (product.md §7) as data: `config/deadline-policy.json`, validated here. Every time
 * limit is a `Duration` written as exactly one of `{"workingDays": n}`, `{"days": n}`, `{"months": n}`,
 * `{"hours": n}`, so a deployer can change both the number and the way it is counted.
 */
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { TICKET_TYPES_12345, TicketType } from '../taxonomy.js';

export const DURATION_UNITS = ['workingDays', 'days', 'months', 'hours'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

/** A time limit: `unit` says how `amount` is counted (§7: working days, calendar days, months, exact hours). */
export interface Duration {
  unit: DurationUnit;
  amount: number;
}

// Validation (tests, cdk synth) only: the schemas are built in pure IIFEs, so a Lambda bundle that never validates
// leaves them, and zod, out. The runtime builds from the already validated JSON (deadlinePolicyFromJson).
const count = /* @__PURE__ */ (() => z.int().min(1).max(3660))();
export const DurationJson = /* @__PURE__ */ (() =>
  z
    .strictObject({
      workingDays: count.optional(),
      days: count.optional(),
      months: z.int().min(1).max(120).optional(),
      hours: z.number().positive().max(8784).optional(),
    })
    .refine((d) => DURATION_UNITS.filter((u) => d[u] !== undefined).length === 1, {
      message: 'give exactly one of workingDays, days, months, hours',
    })
    .transform((d): Duration => {
      const unit = DURATION_UNITS.find((u) => d[u] !== undefined)!;
      return { unit, amount: d[unit]! };
    }))();

const ByUrgency = /* @__PURE__ */ (() => z.strictObject({ normal: DurationJson, urgent: DurationJson, emergency: DurationJson }))();

export const DeadlinePolicyFile = /* @__PURE__ */ (() =>
  z.strictObject({
    $comment: z.union([z.string(), z.array(z.string())]).optional(),
    hotline12345: z.strictObject({
      /** 签收: from dispatch. */
      acceptBy: ByUrgency,
      /** 办结/答复: from dispatch. */
      replyBy: z.strictObject({
        /** Per ticket type. 12309 matter types may be listed too (they apply to transfers). */
        byType: z.partialRecord(TicketType, DurationJson).refine((r) => TICKET_TYPES_12345.every((t) => r[t] !== undefined), {
          message: `list every 12345 ticket type: ${TICKET_TYPES_12345.join(', ')}`,
        }),
        /** A type not listed under byType (e.g. a 12309 matter type on a transfer). */
        otherTypes: DurationJson,
        /** Overrides byType for that urgency; null = the ticket type's limit applies. */
        urgent: DurationJson.nullable(),
        emergency: DurationJson.nullable(),
      }),
    }),
    hotline12309: z.strictObject({
      /** 程序性回复: from receipt. */
      proceduralReplyBy: DurationJson,
      /** 结果答复: from receipt. */
      resultReplyBy: DurationJson,
    }),
    /** The procuratorate accepts or declines a referred clue: from referral. */
    clue: z.strictObject({ evaluateBy: DurationJson }),
    /** The agency replies to a 检察建议: from issue. */
    recommendation: z.strictObject({ replyBy: ByUrgency, followUpAfterReply: DurationJson }),
    extension: z.strictObject({ maxCount: z.int().min(0).max(10), maxWorkingDays: z.int().min(1).max(366) }),
    /** `Case.DueSoon` when this fraction of the time between start and due has passed. */
    dueSoonFraction: z.number().gt(0).lt(1),
    /** `Case.Escalated` (催办) this long after the due date. */
    escalation: z.strictObject({ afterDue: DurationJson }),
    /**
     * The `receivedAt` (受理时间) a ticket may carry, relative to the time it reaches ingest: at most `maxAheadMinutes`
     * ahead (the hotline's clock running fast) and at most `maxAgeDays` old. Outside it, ingest answers 400.
     */
    receipt: z.strictObject({ maxAheadMinutes: z.int().min(0).max(1440), maxAgeDays: z.int().min(1).max(3660) }),
  }))();
export type DeadlinePolicy = z.output<typeof DeadlinePolicyFile>;

/** Validates a policy file; throws ConfigError naming `file` and every problem's path. */
export function parseDeadlinePolicy(data: unknown, file = 'config/deadline-policy.json'): DeadlinePolicy {
  const parsed = DeadlinePolicyFile.safeParse(data);
  if (!parsed.success) throw ConfigError.fromZod(file, parsed.error);
  return parsed.data;
}

/**
 * The policy from a file that parseDeadlinePolicy has accepted (in the tests and in `cdk synth`), without zod: the
 * runtime path. Validation guarantees that an object whose only key is one of DURATION_UNITS is a duration, so every
 * such object becomes a `Duration`; a test checks that the result equals parseDeadlinePolicy's.
 */
export function deadlinePolicyFromJson(validated: unknown): DeadlinePolicy {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const keys = Object.keys(v);
    if (keys.length === 1 && (DURATION_UNITS as readonly string[]).includes(keys[0]!)) {
      const unit = keys[0] as DurationUnit;
      return { unit, amount: (v as Record<string, number>)[unit]! } satisfies Duration;
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
  };
  return walk(validated) as DeadlinePolicy;
}
