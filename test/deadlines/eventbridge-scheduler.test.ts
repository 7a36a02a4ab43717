import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  ThrottlingException,
  UpdateScheduleCommand,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import { atExpression, EventBridgeDeadlineScheduler } from '../../functions/adapters/aws/eventbridge-scheduler.js';
import { allTimerNames, timerName } from '../../functions/domain/deadlines/schedule-plan.js';
import type { ScheduleEntry } from '../../functions/ports/deadline-scheduler.js';
import { ServiceUnavailableError } from '../../functions/ports/errors.js';

const sch = mockClient(SchedulerClient);
const noSleep = { maxAttempts: 3, baseDelayMs: 1, sleep: async () => undefined };
const TARGET = {
  groupName: 'hotline-dev',
  functionArn: 'arn:aws:lambda:cn-north-1:123456789012:function:hotline-dev-deadlines',
  roleArn: 'arn:aws:iam::123456789012:role/hotline-dev-scheduler',
  deadLetterArn: 'arn:aws:sqs:cn-north-1:123456789012:hotline-dev-deadlines-dlq',
};
const CASE = '12345-ABCDEFGHJKMNPQRSTVWX';
const entry: ScheduleEntry = {
  name: timerName(CASE, 'acceptBy', 'overdue'),
  at: '2026-10-08T23:59:59+08:00',
  payload: { caseId: CASE, timer: 'overdue', deadline: 'acceptBy', dueAt: '2026-10-08T23:59:59+08:00', version: 2 },
};
const adapter = () => new EventBridgeDeadlineScheduler(new SchedulerClient({ region: 'cn-north-1' }), TARGET, noSleep);
const err = <T>(C: new (o: { message: string; Message: string; $metadata: object }) => T) => new C({ message: "x", Message: "x", $metadata: {} });

describe('EventBridgeDeadlineScheduler', () => {
  beforeEach(() => sch.reset());

  it('creates a one-time schedule: at() in UTC, deleted after completion, the deadlines function as target with role and DLQ', async () => {
    sch.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:x' });
    await adapter().schedule(CASE, [entry]);
    const [call] = sch.commandCalls(CreateScheduleCommand);
    expect(call!.args[0].input).toEqual({
      Name: `${CASE}.acceptBy.overdue`,
      GroupName: 'hotline-dev',
      Description: 'acceptBy overdue (due 2026-10-08T23:59:59+08:00)',
      ScheduleExpression: 'at(2026-10-08T15:59:59)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Target: {
        Arn: TARGET.functionArn,
        RoleArn: TARGET.roleArn,
        Input: JSON.stringify(entry.payload),
        DeadLetterConfig: { Arn: TARGET.deadLetterArn },
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
      },
    });
    expect(sch.commandCalls(UpdateScheduleCommand)).toHaveLength(0);
  });

  it('moves an existing schedule: ConflictException on create → UpdateSchedule with the same definition', async () => {
    sch.on(CreateScheduleCommand).rejects(err(ConflictException));
    sch.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn:x' });
    const moved = { ...entry, at: '2026-10-30T23:59:59+08:00' };
    await adapter().schedule(CASE, [moved]);
    const [update] = sch.commandCalls(UpdateScheduleCommand);
    expect(update!.args[0].input).toMatchObject({ Name: entry.name, GroupName: 'hotline-dev', ScheduleExpression: 'at(2026-10-30T15:59:59)', ActionAfterCompletion: 'DELETE' });
  });

  it('deletes the named schedules; one already gone (fired, never created) is fine', async () => {
    sch.on(DeleteScheduleCommand).rejects(err(ResourceNotFoundException));
    await adapter().cancel(CASE, [entry.name]);
    expect(sch.commandCalls(DeleteScheduleCommand).map((c) => c.args[0].input)).toEqual([{ Name: entry.name, GroupName: 'hotline-dev' }]);
  });

  it('without names deletes every timer name the case can have', async () => {
    sch.on(DeleteScheduleCommand).resolves({});
    await adapter().cancel(CASE);
    expect(sch.commandCalls(DeleteScheduleCommand).map((c) => c.args[0].input.Name)).toEqual(allTimerNames(CASE));
  });

  it('retries throttling with backoff, then gives up with ServiceUnavailableError', async () => {
    sch.on(CreateScheduleCommand).rejectsOnce(err(ThrottlingException)).resolves({ ScheduleArn: 'arn:x' });
    await adapter().schedule(CASE, [entry]);
    expect(sch.commandCalls(CreateScheduleCommand)).toHaveLength(2);

    sch.reset();
    sch.on(DeleteScheduleCommand).rejects(err(ThrottlingException));
    await expect(adapter().cancel(CASE, [entry.name])).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(sch.commandCalls(DeleteScheduleCommand)).toHaveLength(3);
  });

  it('does not retry what retrying cannot fix', async () => {
    sch.on(CreateScheduleCommand).rejects(err(ValidationException));
    await expect(adapter().schedule(CASE, [entry])).rejects.toBeInstanceOf(ValidationException);
    expect(sch.commandCalls(CreateScheduleCommand)).toHaveLength(1);
  });

  it('writes at() in UTC whatever the offset of the instant', () => {
    expect(atExpression('2026-10-01T00:30:00+08:00')).toBe('at(2026-09-30T16:30:00)');
    expect(atExpression('2026-10-01T00:30:00Z')).toBe('at(2026-10-01T00:30:00)');
  });
});
