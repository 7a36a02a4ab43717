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
import { caseTimer } from '../../functions/app/deadline-timers.js';
import type { CaseTimer } from '../../functions/ports/deadline-scheduler.js';
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
const entry: CaseTimer = caseTimer(CASE, '2026-10-08T23:59:59+08:00');
const adapter = () => new EventBridgeDeadlineScheduler(new SchedulerClient({ region: 'cn-north-1' }), TARGET, noSleep);
const err = <T>(C: new (o: { message: string; Message: string; $metadata: object }) => T) => new C({ message: 'x', Message: 'x', $metadata: {} });

describe('EventBridgeDeadlineScheduler', () => {
  beforeEach(() => sch.reset());

  it('creates the case’s one schedule, named by case id: at() in UTC, kept after completion, the deadlines function as target with role and DLQ', async () => {
    sch.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:x' });
    await adapter().set(entry);
    const [call] = sch.commandCalls(CreateScheduleCommand);
    expect(call!.args[0].input).toEqual({
      Name: CASE,
      GroupName: 'hotline-dev',
      Description: `next deadline timer of case ${CASE}`,
      ScheduleExpression: 'at(2026-10-08T15:59:59)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      // The deadlines function moves or deletes the schedule itself while handling a firing: no automatic deletion.
      ActionAfterCompletion: 'NONE',
      State: 'ENABLED',
      Target: {
        Arn: TARGET.functionArn,
        RoleArn: TARGET.roleArn,
        Input: JSON.stringify({ caseId: CASE, at: '2026-10-08T23:59:59+08:00' }),
        DeadLetterConfig: { Arn: TARGET.deadLetterArn },
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
      },
    });
    expect(sch.commandCalls(UpdateScheduleCommand)).toHaveLength(0);
  });

  it('moves an existing schedule: ConflictException on create → UpdateSchedule with the same definition', async () => {
    sch.on(CreateScheduleCommand).rejects(err(ConflictException));
    sch.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn:x' });
    const moved = caseTimer(CASE, '2026-10-30T23:59:59+08:00');
    await adapter().set(moved);
    expect(sch.commandCalls(CreateScheduleCommand)).toHaveLength(1);
    const [update] = sch.commandCalls(UpdateScheduleCommand);
    expect(update!.args[0].input).toEqual(adapter().input(moved));
    expect(update!.args[0].input).toMatchObject({ Name: CASE, GroupName: 'hotline-dev', ScheduleExpression: 'at(2026-10-30T15:59:59)' });
  });

  it('when told the schedule likely exists: UpdateSchedule first (one call), CreateSchedule if it is gone', async () => {
    sch.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn:x' });
    await adapter().set(entry, { exists: true });
    expect(sch.commandCalls(UpdateScheduleCommand)).toHaveLength(1);
    expect(sch.commandCalls(CreateScheduleCommand)).toHaveLength(0);

    sch.reset();
    sch.on(UpdateScheduleCommand).rejects(err(ResourceNotFoundException));
    sch.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:x' });
    await adapter().set(entry, { exists: true });
    expect(sch.commandCalls(CreateScheduleCommand).map((c) => c.args[0].input)).toEqual([adapter().input(entry)]);
  });

  it('a create racing another sync of the same case still ends in an update (conflict → update), never a failure', async () => {
    sch.on(UpdateScheduleCommand).rejectsOnce(err(ResourceNotFoundException)).resolves({ ScheduleArn: 'arn:x' });
    sch.on(CreateScheduleCommand).rejects(err(ConflictException));
    await adapter().set(entry, { exists: true });
    expect(sch.commandCalls(UpdateScheduleCommand)).toHaveLength(2);
  });

  it('deletes the case’s schedule; one already gone (deleted, never created) is fine', async () => {
    sch.on(DeleteScheduleCommand).rejects(err(ResourceNotFoundException));
    await adapter().clear(CASE);
    expect(sch.commandCalls(DeleteScheduleCommand).map((c) => c.args[0].input)).toEqual([{ Name: CASE, GroupName: 'hotline-dev' }]);
  });

  it('retries throttling with backoff, then gives up with ServiceUnavailableError', async () => {
    sch.on(CreateScheduleCommand).rejectsOnce(err(ThrottlingException)).resolves({ ScheduleArn: 'arn:x' });
    await adapter().set(entry);
    expect(sch.commandCalls(CreateScheduleCommand)).toHaveLength(2);

    sch.reset();
    sch.on(DeleteScheduleCommand).rejects(err(ThrottlingException));
    await expect(adapter().clear(CASE)).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(sch.commandCalls(DeleteScheduleCommand)).toHaveLength(3);
  });

  it('does not retry what retrying cannot fix', async () => {
    sch.on(CreateScheduleCommand).rejects(err(ValidationException));
    await expect(adapter().set(entry)).rejects.toBeInstanceOf(ValidationException);
    expect(sch.commandCalls(CreateScheduleCommand)).toHaveLength(1);
  });

  it('writes at() in UTC whatever the offset of the instant', () => {
    expect(atExpression('2026-10-01T00:30:00+08:00')).toBe('at(2026-09-30T16:30:00)');
    expect(atExpression('2026-10-01T00:30:00Z')).toBe('at(2026-10-01T00:30:00)');
  });
});
