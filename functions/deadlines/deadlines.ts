/**
 * The deadlines function: what a one-time deadline schedule invokes (EventBridge Scheduler in AWS, the in-process
 * scheduler locally), with the schedule's payload as the event. It re-checks the case and publishes
 * Case.DueSoon / Case.Overdue / Case.Escalated, or nothing when the case has moved on (`fireTimer`).
 *
 * A thrown error makes the Scheduler retry (its retry policy), then send the payload to the schedule's DLQ. Event
 * ids are deterministic, so a retry after a partial failure republishes the same event.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import '../shared/zod-mini.js';
import { fireTimer, type FireDeps, type FireOutcome } from '../app/deadline-timers.js';
import { TIMED_DEADLINES, TIMER_KINDS, type TimerPayload } from '../domain/deadlines/schedule-plan.js';
import type { Observability } from '../shared/observability.js';

/** The schedule's payload, checked on every invocation (zod/mini: functions/shared/zod-mini.ts). */
export const TimerPayloadSchema = z.strictObject({
  caseId: z.string().check(z.minLength(1), z.maxLength(100)),
  timer: z.enum(TIMER_KINDS),
  deadline: z.enum(TIMED_DEADLINES),
  dueAt: z.string().check(z.minLength(1), z.maxLength(40)),
  version: z.int().check(z.positive()),
});

export class InvalidTimerPayloadError extends Error {
  override readonly name = 'InvalidTimerPayloadError';
}

export type DeadlinesDeps = FireDeps & Observability;

export function makeDeadlinesHandler(deps: DeadlinesDeps) {
  const { logger, metrics } = deps;
  return middy<unknown, FireOutcome, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(async (event) => {
      const parsed = TimerPayloadSchema.safeParse(event);
      if (!parsed.success) {
        // Retrying cannot fix a malformed payload: fail loudly, the Scheduler's DLQ keeps it for a person.
        logger.error('invalid timer payload', { issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
        throw new InvalidTimerPayloadError('invalid timer payload');
      }
      const payload: TimerPayload = parsed.data;
      const outcome = await fireTimer(deps, payload);
      const keys = { caseId: payload.caseId, deadline: payload.deadline, timer: payload.timer, dueAt: payload.dueAt };
      metrics.addMetric('DeadlineTimersFired', MetricUnit.Count, 1);
      if (outcome.fired) {
        metrics.singleMetric().addDimension('timer', payload.timer).addMetric('DeadlineEventsPublished', MetricUnit.Count, 1);
        logger.info('deadline event published', { ...keys, type: outcome.type, eventId: outcome.eventId });
      } else {
        metrics.addMetric('DeadlineTimersSkipped', MetricUnit.Count, 1);
        logger.info('deadline timer skipped', { ...keys, reason: outcome.reason });
      }
      return outcome;
    });
}
