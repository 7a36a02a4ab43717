/**
 * Deadline timers in AWS (product.md §7): an EventBridge Scheduler schedule group `hotline-<stage>` that holds one
 * one-time schedule per case, at its next timer moment (created, moved and deleted at run time by the functions that
 * change cases and by the deadlines function after each firing, functions/adapters/aws/eventbridge-scheduler.ts), the role the Scheduler assumes to invoke the deadlines function,
 * the deadlines function, the DLQ for invocations that keep failing, and alarms.
 *
 * Instantiate once in the stateless stack; `grantScheduling(fn)` gives a function the environment and the least
 * privilege to manage the group's schedules (scheduler:Create/Update/DeleteSchedule on `schedule/<group>/*`, and
 * iam:PassRole on the scheduler role, to the Scheduler only).
 */
import { ArnFormat, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, Role, ServicePrincipal, type IRole } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { SCHEDULER_ENV } from '../functions/adapters/aws/eventbridge-scheduler.js';
import { dlqDepthAlarm } from './alarms.js';
import { DEADLINES_ENTRY } from './function-entries.js';
export { DEADLINES_ENTRY };
import { acknowledgeStandardGrants, functionAlarms, hotlineNodeFunction } from './node-function.js';
import { SERVICE } from '../functions/shared/metric-names.js';

/** Lambda's retries of a failed asynchronous timer invocation (the maximum Lambda allows). */
export const DEADLINES_ASYNC_RETRIES = 2;

export interface DeadlineTimersProps {
  readonly stage: string;
  readonly logRetentionDays: RetentionDays;
  readonly key: IKey;
  readonly table: ITable;
  readonly eventBus: IEventBus;
  readonly alarmTopic: ITopic;
  /** Functions that schedule timers (the relay, after each saved change): `grantScheduling` each. */
  readonly schedulers?: readonly NodejsFunction[];
}

export class DeadlineTimers extends Construct {
  readonly scheduleGroup: ScheduleGroup;
  readonly deadlinesFunction: NodejsFunction;
  /** Assumed by EventBridge Scheduler to invoke the deadlines function and dead-letter to `deadLetterQueue`. */
  readonly schedulerRole: IRole;
  /** Timer payloads the Scheduler could not deliver after its retries. */
  readonly deadLetterQueue: Queue;
  /** Timer invocations the function failed after Lambda's asynchronous retries (its on-failure destination). */
  readonly failedInvocations: Queue;

  private readonly stage: string;

  constructor(scope: Construct, id: string, props: DeadlineTimersProps) {
    super(scope, id);
    const { stage, key } = props;
    this.stage = stage;
    const stack = Stack.of(this);

    // Retained: deleting the group deletes every pending timer with it.
    this.scheduleGroup = new ScheduleGroup(this, 'ScheduleGroup', { scheduleGroupName: this.groupName, removalPolicy: RemovalPolicy.RETAIN });

    this.deadLetterQueue = new Queue(this, 'DeliveryDlq', {
      queueName: `hotline-${stage}-deadlines-dlq`,
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter queue: the DLQ of the EventBridge Scheduler deadline schedules (timer payloads the Scheduler could not deliver to the deadlines function).',
    });

    this.deadlinesFunction = hotlineNodeFunction(this, {
      stage,
      name: 'deadlines',
      entry: DEADLINES_ENTRY,
      description:
        'Fires deadline timers (EventBridge Scheduler): re-checks the case, marks it overdue, publishes Case.DueSoon / Case.Overdue / Case.Escalated',
      memorySize: 256,
      timeout: Duration.seconds(10),
      environment: { TABLE_NAME: props.table.tableName, EVENT_BUS_NAME: props.eventBus.eventBusName, POWERTOOLS_SERVICE_NAME: SERVICE.deadlines },
      logRetentionDays: props.logRetentionDays,
      key,
    });
    // Reads one case (GetItem); an overdue timer also records the missed deadline on it and moves the monthly-report
    // counters, in one transaction (TransactWriteItems is authorized per item: PutItem, UpdateItem).
    this.deadlinesFunction.addToRolePolicy(
      new PolicyStatement({
        sid: 'ReadCasesMarkOverdue',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [props.table.tableArn],
      }),
    );
    key.grantEncryptDecrypt(this.deadlinesFunction);
    props.eventBus.grantPutEventsTo(this.deadlinesFunction);
    acknowledgeStandardGrants(this.deadlinesFunction);

    // The Scheduler invokes the function asynchronously: Lambda retries a failed invocation, then sends the invocation
    // record (the timer's payload and the error) here instead of dropping it. Redriving one re-fires the moment: its
    // events carry the same ids.
    this.failedInvocations = new Queue(this, 'FailedInvocationsDlq', {
      queueName: `hotline-${stage}-deadlines-failed`,
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.failedInvocations).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter queue: the on-failure destination of the deadlines function (timer invocations that failed after their retries).',
    });
    this.deadlinesFunction.configureAsyncInvoke({
      onFailure: new SqsDestination(this.failedInvocations),
      retryAttempts: DEADLINES_ASYNC_RETRIES,
      maxEventAge: Duration.hours(6),
    });
    dlqDepthAlarm(
      this,
      'FailedInvocationsAlarm',
      this.failedInvocations,
      `hotline-${stage}-deadlines-failed-depth`,
      props.alarmTopic,
      'Deadline timers whose function kept failing',
    );

    const role = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        // Confused-deputy guard: only schedules of this account's group may use the role.
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${this.groupName}/*` }) },
        },
      }),
      description: `EventBridge Scheduler invokes the hotline deadlines function (${stage})`,
    });
    role.addToPolicy(new PolicyStatement({ sid: 'InvokeDeadlines', actions: ['lambda:InvokeFunction'], resources: [this.deadlinesFunction.functionArn] }));
    role.addToPolicy(new PolicyStatement({ sid: 'DeadLetter', actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }));
    role.addToPolicy(new PolicyStatement({ sid: 'DeadLetterEncryption', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [key.keyArn] }));
    this.schedulerRole = role;

    dlqDepthAlarm(
      this,
      'DlqDepthAlarm',
      this.deadLetterQueue,
      `hotline-${stage}-deadlines-dlq-depth`,
      props.alarmTopic,
      'Deadline timers could not be delivered',
    );
    functionAlarms(this, this.deadlinesFunction, stage, 'deadlines', props.alarmTopic);

    for (const fn of props.schedulers ?? []) this.grantScheduling(fn);
    // The deadlines function moves each case's schedule to its next moment after a firing, or deletes it. Its own ARN
    // is formatted from its name: a reference to its functionArn in its own environment would be a cycle.
    const selfArn = stack.formatArn({
      service: 'lambda',
      resource: 'function',
      resourceName: `hotline-${stage}-deadlines`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.grantScheduling(this.deadlinesFunction, selfArn);
  }

  /** The ARN pattern of this group's schedules. */
  get schedulesArn(): string {
    return Stack.of(this).formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${this.groupName}/*` });
  }

  /** `hotline-<stage>` (a plain string, so the policy and the cdk-nag finding name it literally). */
  get groupName(): string {
    return `hotline-${this.stage}`;
  }

  /** The cdk-nag finding id of the schedules wildcard, as cdk-nag renders the ARN (pseudo parameters as `<AWS::…>`). */
  private get schedulesFinding(): string {
    const stack = Stack.of(this);
    const part = (v: string, pseudo: string) => (Token.isUnresolved(v) ? `<AWS::${pseudo}>` : v);
    const arn = `arn:${part(stack.partition, 'Partition')}:scheduler:${part(stack.region, 'Region')}:${part(stack.account, 'AccountId')}:schedule/${this.groupName}/*`;
    return `AwsSolutions-IAM5[Resource::${arn}]`;
  }

  /** Environment and least privilege for a function that creates, moves and deletes deadline schedules. */
  grantScheduling(fn: NodejsFunction, deadlinesFunctionArn: string = this.deadlinesFunction.functionArn): void {
    fn.addEnvironment(SCHEDULER_ENV.group, this.scheduleGroup.scheduleGroupName);
    fn.addEnvironment(SCHEDULER_ENV.functionArn, deadlinesFunctionArn);
    fn.addEnvironment(SCHEDULER_ENV.roleArn, this.schedulerRole.roleArn);
    fn.addEnvironment(SCHEDULER_ENV.deadLetterArn, this.deadLetterQueue.queueArn);
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'ManageDeadlineSchedules',
        actions: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule'],
        resources: [this.schedulesArn],
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'PassSchedulerRole',
        actions: ['iam:PassRole'],
        resources: [this.schedulerRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    Validations.of(fn.role!).acknowledge({
      id: this.schedulesFinding,
      reason: `scheduler:Create/Update/DeleteSchedule on the schedules of group ${this.groupName} only: one one-time schedule per case, named at run time by case id, so the names cannot be listed in the policy; the group scopes them.`,
    });
  }
}
