/**
 * The hotline back-channel in AWS (product.md §10):
 *
 * - `StatusCallbacks`: an EventBridge rule on the bus for the status events → an SQS queue (KMS, DLQ after
 *   `CALLBACK_MAX_RECEIVES` receives; the rule target has its own delivery DLQ) → the callbacks function, which signs
 *   each status with the hotline's HMAC secret and POSTs it to the hotline's callback URL (context
 *   `hotlineCallbackUrls`). Not API destinations: a connection adds only static credentials, and the hotlines verify a
 *   per-request HMAC over timestamp and body, which needs code (functions/callbacks/callbacks.ts).
 * - `HotlineFeedback`: the feedback function behind `POST /v1/hotlines/{source}/feedback` (signed like tickets, so
 *   no authorizer: the function verifies the HMAC). The stateless stack adds the route, from the route table.
 *
 * Both go into the stateless stack, one line each.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, type IEventBus } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { statusCallbackPattern } from '../functions/app/callbacks.js';
import { dlqDepthAlarm, queueAgeAlarm } from './alarms.js';
import { HOTLINE_SOURCES, readConfig, type AppConfig, type HotlineSource } from './config.js';
import { CALLBACKS_ENTRY, FEEDBACK_ENTRY } from './function-entries.js';
export { CALLBACKS_ENTRY, FEEDBACK_ENTRY };
import { acknowledgeStandardGrants, functionAlarms, hotlineNodeFunction } from './node-function.js';
import { secretsManagerHost } from './partition.js';
import { SERVICE } from '../functions/shared/metric-names.js';

export const CALLBACKS_TIMEOUT = Duration.seconds(60);
/** Receives of a callback message before it is dead-lettered (each receive makes up to 3 POSTs with backoff). */
export const CALLBACK_MAX_RECEIVES = 8;
/** Alarm when a status waits this long: a hotline endpoint is down or the function is failing. */
export const CALLBACK_QUEUE_MAX_AGE = Duration.minutes(30);

interface CommonProps {
  readonly stage: string;
  readonly logRetentionDays: RetentionDays;
  readonly key: IKey;
  readonly table: ITable;
  readonly hotlineSecrets: Readonly<Record<HotlineSource, ISecret>>;
  readonly alarmTopic: ITopic;
}

export interface StatusCallbacksProps extends CommonProps {
  readonly eventBus: IEventBus;
  /** Callback URL per hotline; default: the validated context `hotlineCallbackUrls`. A hotline without one gets none. */
  readonly hotlineCallbackUrls?: AppConfig['hotlineCallbackUrls'];
}

/** Secret ARNs in the environment, read and decrypt on exactly those secrets (identity policy: no key-policy cycle). */
function grantHotlineSecrets(fn: NodejsFunction, props: CommonProps): void {
  for (const source of HOTLINE_SOURCES) fn.addEnvironment(`HOTLINE_SECRET_ARN_${source}`, props.hotlineSecrets[source].secretArn);
  fn.addToRolePolicy(
    new PolicyStatement({
      sid: 'ReadHotlineSecrets',
      actions: ['secretsmanager:GetSecretValue'],
      resources: HOTLINE_SOURCES.map((s) => props.hotlineSecrets[s].secretArn),
    }),
  );
  fn.addToRolePolicy(
    new PolicyStatement({
      sid: 'DecryptHotlineSecrets',
      actions: ['kms:Decrypt'],
      resources: [props.key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': secretsManagerHost(fn) } },
    }),
  );
}

export class StatusCallbacks extends Construct {
  readonly queue: Queue;
  readonly dlq: Queue;
  readonly deliveryDlq: Queue;
  readonly rule: Rule;
  readonly callbacksFunction: NodejsFunction;

  constructor(scope: Construct, id: string, props: StatusCallbacksProps) {
    super(scope, id);
    const { stage, key, alarmTopic } = props;
    const urls = props.hotlineCallbackUrls ?? readConfig(this.node).hotlineCallbackUrls;
    const encrypted = { encryption: QueueEncryption.KMS, encryptionMasterKey: key, enforceSSL: true } as const;

    this.dlq = new Queue(this, 'Dlq', { ...encrypted, queueName: `hotline-${stage}-callbacks-dlq`, retentionPeriod: Duration.days(14) });
    this.queue = new Queue(this, 'Queue', {
      ...encrypted,
      queueName: `hotline-${stage}-callbacks`,
      // ≥ 6× the function timeout (AWS guidance); also the backoff between receives of a failing callback.
      visibilityTimeout: Duration.seconds(CALLBACKS_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.dlq, maxReceiveCount: CALLBACK_MAX_RECEIVES },
    });
    this.deliveryDlq = new Queue(this, 'DeliveryDlq', {
      ...encrypted,
      queueName: `hotline-${stage}-callbacks-delivery-dlq`,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deliveryDlq).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself a dead-letter queue: the DLQ of the EventBridge rule target that delivers status events to the callbacks queue.',
    });

    // The pattern local mode matches with too (functions/app/callbacks.ts).
    const pattern = statusCallbackPattern();
    this.rule = new Rule(this, 'Rule', {
      ruleName: `hotline-${stage}-status-callbacks`,
      description: 'Case status changes → status callbacks to the hotline systems',
      eventBus: props.eventBus,
      eventPattern: { source: pattern.source, detailType: pattern['detail-type'] },
      targets: [new SqsQueue(this.queue, { deadLetterQueue: this.deliveryDlq, retryAttempts: 185, maxEventAge: Duration.hours(24) })],
    });

    const urlEnv: Record<string, string> = {};
    for (const source of HOTLINE_SOURCES) {
      const url = urls[source];
      if (url) urlEnv[`HOTLINE_CALLBACK_URL_${source}`] = url;
    }
    this.callbacksFunction = hotlineNodeFunction(this, {
      stage,
      name: 'callbacks',
      entry: CALLBACKS_ENTRY,
      description: 'Signs case status changes with the hotline secret and POSTs them to the hotline callback URLs',
      memorySize: 256,
      timeout: CALLBACKS_TIMEOUT,
      environment: { TABLE_NAME: props.table.tableName, ...urlEnv, POWERTOOLS_SERVICE_NAME: SERVICE.callbacks },
      logRetentionDays: props.logRetentionDays,
      key,
    });
    this.callbacksFunction.addToRolePolicy(new PolicyStatement({ sid: 'ReadCases', actions: ['dynamodb:BatchGetItem'], resources: [props.table.tableArn] }));
    key.grantDecrypt(this.callbacksFunction);
    grantHotlineSecrets(this.callbacksFunction, props);
    this.callbacksFunction.addEventSource(new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true, maxConcurrency: 5 }));
    acknowledgeStandardGrants(this.callbacksFunction);

    dlqDepthAlarm(
      this,
      'DlqDepthAlarm',
      this.dlq,
      `hotline-${stage}-callbacks-dlq-depth`,
      alarmTopic,
      `Status callbacks failed ${CALLBACK_MAX_RECEIVES} times`,
    );
    dlqDepthAlarm(
      this,
      'DeliveryDlqDepthAlarm',
      this.deliveryDlq,
      `hotline-${stage}-callbacks-delivery-dlq-depth`,
      alarmTopic,
      'EventBridge could not deliver status events to the callbacks queue',
    );
    queueAgeAlarm(this, 'QueueAgeAlarm', this.queue, CALLBACK_QUEUE_MAX_AGE, `hotline-${stage}-callbacks-oldest-message-age`, alarmTopic, 'Status callbacks');
    functionAlarms(this, this.callbacksFunction, stage, 'callbacks', alarmTopic);
  }
}

/** Feedback only saves the transition: the relay publishes its event and moves the case's timer. */
export type HotlineFeedbackProps = CommonProps;

export class HotlineFeedback extends Construct {
  readonly feedbackFunction: NodejsFunction;

  constructor(scope: Construct, id: string, props: HotlineFeedbackProps) {
    super(scope, id);
    const { stage, key } = props;
    this.feedbackFunction = hotlineNodeFunction(this, {
      stage,
      name: 'feedback',
      entry: FEEDBACK_ENTRY,
      description: 'Hotline callback-survey results (回访): closes or reopens replied cases',
      memorySize: 512,
      timeout: Duration.seconds(10),
      environment: { TABLE_NAME: props.table.tableName, POWERTOOLS_SERVICE_NAME: SERVICE.feedback },
      logRetentionDays: props.logRetentionDays,
      key,
    });
    // Get + conditional Put of one case (DynamoCaseStore.get/save).
    this.feedbackFunction.addToRolePolicy(
      new PolicyStatement({ sid: 'ReadWriteCases', actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], resources: [props.table.tableArn] }),
    );
    key.grantEncryptDecrypt(this.feedbackFunction);
    grantHotlineSecrets(this.feedbackFunction, props);
    acknowledgeStandardGrants(this.feedbackFunction);

    functionAlarms(this, this.feedbackFunction, stage, 'feedback', props.alarmTopic);
  }
}
