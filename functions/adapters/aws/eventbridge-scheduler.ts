/**
 * EventBridge Scheduler adapter of DeadlineScheduler: ONE one-time schedule per case, in the group `hotline-<stage>`,
 * named `scheduleName(caseId)` (the case id), `at(...)` in UTC, at the case's next timer moment. Its target is the
 * deadlines function, invoked with the scheduler role, with the Scheduler's own retries and a DLQ for invocations
 * that keep failing.
 *
 * ActionAfterCompletion NONE, not DELETE: the deadlines function re-plans the same schedule (UpdateSchedule to the
 * next moment) or deletes it while handling the firing, and an automatic deletion after completion could land after
 * that update and silently drop the case's next moment. So the functions own the schedule's whole life: it exists
 * while the case has a moment ahead, and is deleted when it has none.
 *
 * Upsert: CreateSchedule, and UpdateSchedule when the name exists (ConflictException); with `{ exists: true }` the
 * reverse (UpdateSchedule, and CreateSchedule on ResourceNotFoundException), one call in the usual case either way.
 * Delete: a schedule that is already gone is fine. Throttling and internal errors are retried with backoff beyond the
 * SDK's own retries; what still fails is a ServiceUnavailableError.
 */
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import { scheduleName } from '../../domain/deadlines/schedule-plan.js';
import { parseInstant } from '../../domain/deadlines/time.js';
import type { CaseTimer, DeadlineScheduler, SetTimerOptions } from '../../ports/deadline-scheduler.js';
import { ServiceUnavailableError } from '../../ports/errors.js';
import { env } from '../../shared/env.js';
import { DEFAULT_RETRY, type RetryPolicy } from './retry.js';

export interface SchedulerTarget {
  /** Schedule group, `hotline-<stage>`. */
  groupName: string;
  /** The deadlines function. */
  functionArn: string;
  /** The role the Scheduler assumes to invoke it (and to send to the DLQ). */
  roleArn: string;
  /** Where the Scheduler sends a payload it could not deliver. */
  deadLetterArn: string;
  /** Scheduler-side retries of the invocation (default 185 attempts within 24 h, the service maximum). */
  maximumRetryAttempts?: number;
  maximumEventAgeSeconds?: number;
}

/** `2026-10-08T23:59:59+08:00` → `at(2026-10-08T15:59:59)` (evaluated in UTC). */
export function atExpression(instant: string): string {
  return `at(${new Date(parseInstant(instant)).toISOString().slice(0, 19)})`;
}

const RETRYABLE = /Throttl|TooManyRequests|InternalServer|ServiceUnavailable|RequestTimeout/;
const retryable = (e: unknown) => RETRYABLE.test((e as Error | undefined)?.name ?? '');

export class EventBridgeDeadlineScheduler implements DeadlineScheduler {
  constructor(
    private readonly client: SchedulerClient,
    private readonly target: SchedulerTarget,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {}

  async set(timer: CaseTimer, opts: SetTimerOptions = {}): Promise<void> {
    const input = this.input(timer);
    await this.withRetry(async () => {
      if (opts.exists) {
        try {
          await this.client.send(new UpdateScheduleCommand(input));
        } catch (err) {
          if (!(err instanceof ResourceNotFoundException)) throw err;
          await this.createOrUpdate(input); // deleted meanwhile (or never made): create it
        }
      } else {
        await this.createOrUpdate(input);
      }
    });
  }

  async clear(caseId: string): Promise<void> {
    await this.withRetry(async () => {
      try {
        await this.client.send(new DeleteScheduleCommand({ Name: scheduleName(caseId), GroupName: this.target.groupName }));
      } catch (e) {
        if (!(e instanceof ResourceNotFoundException)) throw e; // already deleted, or never created
      }
    });
  }

  /** The schedule of a case's next moment (also what UpdateSchedule gets: Update replaces the whole definition). */
  input(t: CaseTimer): CreateScheduleCommandInput {
    const { groupName, functionArn, roleArn, deadLetterArn } = this.target;
    return {
      Name: t.name,
      GroupName: groupName,
      Description: `next deadline timer of case ${t.caseId}`,
      ScheduleExpression: atExpression(t.at),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'NONE',
      State: 'ENABLED',
      Target: {
        Arn: functionArn,
        RoleArn: roleArn,
        Input: JSON.stringify(t.payload),
        DeadLetterConfig: { Arn: deadLetterArn },
        RetryPolicy: {
          MaximumRetryAttempts: this.target.maximumRetryAttempts ?? 185,
          MaximumEventAgeInSeconds: this.target.maximumEventAgeSeconds ?? 86_400,
        },
      },
    };
  }

  private async createOrUpdate(input: CreateScheduleCommandInput): Promise<void> {
    try {
      await this.client.send(new CreateScheduleCommand(input));
    } catch (err) {
      if (!(err instanceof ConflictException)) throw err;
      // The case has its schedule (an earlier sync, a redelivery): move it.
      await this.client.send(new UpdateScheduleCommand(input));
    }
  }

  private async withRetry(op: () => Promise<void>): Promise<void> {
    const sleep = this.retry.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    for (let attempt = 1; ; attempt++) {
      try {
        return await op();
      } catch (e) {
        if (!retryable(e)) throw e;
        if (attempt >= this.retry.maxAttempts) throw new ServiceUnavailableError(`EventBridge Scheduler: ${(e as Error).name} after ${attempt} attempts`);
        await sleep(Math.random() * this.retry.baseDelayMs * 2 ** attempt);
      }
    }
  }
}

/** Environment the CDK sets on every function that schedules timers (lib/deadlines-construct.ts). */
export const SCHEDULER_ENV = {
  group: 'DEADLINE_SCHEDULE_GROUP',
  functionArn: 'DEADLINES_FUNCTION_ARN',
  roleArn: 'DEADLINE_SCHEDULER_ROLE_ARN',
  deadLetterArn: 'DEADLINE_SCHEDULER_DLQ_ARN',
} as const;

/**
 * The scheduler of a Lambda, from its environment. `wrap` instruments the client (e.g. the observability
 * `traceClient`). Usage in a handler.ts: `scheduler: deadlineSchedulerFromEnv((c) => obs.traceClient(c))`.
 */
export function deadlineSchedulerFromEnv(wrap: (c: SchedulerClient) => SchedulerClient = (c) => c): EventBridgeDeadlineScheduler {
  return new EventBridgeDeadlineScheduler(wrap(new SchedulerClient({})), {
    groupName: env(SCHEDULER_ENV.group),
    functionArn: env(SCHEDULER_ENV.functionArn),
    roleArn: env(SCHEDULER_ENV.roleArn),
    deadLetterArn: env(SCHEDULER_ENV.deadLetterArn),
  });
}
