/**
 * The deadlines function: what a case's one deadline schedule invokes (EventBridge Scheduler in AWS, the store-backed
 * poller locally), with the schedule's payload `{caseId, at}` as the event. It re-checks the case, publishes
 * Case.DueSoon / Case.Overdue / Case.Escalated (Recommendation.Overdue) for the timers due at that moment, or nothing
 * when the case has moved on, and sets the case's schedule to its next moment or deletes it (`fireMoment`).
 *
 * A thrown error (store, bus or scheduler) fails the invocation, which is retried and then dead-lettered. Event ids
 * are deterministic, so a retry after a partial failure republishes the same events.
 */
import middy from '@middy/core';
import { calendarWatch } from '../shared/calendar-watch.js';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import '../shared/zod-mini.js';
import { fireMoment, type MomentDeps, type MomentOutcome } from '../app/deadline-timers.js';
import type { TimerMoment } from '../domain/deadlines/schedule-plan.js';
import { dimensionedCount, type Observability } from '../shared/observability.js';
import { METRIC } from '../shared/metric-names.js';

/** The schedule's payload, checked on every invocation (zod/mini: functions/shared/zod-mini.ts). */
export const TimerMomentSchema = z.strictObject({
  caseId: z.string().check(z.minLength(1), z.maxLength(100)),
  at: z.string().check(
    z.minLength(1),
    z.maxLength(40),
    z.refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO instant'),
  ),
});

export class InvalidTimerPayloadError extends Error {
  override readonly name = 'InvalidTimerPayloadError';
}

export type DeadlinesDeps = MomentDeps & Observability;

export function makeDeadlinesHandler(deps: DeadlinesDeps) {
  const { logger, metrics } = deps;
  const countBy = dimensionedCount(metrics);
  return middy<unknown, MomentOutcome, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .use(calendarWatch({ logger, metrics, calendar: deps.rules.calendar, ...(deps.now ? { now: deps.now } : {}) }))
    .handler(async (event) => {
      const parsed = TimerMomentSchema.safeParse(event);
      if (!parsed.success) {
        // Retrying cannot fix a malformed payload: fail loudly, the Scheduler's DLQ keeps it for a person.
        logger.error('invalid timer payload', { issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
        throw new InvalidTimerPayloadError('invalid timer payload');
      }
      const moment: TimerMoment = parsed.data;
      const outcome = await fireMoment(deps, moment);
      metrics.addMetric(METRIC.DeadlineTimersFired, MetricUnit.Count, 1);
      for (const p of outcome.published) {
        countBy('timer', p.timer, METRIC.DeadlineEventsPublished);
        logger.info('deadline event published', {
          caseId: moment.caseId,
          at: moment.at,
          deadline: p.deadline,
          timer: p.timer,
          type: p.type,
          eventId: p.eventId,
        });
      }
      if (outcome.skipped) {
        metrics.addMetric(METRIC.DeadlineTimersSkipped, MetricUnit.Count, 1);
        logger.info('deadline timer skipped', { caseId: moment.caseId, at: moment.at, reason: outcome.skipped });
      }
      return outcome;
    });
}
