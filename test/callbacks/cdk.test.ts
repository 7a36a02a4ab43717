/**
 * The deadline and callback constructs as the real app wires them in the stateless stack, synthesized with the
 * cdk-nag plugin: synth throws on any unacknowledged finding.
 */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCHEDULER_ENV } from '../../functions/adapters/aws/eventbridge-scheduler.js';
import { STATUS_EVENT_TYPES } from '../../functions/app/callbacks.js';
import { CALLBACK_MAX_RECEIVES } from '../../lib/callbacks-construct.js';
import { buildHotlineApp } from '../../lib/hotline-app.js';
import { cdkJsonContext, resourcesOf } from '../cdk/synth.js';

let t: Template;

beforeAll(() => {
  const app = new App({
    context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], hotlineCallbackUrls: '{"12345":"https://12345.example.org/status"}' },
  });
  const { stateless } = buildHotlineApp(app);
  app.synth(); // cdk-nag runs here
  t = Template.fromStack(stateless);
});

const policiesOf = (roleLogicalIdPrefix: string) =>
  Object.entries(resourcesOf(t))
    .filter(([id, r]) => r.Type === 'AWS::IAM::Policy' && id.startsWith(roleLogicalIdPrefix))
    .flatMap(([, r]) => (r.Properties!['PolicyDocument'] as { Statement: Record<string, unknown>[] }).Statement);

describe('deadline timers (CDK)', () => {
  it('a retained schedule group hotline-<stage>, and the deadlines function on arm64', () => {
    t.hasResource('AWS::Scheduler::ScheduleGroup', { Properties: { Name: 'hotline-dev' }, DeletionPolicy: 'Retain' });
    t.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'hotline-dev-deadlines', Architectures: ['arm64'], TracingConfig: Match.absent() });
  });

  it('a role only the Scheduler (this account, this group) assumes, to invoke the deadlines function and dead-letter', () => {
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } }, ArnLike: { 'aws:SourceArn': Match.anyValue() } },
          }),
        ],
      },
    });
    const stmts = policiesOf('DeadlineTimersSchedulerRole');
    expect(stmts.map((s) => [s['Action']].flat().sort())).toEqual([['lambda:InvokeFunction'], ['sqs:SendMessage'], ['kms:Decrypt', 'kms:GenerateDataKey']]);
  });

  it('only the relay (after each saved change) may create, update and delete the group’s schedules and pass the role to the Scheduler', () => {
    const stmts = policiesOf('RelayRole');
    const manage = stmts.find((s) => s['Sid'] === 'ManageDeadlineSchedules')!;
    expect([manage['Action']].flat().sort()).toEqual(['scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'scheduler:UpdateSchedule']);
    expect(JSON.stringify(manage['Resource'])).toContain(':schedule/hotline-dev/*');
    expect(stmts.find((s) => s['Sid'] === 'PassSchedulerRole')).toMatchObject({
      Action: 'iam:PassRole',
      Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    });
    // The writers only save: no schedule is set from a request or a process batch any more.
    for (const fn of ['ProcessRole', 'CasesRole', 'FeedbackFeedbackRole'])
      expect(policiesOf(fn).some((s) => JSON.stringify(s['Action']).includes('scheduler:'))).toBe(false);
    t.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'hotline-dev-relay',
      Environment: {
        Variables: Match.objectLike({
          [SCHEDULER_ENV.group]: 'hotline-dev',
          [SCHEDULER_ENV.roleArn]: Match.anyValue(),
          [SCHEDULER_ENV.deadLetterArn]: Match.anyValue(),
        }),
      },
    });
  });

  it('the deadlines function moves or deletes each case’s schedule after a firing: the same grant, its own ARN formatted (no cycle)', () => {
    const resources = resourcesOf(t);
    const fn = Object.values(resources).find((r) => r.Type === 'AWS::Lambda::Function' && r.Properties!['FunctionName'] === 'hotline-dev-deadlines')!;
    const roleRef = (fn.Properties!['Role'] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const stmts = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties!['Roles']).includes(roleRef))
      .flatMap((r) => (r.Properties!['PolicyDocument'] as { Statement: Record<string, unknown>[] }).Statement);
    const manage = stmts.find((s) => s['Sid'] === 'ManageDeadlineSchedules')!;
    expect([manage['Action']].flat().sort()).toEqual(['scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'scheduler:UpdateSchedule']);
    expect(JSON.stringify(manage['Resource'])).toContain(':schedule/hotline-dev/*');
    expect(stmts.find((s) => s['Sid'] === 'PassSchedulerRole')).toMatchObject({
      Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    });
    const vars = (fn.Properties!['Environment'] as { Variables: Record<string, unknown> }).Variables;
    expect(vars[SCHEDULER_ENV.group]).toBe('hotline-dev');
    expect(JSON.stringify(vars[SCHEDULER_ENV.functionArn])).toContain(':function:hotline-dev-deadlines');
    expect(JSON.stringify(vars[SCHEDULER_ENV.functionArn])).not.toContain('Fn::GetAtt');
  });

  it('alarms on the deadline DLQ', () => {
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'hotline-dev-deadlines-dlq-depth', Threshold: 0 });
  });
});

describe('status callbacks and feedback (CDK)', () => {
  it('a rule for every status event → KMS-encrypted queue with a DLQ → the callbacks function', () => {
    t.hasResourceProperties('AWS::Events::Rule', {
      Name: 'hotline-dev-status-callbacks',
      EventPattern: { source: ['hotline.integration'], 'detail-type': [...STATUS_EVENT_TYPES] },
      Targets: [Match.objectLike({ DeadLetterConfig: Match.anyValue(), RetryPolicy: Match.anyValue() })],
    });
    t.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'hotline-dev-callbacks',
      KmsMasterKeyId: Match.anyValue(),
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: CALLBACK_MAX_RECEIVES },
    });
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', { FunctionResponseTypes: ['ReportBatchItemFailures'] });
    t.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'hotline-dev-callbacks',
      Architectures: ['arm64'],
      Environment: {
        Variables: Match.objectLike({ HOTLINE_CALLBACK_URL_12345: 'https://12345.example.org/status', HOTLINE_SECRET_ARN_12309: Match.anyValue() }),
      },
    });
    for (const name of ['hotline-dev-callbacks-dlq-depth', 'hotline-dev-callbacks-delivery-dlq-depth'])
      t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: name });
  });

  it('the callbacks function reads cases and the hotline secrets, nothing more', () => {
    const stmts = policiesOf('StatusCallbacksCallbacksRole');
    expect(stmts.find((s) => s['Sid'] === 'ReadCases')!['Action']).toBe('dynamodb:BatchGetItem');
    expect(stmts.some((s) => JSON.stringify(s['Action']).includes('PutItem'))).toBe(false);
    expect(stmts.some((s) => JSON.stringify(s['Action']).includes('events:PutEvents'))).toBe(false);
  });

  it('POST /v1/hotlines/{source}/feedback for both hotlines, without an authorizer (HMAC in the function)', () => {
    for (const source of ['12345', '12309'])
      t.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: `POST /v1/hotlines/${source}/feedback`, AuthorizationType: 'NONE' });
  });
});
