/**
 * The code side, redeployable at will: the ingest, process, cases, feedback and relay functions, the HTTP API in front
 * of them (its routes are the route table's, `functions/http/routes.ts`), the SQS event source that feeds process,
 * the case table's stream that feeds the relay (the transactional outbox), and their alarms. Takes the stateful stack's resources as props; every grant
 * here lands in this stack's role policies, so the stateful stack never depends on this one.
 */
import { CfnOutput, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpStage,
  type HttpRouteIntegration,
  LogGroupLogDestination,
  PayloadFormatVersion,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { HttpJwtAuthorizer, HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption, type IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct, IConstruct } from 'constructs';
import { CASE_TABLE } from '../functions/adapters/aws/case-table.js';
import { CONTACT_PURPOSE } from '../functions/adapters/envelope-contact-cipher.js';
import { dlqDepthAlarm, notifyingAlarm } from './alarms.js';
import { CASE_RECORD_FILTER } from '../functions/adapters/aws/dynamo-stream-changes.js';
import { RELAY_FEED } from '../functions/relay/settings.js';
import { acknowledgeStandardGrants, functionAlarms, hotlineNodeFunction, type HotlineFunctionProps } from './node-function.js';
import { DeadlineTimers } from './deadlines-construct.js';
import { HotlineFeedback, StatusCallbacks } from './callbacks-construct.js';
import { PersonalDataRetention } from './retention-construct.js';
import { apiRoutes, type AuthKind, type HttpFunctionName } from '../functions/http/routes.js';
import { HOTLINE_SOURCES, INGEST_TIMEOUT, PROCESS_TIMEOUT, RELAY_TIMEOUT, type HotlineSource } from './config.js';
import { FUNCTION_ENTRIES, functionAssets, type FunctionName } from './function-entries.js';
import { ConsoleDeployment, type ConsoleConfigFile, type ConsoleStack } from './console-site.js';
import { routerModelFile } from '../functions/config/router-model.js';
import { secretsManagerHost } from './partition.js';
import { OpsDashboard } from './ops-dashboard.js';
import { SERVICE } from '../functions/shared/metric-names.js';

export { LAMBDA_RUNTIME, METRICS_NAMESPACE } from './node-function.js';

/** The encryption context every contact data key carries (functions/adapters/envelope-contact-cipher.ts). */
const CONTACT_CONTEXT = { StringEquals: { 'kms:EncryptionContext:purpose': CONTACT_PURPOSE } };

/** Default-stage throttling: hotline systems push a few requests a second at most (each up to 100 tickets). */
export const API_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;
/** The process function never runs more than this many concurrent SQS batches (protects DynamoDB and the bus). */
export const PROCESS_MAX_CONCURRENCY = 10;

export interface StatelessStackProps extends StackProps {
  readonly stage: string;
  readonly logRetentionDays: RetentionDays;
  readonly key: IKey;
  /** Field-level key of contact details. */
  readonly contactKey: IKey;
  readonly table: ITable;
  readonly eventBus: IEventBus;
  readonly processQueue: IQueue;
  /** The process queue's DLQ (on the dashboard). */
  readonly processDlq: IQueue;
  /** Hotline HMAC secrets, encrypted with `key`. */
  readonly hotlineSecrets: Readonly<Record<HotlineSource, ISecret>>;
  /** The caller-key secret (repeat callers), encrypted with `key`. */
  readonly callerKeySecret: ISecret;
  readonly alarmTopic: ITopic;
  /** Who issues agency API tokens: the stack's Cognito pool, or the deployer's OIDC issuer. */
  readonly agencyAuth: { userPool: IUserPool; clients: IUserPoolClient[] } | { issuer: string; audience: string[] };
  /**
   * The web console, when the app deploys one: its origin is the only one the API's CORS allows, and its files and
   * config.json (this API's URL, the issuer, the client) are deployed from here.
   */
  readonly console?: { site: ConsoleStack; auth: ConsoleConfigFile['auth'] };
}

export class StatelessStack extends Stack {
  readonly ingestFunction: NodejsFunction;
  readonly processFunction: NodejsFunction;
  readonly casesFunction: NodejsFunction;
  /** The outbox relay, fed by the case table's stream. */
  readonly relayFunction: NodejsFunction;
  readonly relayDlq: Queue;
  readonly api: HttpApi;
  readonly apiStage: HttpStage;
  readonly ops: OpsDashboard;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { stage } = props;

    // --- Functions ----------------------------------------------------------------------------------------------
    const secretEnv: Record<string, string> = {};
    for (const source of HOTLINE_SOURCES) secretEnv[`HOTLINE_SECRET_ARN_${source}`] = props.hotlineSecrets[source].secretArn;

    this.ingestFunction = this.fn('ingest', props, {
      description: 'Verifies signed hotline ticket requests and stores case records (the relay enqueues them)',
      memorySize: 512,
      timeout: INGEST_TIMEOUT,
      environment: {
        TABLE_NAME: props.table.tableName,
        PROCESS_QUEUE_URL: props.processQueue.queueUrl,
        CONTACT_KEY_ARN: props.contactKey.keyArn,
        CALLER_KEY_SECRET_ARN: props.callerKeySecret.secretArn,
        ...secretEnv,
        POWERTOOLS_SERVICE_NAME: SERVICE.ingest,
      },
    });
    // TransactWriteItems (Put + ConditionCheck), BatchGetItem/GetItem for duplicates.
    grantTableData(this.ingestFunction, props.table, props.key);
    // Re-enqueues a re-sent ticket whose case is still `received` (new tickets are enqueued by the relay).
    props.processQueue.grantSendMessages(this.ingestFunction);
    // Seals contacts (envelope encryption: a GenerateDataKey every few minutes, functions/adapters/aws/kms-data-keys.ts);
    // cannot decrypt them. Only data keys for contacts (encryption context), so the grant serves nothing else.
    this.ingestFunction.addToRolePolicy(
      new PolicyStatement({ sid: 'SealContacts', actions: ['kms:GenerateDataKey'], resources: [props.contactKey.keyArn], conditions: CONTACT_CONTEXT }),
    );
    // Secret.grantRead() would also put this role into the stateful stack's key policy (a reference back to this
    // stack: a dependency cycle). The key policy already delegates to IAM, so an identity policy is enough.
    this.ingestFunction.addToRolePolicy(
      new PolicyStatement({
        sid: 'ReadHotlineSecrets',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [...HOTLINE_SOURCES.map((source) => props.hotlineSecrets[source].secretArn), props.callerKeySecret.secretArn],
      }),
    );
    this.ingestFunction.addToRolePolicy(
      new PolicyStatement({
        sid: 'DecryptHotlineSecrets',
        actions: ['kms:Decrypt'],
        resources: [props.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': secretsManagerHost(this) } },
      }),
    );

    this.processFunction = this.fn('process', props, {
      description: 'Classifies and routes queued tickets and stores the dispatch (the relay publishes its events)',
      memorySize: 1024,
      timeout: PROCESS_TIMEOUT,
      environment: {
        TABLE_NAME: props.table.tableName,
        POWERTOOLS_SERVICE_NAME: SERVICE.process,
      },
    });
    grantTableData(this.processFunction, props.table, props.key);
    // Grants the function receive/delete/change-visibility on the queue (and decrypt with its key).
    this.processFunction.addEventSource(
      new SqsEventSource(props.processQueue, {
        batchSize: 10,
        reportBatchItemFailures: true,
        maxConcurrency: PROCESS_MAX_CONCURRENCY,
      }),
    );

    this.casesFunction = this.fn('cases', props, {
      description: 'Agency API: work queues, case reads, lifecycle transitions (签收, 退单, 延期, 办结 ...)',
      memorySize: 512,
      timeout: Duration.seconds(10),
      environment: {
        TABLE_NAME: props.table.tableName,
        CONTACT_KEY_ARN: props.contactKey.keyArn,
        POWERTOOLS_SERVICE_NAME: SERVICE.cases,
      },
    });
    grantTableData(this.casesFunction, props.table, props.key);
    // The agency work queues and the region cluster lists are indexes: Query on those two only.
    this.casesFunction.addToRolePolicy(
      new PolicyStatement({
        sid: 'QueryAgencyQueues',
        actions: ['dynamodb:Query'],
        resources: [CASE_TABLE.workIndex.name, CASE_TABLE.clusterIndex.name].map((index) => `${props.table.tableArn}/index/${index}`),
      }),
    );
    // Opens contacts for the owning agency only (checked in code); cannot seal new ones.
    this.casesFunction.addToRolePolicy(
      new PolicyStatement({ sid: 'OpenContacts', actions: ['kms:Decrypt'], resources: [props.contactKey.keyArn], conditions: CONTACT_CONTEXT }),
    );

    // --- The outbox relay: the case table's stream → events, new tickets to the process queue, deadline timers ---
    this.relayFunction = this.fn('relay', props, {
      description: 'Transactional outbox: publishes the events of every saved case version, enqueues new tickets, moves deadline timers',
      memorySize: 512,
      timeout: RELAY_TIMEOUT,
      environment: {
        TABLE_NAME: props.table.tableName,
        EVENT_BUS_NAME: props.eventBus.eventBusName,
        PROCESS_QUEUE_URL: props.processQueue.queueUrl,
        POWERTOOLS_SERVICE_NAME: SERVICE.relay,
      },
    });
    // Reads a completed cluster (GetItem) for Cluster.Detected; writes nothing to the table.
    this.relayFunction.addToRolePolicy(new PolicyStatement({ sid: 'ReadClusters', actions: ['dynamodb:GetItem'], resources: [props.table.tableArn] }));
    props.key.grantEncryptDecrypt(this.relayFunction);
    props.eventBus.grantPutEventsTo(this.relayFunction);
    props.processQueue.grantSendMessages(this.relayFunction);
    // Stream records that keep failing (after retries, or too old): the batch's shard and sequence range, to re-read.
    this.relayDlq = new Queue(this, 'RelayDlq', {
      queueName: `hotline-${stage}-relay-dlq`,
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.relayDlq).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "This queue is itself a dead-letter queue: the on-failure destination of the relay's stream event source.",
    });
    // Grants the stream reads (and the table key's decrypt) to the function.
    this.relayFunction.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: RELAY_FEED.batchSize,
        maxBatchingWindow: Duration.seconds(RELAY_FEED.maxBatchingWindowSeconds),
        retryAttempts: RELAY_FEED.retryAttempts,
        bisectBatchOnError: RELAY_FEED.bisectBatchOnError,
        reportBatchItemFailures: RELAY_FEED.reportBatchItemFailures,
        maxRecordAge: Duration.seconds(RELAY_FEED.maxRecordAgeSeconds),
        parallelizationFactor: RELAY_FEED.parallelizationFactor,
        onFailure: new SqsDlq(this.relayDlq),
        // Group, cluster and report-counter items change in the same transactions: only case records matter here.
        filters: [FilterCriteria.filter(CASE_RECORD_FILTER as unknown as Record<string, unknown>)],
      }),
    );
    Validations.of(this.relayFunction.role!).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'dynamodb:ListStreams, which the DynamoDB event source mapping needs, supports no resource-level permission; every stream read (DescribeStream, GetRecords, GetShardIterator) is granted on the case table stream only.',
    });
    dlqDepthAlarm(this, 'RelayDlqDepthAlarm', this.relayDlq, `hotline-${stage}-relay-dlq-depth`, props.alarmTopic, 'Case changes could not be relayed');
    notifyingAlarm(this, 'RelayIteratorAgeAlarm', {
      alarmName: `hotline-${stage}-relay-iterator-age`,
      description:
        'The relay is more than 5 minutes behind the case table: events, new tickets and timers are waiting (the bus, SQS or the scheduler failing, or a record that keeps failing).',
      metric: this.relayFunction.metric('IteratorAge', { period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 5 * 60 * 1000,
      topic: props.alarmTopic,
    });

    // --- HTTP API -----------------------------------------------------------------------------------------------
    this.api = new HttpApi(this, 'HttpApi', {
      apiName: `hotline-${stage}`,
      description: `Hotline integration (${stage}): inbound tickets from the 12345 and 12309 hotline systems`,
      createDefaultStage: false,
      // The web console calls the agency API from the browser: exactly its origin, nothing else.
      ...(props.console
        ? {
            corsPreflight: {
              allowOrigins: [props.console.site.origin],
              allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST],
              allowHeaders: ['authorization', 'content-type'],
              exposeHeaders: ['content-disposition'],
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      logGroupName: `/aws/apigateway/hotline-${stage}/access`,
      retention: props.logRetentionDays,
      encryptionKey: props.key,
    });
    this.apiStage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // No headers, no body: the signature and the caller's data stay out of the access log.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationStatus: '$context.integrationStatus',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            error: '$context.error.message',
          }),
        ),
      },
    });
    // --- What the grants above produce that cdk-nag flags ---------------------------------------------------------
    for (const fn of [this.ingestFunction, this.processFunction, this.casesFunction, this.relayFunction]) acknowledgeStandardGrants(fn);

    // --- Deadline timers, status callbacks, feedback (issue 4) ------------------------------------------------------
    // Only the relay (after each saved change) and the deadlines function (after a firing) set timers.
    const deadlines = new DeadlineTimers(this, 'DeadlineTimers', { ...props, schedulers: [this.relayFunction] });
    const callbacks = new StatusCallbacks(this, 'StatusCallbacks', props);
    const feedback = new HotlineFeedback(this, 'Feedback', props);
    // Personal data over time (PIPL): the daily retention job (docs/privacy.md).
    const retention = new PersonalDataRetention(this, 'Retention', props);

    // --- API routes: exactly the route table's -----------------------------------------------------------------------
    const authorizer =
      'userPool' in props.agencyAuth
        ? new HttpUserPoolAuthorizer('AgencyAuthorizer', props.agencyAuth.userPool, { userPoolClients: props.agencyAuth.clients })
        : new HttpJwtAuthorizer('AgencyAuthorizer', props.agencyAuth.issuer, { jwtAudience: props.agencyAuth.audience });
    const integrations: Record<HttpFunctionName, HttpRouteIntegration> = {
      ingest: new HttpLambdaIntegration('IngestIntegration', this.ingestFunction, { payloadFormatVersion: PayloadFormatVersion.VERSION_2_0 }),
      cases: new HttpLambdaIntegration('CasesIntegration', this.casesFunction, { payloadFormatVersion: PayloadFormatVersion.VERSION_2_0 }),
      feedback: new HttpLambdaIntegration('FeedbackIntegration', feedback.feedbackFunction, { payloadFormatVersion: PayloadFormatVersion.VERSION_2_0 }),
    };
    for (const { route, method, path } of apiRoutes()) {
      const auth: AuthKind = route.auth;
      const [added] = this.api.addRoutes({
        path,
        methods: [HttpMethod[method]],
        integration: integrations[route.fn],
        ...(auth === 'agency-jwt' ? { authorizer } : {}),
      });
      if (added && auth === 'hotline-signature') acknowledgeHotlineSignature(added, path, route.fn);
    }

    // --- Alarms -------------------------------------------------------------------------------------------------
    for (const [name, fn] of [
      ['ingest', this.ingestFunction],
      ['process', this.processFunction],
      ['cases', this.casesFunction],
      ['relay', this.relayFunction],
    ] as const) {
      functionAlarms(this, fn, stage, name, props.alarmTopic);
    }
    const fiveMinutes = { period: Duration.minutes(5), statistic: 'Sum' } as const;
    notifyingAlarm(this, 'Api5xxAlarm', {
      alarmName: `hotline-${stage}-api-5xx`,
      description: 'The hotline API answered 5xx in the last 5 minutes (the contract: never a 5xx for bad input).',
      metric: this.api.metricServerError(fiveMinutes),
      threshold: 0,
      topic: props.alarmTopic,
    });

    // --- Day two: the dashboard and the alarms on the functions' own metrics --------------------------------------------
    this.ops = new OpsDashboard(this, 'Ops', {
      stage,
      alarmTopic: props.alarmTopic,
      api: this.api,
      functions: {
        ingest: this.ingestFunction,
        process: this.processFunction,
        cases: this.casesFunction,
        relay: this.relayFunction,
        feedback: feedback.feedbackFunction,
        callbacks: callbacks.callbacksFunction,
        deadlines: deadlines.deadlinesFunction,
        retention: retention.retentionFunction,
      },
      processQueue: props.processQueue,
      callbacksQueue: callbacks.queue,
      deadLetterQueues: {
        process: props.processDlq,
        relay: this.relayDlq,
        callbacks: callbacks.dlq,
        'callbacks delivery': callbacks.deliveryDlq,
        'deadline timers (scheduler)': deadlines.deadLetterQueue,
        'deadline timers (function)': deadlines.failedInvocations,
      },
    });

    // --- Outputs ------------------------------------------------------------------------------------------------
    if (props.console)
      new ConsoleDeployment(this, 'Console', {
        site: props.console.site,
        logRetentionDays: props.logRetentionDays,
        config: { apiUrl: this.api.apiEndpoint, auth: props.console.auth },
      });
    new CfnOutput(this, 'ApiUrl', { value: this.apiStage.url, description: 'Base URL: POST <url>v1/hotlines/{12345|12309}/tickets' });
    for (const source of HOTLINE_SOURCES) {
      new CfnOutput(this, `HotlineSecretArn${source}`, {
        value: props.hotlineSecrets[source].secretArn,
        description: `Secrets Manager ARN of the HMAC shared secret for the ${source} hotline`,
      });
    }
  }

  private fn(
    name: FunctionName,
    props: StatelessStackProps,
    p: Pick<HotlineFunctionProps, 'description' | 'memorySize' | 'timeout' | 'environment'>,
  ): NodejsFunction {
    return hotlineNodeFunction(this, {
      ...p,
      name,
      entry: FUNCTION_ENTRIES[name],
      assets: functionAssets(name, routerModelFile),
      stage: props.stage,
      logRetentionDays: props.logRetentionDays,
      key: props.key,
    });
  }
}

/** A hotline route has no authorizer on purpose: the function verifies the request's HMAC signature. */
function acknowledgeHotlineSignature(route: IConstruct, path: string, fn: HttpFunctionName): void {
  Validations.of(route).acknowledge(
    {
      id: 'AwsSolutions-APIG4',
      reason: `${path} is called by a hotline system, not a user: every request is authenticated in the ${fn} function by an HMAC-SHA256 signature (X-Hotline-Signature) with that hotline's shared secret and a 300 s replay window (spec §3); unsigned or wrongly signed requests get 401.`,
    },
    {
      id: 'AwsSolutions-COG4',
      reason: `No Cognito users call ${path}: the hotline system authenticates each request by HMAC signature, verified in the ${fn} function.`,
    },
  );
}

/** Item-level read/write on one table (no Scan, no index, no table admin), plus the table's KMS key. */
const TABLE_DATA_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:DescribeTable',
];

/**
 * Like `table.grantReadWriteData()` but without its `<table>/index/*` resource (neither function queries an index)
 * and without Scan. TransactWriteItems is authorized per item through Put/Update/Delete/ConditionCheckItem.
 */
function grantTableData(fn: NodejsFunction, table: ITable, key: IKey): void {
  fn.addToRolePolicy(new PolicyStatement({ actions: TABLE_DATA_ACTIONS, resources: [table.tableArn] }));
  key.grantEncryptDecrypt(fn);
}
