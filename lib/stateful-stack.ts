/**
 * Everything that holds data or identity and must outlive a redeploy of the code: the KMS key, the case table,
 * the event bus and its archive, the process queue, the hotline secrets, the alarm topic,
 * and (in one nested stack per region) the agency queues and their routing rules generated from the directory.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { AccountPrincipal, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { type CfnSecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { CASE_TABLE, QUEUE_ATTRIBUTES } from '../functions/adapters/aws/case-table.js';
import type { AgencyDirectory } from '../functions/domain/directory/directory.js';
import { AgencyIdentity } from './agency-identity.js';
import { AgencyRoutingStack } from './agency-routing-stack.js';
import { EventSchemaRegistry } from './event-schema-registry.js';
import { dlqDepthAlarm, queueAgeAlarm } from './alarms.js';
import { EVENT_SOURCE, HOTLINE_SOURCES, PROCESS_QUEUE_VISIBILITY_TIMEOUT, type AppConfig, type HotlineSource } from './config.js';
import { logsServiceHost, secretsManagerHost } from './partition.js';
import { assertUniqueAgencyNames, eventArchiveName, eventBusName, regionStackId } from './naming.js';

/** Alarm when the process queue's oldest message has waited this long: the pipeline is stalled. */
export const PROCESS_QUEUE_MAX_AGE = Duration.minutes(5);

export interface StatefulStackProps extends StackProps {
  readonly config: AppConfig;
  readonly directory: AgencyDirectory;
}

export class StatefulStack extends Stack {
  readonly config: AppConfig;
  readonly key: Key;
  /** Envelope key of callers' contact details only: ingest encrypts, the agency API decrypts, nothing else. */
  readonly contactKey: Key;
  readonly table: Table;
  readonly eventBus: EventBus;
  readonly processQueue: Queue;
  readonly processDlq: Queue;
  readonly hotlineSecrets: Readonly<Record<HotlineSource, Secret>>;
  /** The key of the caller key (repeat callers, 重复诉求合并). */
  readonly callerKeySecret: Secret;
  readonly alarmTopic: Topic;
  /** One nested stack per directory region, keyed by region code. */
  readonly agencyRouting: ReadonlyMap<string, AgencyRoutingStack>;
  /** Agency queue by agency id, across all regions. */
  readonly agencyQueues: ReadonlyMap<string, Queue>;
  /** The default issuer of agency API tokens; absent when the deployer names its own (context jwtIssuer). */
  readonly agencyIdentity?: AgencyIdentity;
  /** Validated callback URLs per hotline (spec §10); delivery is not wired yet. */
  readonly hotlineCallbackUrls: AppConfig['hotlineCallbackUrls'];

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config, directory } = props;
    const { stage } = config;
    this.config = config;
    this.hotlineCallbackUrls = config.hotlineCallbackUrls;

    if (!config.agencyJwt) this.agencyIdentity = new AgencyIdentity(this, 'AgencyIdentity', { stage, directory });

    // --- Encryption -------------------------------------------------------------------------------------------
    // Retained: the retained table and secrets are unreadable without it.
    this.key = new Key(this, 'Key', {
      alias: `alias/hotline-${stage}`,
      description: `Hotline integration (${stage}): case data, queues, secrets, alarm topic, logs`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
    this.contactKey = new Key(this, 'ContactKey', {
      alias: `alias/hotline-${stage}-contact`,
      description: `Hotline integration (${stage}): callers' names, phones and ID numbers (PIPL), field-level`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
    // CloudWatch alarms publish to the KMS-encrypted alarm topic (documented key policy for alarm → encrypted SNS).
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToUseKeyForEncryptedTopic',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    // CloudWatch Logs encrypts this account's log groups (Lambda and API access logs) with the key.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchLogsForThisAccountsLogGroups',
        principals: [new ServicePrincipal(logsServiceHost(this))], // amazonaws.com.cn in China
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${this.partition}:logs:${this.region}:${this.account}:log-group:*` },
        },
      }),
    );

    // --- Case store (key and index names shared with the DynamoDB adapter) ------------------------------------
    this.table = new Table(this, 'CaseTable', {
      tableName: `hotline-${stage}-cases`,
      partitionKey: { name: CASE_TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: CASE_TABLE.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // The transactional outbox: every saved case version reaches the relay function through the stream (change
      // data capture: no outbox item is written, so a ticket costs no extra write).
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
      // Audit records expire after the retention policy's `auditRecordDays` (docs/privacy.md).
      timeToLiveAttribute: CASE_TABLE.expiresAt,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Agency work queues: an agency's cases by status (spec §5, GET /v1/agencies/{agencyId}/cases?status=),
    // projecting only what a listing shows, so a case write costs the index a small item.
    this.table.addGlobalSecondaryIndex({
      indexName: CASE_TABLE.workIndex.name,
      partitionKey: { name: CASE_TABLE.workIndex.partitionKey, type: AttributeType.STRING },
      sortKey: { name: CASE_TABLE.workIndex.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.INCLUDE,
      nonKeyAttributes: [...QUEUE_ATTRIBUTES],
    });
    // A region's similar-case clusters, newest first (GET /v1/clusters?region=).
    this.table.addGlobalSecondaryIndex({
      indexName: CASE_TABLE.clusterIndex.name,
      partitionKey: { name: CASE_TABLE.clusterIndex.partitionKey, type: AttributeType.STRING },
      sortKey: { name: CASE_TABLE.clusterIndex.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });

    // The retention job's work list: closed cases with an erasure ahead, by close time (sparse, keys only; docs/privacy.md).
    this.table.addGlobalSecondaryIndex({
      indexName: CASE_TABLE.retentionIndex.name,
      partitionKey: { name: CASE_TABLE.retentionIndex.partitionKey, type: AttributeType.STRING },
      sortKey: { name: CASE_TABLE.retentionIndex.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.KEYS_ONLY,
    });

    // --- Events -----------------------------------------------------------------------------------------------
    this.eventBus = new EventBus(this, 'EventBus', {
      eventBusName: eventBusName(stage),
      description: `Hotline integration (${stage}): case and ticket events, source ${EVENT_SOURCE}`,
    });
    this.eventBus.archive('Archive', {
      archiveName: eventArchiveName(stage),
      description: `Every ${EVENT_SOURCE} event, for replay`,
      eventPattern: { source: [EVENT_SOURCE] },
      retention: Duration.days(config.logRetentionDays),
    });
    new EventSchemaRegistry(this, 'EventSchemas', { stage });

    // --- Ingest → process queue -------------------------------------------------------------------------------
    const encrypted = { encryption: QueueEncryption.KMS, encryptionMasterKey: this.key, enforceSSL: true } as const;
    this.processDlq = new Queue(this, 'ProcessDlq', {
      ...encrypted,
      queueName: `hotline-${stage}-process-dlq`,
      retentionPeriod: Duration.days(14),
    });
    this.processQueue = new Queue(this, 'ProcessQueue', {
      ...encrypted,
      queueName: `hotline-${stage}-process`,
      visibilityTimeout: PROCESS_QUEUE_VISIBILITY_TIMEOUT,
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.processDlq, maxReceiveCount: 5 },
    });

    // --- Hotline shared secrets (HMAC) ------------------------------------------------------------------------
    // The secrets are encrypted with the data key, but the key is set on the CloudFormation resource, not through the
    // Secret construct's `encryptionKey`: aws-cdk-lib (2.276) then writes a key-policy statement whose kms:ViaService
    // is `secretsmanager.<region>.amazonaws.com`, a hostname that does not exist in the China partition (there it is
    // `….amazonaws.com.cn`), so the statement would never match there. The same statement is written here once, with
    // the partition's URL suffix.
    const secrets = {} as Record<HotlineSource, Secret>;
    for (const source of HOTLINE_SOURCES) {
      const secret = new Secret(this, `HotlineSecret${source}`, {
        secretName: `hotline/${stage}/${source}`,
        description: `HMAC-SHA256 shared secret the ${source} hotline system signs its ticket requests with (X-Hotline-Signature)`,
        generateSecretString: { passwordLength: 64, excludePunctuation: true },
        removalPolicy: RemovalPolicy.RETAIN,
      });
      (secret.node.defaultChild as CfnSecret).kmsKeyId = this.key.keyArn;
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'Shared HMAC secret that the external hotline system holds too: rotation is a change coordinated with that operator (new value agreed, then stored here), so automatic rotation would break inbound signing.',
      });
      secrets[source] = secret;
    }
    this.hotlineSecrets = secrets;
    // What Secret would add for its encryption key (encrypt, decrypt, grants for this account's principals, only
    // through Secrets Manager), with the partition's hostname.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowSecretsManagerForThisAccount',
        principals: [new AccountPrincipal(this.account)],
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:DescribeKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'kms:ViaService': secretsManagerHost(this) } },
      }),
    );

    // The key of the caller key (重复诉求合并): an HMAC of the normalised phone under this secret compares repeat
    // callers without storing the phone. Never shared with anyone; rotating it only stops repeats across the change.
    this.callerKeySecret = new Secret(this, 'CallerKeySecret', {
      secretName: `hotline/${stage}/caller-key`,
      description: 'HMAC-SHA256 key of the caller key that finds repeat callers (重复诉求合并) without storing their phone',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Encrypted with the data key set on the resource, as the hotline secrets above (no China-invalid hostname).
    (this.callerKeySecret.node.defaultChild as CfnSecret).kmsKeyId = this.key.keyArn;
    Validations.of(this.callerKeySecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Keyed-hash key, not a credential: a rotation would make every open case unreachable by caller for its merge window, so it is rotated by hand when needed (the merge then restarts from new tickets).',
    });

    // --- Alarms -----------------------------------------------------------------------------------------------
    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      topicName: `hotline-${stage}-alarms`,
      displayName: `Hotline integration (${stage}) alarms`,
      masterKey: this.key,
      enforceSSL: true,
    });
    if (config.alarmEmail) this.alarmTopic.addSubscription(new EmailSubscription(config.alarmEmail));
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn, description: 'Subscribe on-call here' });

    dlqDepthAlarm(this, 'ProcessDlqDepthAlarm', this.processDlq, `hotline-${stage}-process-dlq-depth`, this.alarmTopic, 'Ticket processing failed 5 times');
    queueAgeAlarm(
      this,
      'ProcessQueueAgeAlarm',
      this.processQueue,
      PROCESS_QUEUE_MAX_AGE,
      `hotline-${stage}-process-oldest-message-age`,
      this.alarmTopic,
      'Ticket processing',
    );

    // --- Agency queues and routing rules, generated from the directory ----------------------------------------
    const agencies = directory.list();
    assertUniqueAgencyNames(stage, agencies);
    const routing = new Map<string, AgencyRoutingStack>();
    const queues = new Map<string, Queue>();
    for (const region of directory.listRegions()) {
      const inRegion = agencies.filter((a) => a.regionCode === region.code);
      if (inRegion.length === 0) continue;
      const nested = new AgencyRoutingStack(this, regionStackId(region.code), {
        stage,
        region,
        agencies: inRegion,
        eventBus: this.eventBus,
        key: this.key,
        alarmTopic: this.alarmTopic,
      });
      routing.set(region.code, nested);
      for (const [agencyId, q] of nested.queues) queues.set(agencyId, q);
    }
    this.agencyRouting = routing;
    this.agencyQueues = queues;

    new CfnOutput(this, 'EventBusName', { value: this.eventBus.eventBusName });
    new CfnOutput(this, 'CaseTableName', { value: this.table.tableName });
    new CfnOutput(this, 'AgencyQueueNamePattern', {
      value: `hotline-${stage}-agency-<regionCode>-<kind with . replaced by ->`,
      description: 'Agency queue names, one per directory agency (DLQ: <name>-dlq, undeliverable events: <name>-delivery-dlq)',
    });
  }
}
