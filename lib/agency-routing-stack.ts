/**
 * One nested stack per directory region: for each agency of the region, its SQS queue (+ DLQ), the EventBridge
 * rule that sends it the region's `Case.Dispatched` events for that agency, the rule target's own delivery DLQ,
 * and their alarms. About 10 resources per agency: a region holds at most one agency per kind, so a region stays
 * far below CloudFormation's 500-resource limit while the whole directory (154 agencies today) would not fit in
 * one stack.
 *
 * An agency that consumes by queue (`queueConsumers` in config/agencies.json) also gets a consumer role and the
 * alarms only a consumer can trip (its queue's oldest message, its DLQ); the others get none of those, so nobody is
 * paged about a queue nobody reads. Every agency queue is retained when its agency leaves the directory: the messages
 * in it are cases that were dispatched to that agency.
 */
import { CfnOutput, Duration, NestedStack, RemovalPolicy, Validations, type NestedStackProps } from 'aws-cdk-lib';
import { AccountRootPrincipal, Role } from 'aws-cdk-lib/aws-iam';
import { Rule, type IEventBus } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { caseDispatchedPattern } from '../functions/domain/directory/agency-queues.js';
import type { Agency, Region } from '../functions/domain/directory/directory.js';
import { dlqDepthAlarm, queueAgeAlarm } from './alarms.js';
import { agencyResourceNames } from './naming.js';

/** Agency queues keep messages for the SQS maximum, so a consumer that is down over a long holiday loses nothing. */
const AGENCY_RETENTION = Duration.days(14);
/** Alarm when an agency's integration has not consumed for this long (an agency signs for a case within 1 working day). */
export const AGENCY_QUEUE_MAX_AGE = Duration.hours(24);

export interface AgencyRoutingStackProps extends NestedStackProps {
  readonly stage: string;
  readonly region: Region;
  readonly agencies: readonly Agency[];
  readonly eventBus: IEventBus;
  readonly key: IKey;
  readonly alarmTopic: ITopic;
}

export class AgencyRoutingStack extends NestedStack {
  /** Agency queue by agency id. */
  readonly queues = new Map<string, Queue>();
  /** Consumer role by agency id, for the agencies that consume by queue. */
  readonly consumerRoles = new Map<string, Role>();

  constructor(scope: Construct, id: string, props: AgencyRoutingStackProps) {
    super(scope, id, {
      ...props,
      description: `Hotline integration (${props.stage}): agency queues and Case.Dispatched routing rules for region ${props.region.code}`,
    });
    for (const agency of props.agencies) {
      const channel = new AgencyChannel(this, agencyResourceNames(props.stage, agency.id).constructId, { ...props, agency });
      this.queues.set(agency.id, channel.queue);
      if (channel.consumerRole) this.consumerRoles.set(agency.id, channel.consumerRole);
    }
  }
}

interface AgencyChannelProps {
  readonly stage: string;
  readonly agency: Agency;
  readonly eventBus: IEventBus;
  readonly key: IKey;
  readonly alarmTopic: ITopic;
}

/** An agency's inbound channel: queue + DLQ, routing rule with retries and a delivery DLQ, alarms. */
class AgencyChannel extends Construct {
  readonly queue: Queue;
  /** Only for an agency that consumes by queue. */
  consumerRole?: Role;

  constructor(scope: Construct, id: string, props: AgencyChannelProps) {
    super(scope, id);
    const { agency, stage, key, alarmTopic } = props;
    const names = agencyResourceNames(stage, agency.id);
    // Retained (queue, DLQ, delivery DLQ): when the agency leaves the directory, CloudFormation leaves its queues and
    // their messages in place instead of deleting them (README: delete or re-import them by hand).
    const encrypted = { encryption: QueueEncryption.KMS, encryptionMasterKey: key, enforceSSL: true, removalPolicy: RemovalPolicy.RETAIN } as const;

    const dlq = new Queue(this, 'Dlq', { ...encrypted, queueName: names.dlq, retentionPeriod: AGENCY_RETENTION });
    this.queue = new Queue(this, 'Queue', {
      ...encrypted,
      queueName: names.queue,
      retentionPeriod: AGENCY_RETENTION,
      visibilityTimeout: Duration.minutes(2),
      deadLetterQueue: { queue: dlq, maxReceiveCount: 5 },
    });
    // Events EventBridge could not deliver to the agency queue (after its retries) land here, not lost.
    const deliveryDlq = new Queue(this, 'DeliveryDlq', { ...encrypted, queueName: names.deliveryDlq, retentionPeriod: AGENCY_RETENTION });
    Validations.of(deliveryDlq).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself a dead-letter queue: the DLQ of the EventBridge rule target that delivers Case.Dispatched to the agency queue.',
    });

    // The pattern local mode matches with too (functions/domain/directory/agency-queues.ts).
    const pattern = caseDispatchedPattern(agency);
    new Rule(this, 'Rule', {
      ruleName: names.rule,
      description: `${pattern['detail-type'].join(',')} for agency ${agency.id}`,
      eventBus: props.eventBus,
      eventPattern: { source: pattern.source, detailType: pattern['detail-type'], detail: pattern.detail },
      targets: [new SqsQueue(this.queue, { deadLetterQueue: deliveryDlq, retryAttempts: 185, maxEventAge: Duration.hours(24) })],
    });

    const what = `Agency ${agency.id}`;
    // Every agency: an event EventBridge could not put in the queue is an operator's problem whoever reads the queue.
    dlqDepthAlarm(
      this,
      'DeliveryDlqDepthAlarm',
      deliveryDlq,
      `${names.deliveryDlq}-depth`,
      alarmTopic,
      `${what}: EventBridge could not deliver Case.Dispatched`,
    );
    if (!agency.consumesByQueue) return;

    // A consumer: its system assumes this role to read and delete from its queue (and decrypt with the key), nothing else.
    this.consumerRole = new Role(this, 'ConsumerRole', {
      assumedBy: new AccountRootPrincipal(),
      description: `Reads agency ${agency.id}'s hotline queue ${names.queue} (${stage}); an administrator lets the agency's system assume it`,
    });
    this.queue.grantConsumeMessages(this.consumerRole);
    new CfnOutput(this, 'ConsumerRoleArn', { value: this.consumerRole.roleArn, description: `Role that consumes ${names.queue}` });
    dlqDepthAlarm(this, 'DlqDepthAlarm', dlq, `${names.dlq}-depth`, alarmTopic, `${what} queue consumer failed 5 times`);
    queueAgeAlarm(this, 'QueueAgeAlarm', this.queue, AGENCY_QUEUE_MAX_AGE, `${names.queue}-oldest-message-age`, alarmTopic, what);
  }
}
