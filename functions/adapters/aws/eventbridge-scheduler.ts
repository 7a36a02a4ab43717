/**
 * EventBridge Scheduler adapter of DeadlineScheduler: one one-time schedule per timer, in the group
 * `hotline-<stage>`, named deterministically (`<caseId>.<deadline>.<timer>`), `at(...)` in UTC, deleted by the
 * Scheduler after it fires (ActionAfterCompletion DELETE). Its target is the deadlines function, invoked with the
 * scheduler role, with the Scheduler's own retries and a DLQ for invocations that keep failing.
 *
 * Upsert: CreateSchedule, and UpdateSchedule when the name exists (ConflictException) — that is how a timer moves.
 * Delete: a schedule that is already gone (fired, or never created) is fine. Throttling and internal errors are
 * retried with backoff beyond the SDK's own retries; what still fails is a ServiceUnavailableError.
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
import { allTimerNames } from '../../domain/deadlines/schedule-plan.js';
import { parseInstant } from '../../domain/deadlines/time.js';
import type { DeadlineScheduler, ScheduleEntry } from '../../ports/deadline-scheduler.js';
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

  async schedule(_caseId: string, entries: ScheduleEntry[]): Promise<void> {
    for (const e of entries) await this.upsert(e);
  }

  async cancel(caseId: string, names: string[] = allTimerNames(caseId)): Promise<void> {
    for (const name of names) {
      await this.withRetry(async () => {
        try {
          await this.client.send(new DeleteScheduleCommand({ Name: name, GroupName: this.target.groupName }));
        } catch (e) {
          if (!(e instanceof ResourceNotFoundException)) throw e; // already fired (and deleted), or never created
        }
      });
    }
  }

  /** The schedule of one timer (also what UpdateSchedule gets: Update replaces the whole definition). */
  input(e: ScheduleEntry): CreateScheduleCommandInput {
    const { groupName, functionArn, roleArn, deadLetterArn } = this.target;
    return {
      Name: e.name,
      GroupName: groupName,
      Description: `${e.payload.deadline} ${e.payload.timer} (due ${e.payload.dueAt})`,
      ScheduleExpression: atExpression(e.at),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Target: {
        Arn: functionArn,
        RoleArn: roleArn,
        Input: JSON.stringify(e.payload),
        DeadLetterConfig: { Arn: deadLetterArn },
        RetryPolicy: {
          MaximumRetryAttempts: this.target.maximumRetryAttempts ?? 185,
          MaximumEventAgeInSeconds: this.target.maximumEventAgeSeconds ?? 86_400,
        },
      },
    };
  }

  private async upsert(e: ScheduleEntry): Promise<void> {
    const input = this.input(e);
    await this.withRetry(async () => {
      try {
        await this.client.send(new CreateScheduleCommand(input));
      } catch (err) {
        if (!(err instanceof ConflictException)) throw err;
        // The timer exists (an earlier sync, a redelivery): move it.
        await this.client.send(new UpdateScheduleCommand(input));
      }
    });
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
