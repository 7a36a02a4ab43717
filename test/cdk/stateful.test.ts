import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { directory } from '../../functions/config/directory.js';
import { directoryFromJson } from '../../functions/domain/directory/directory.js';
import { jsonSchemaOf, registrySchemaName, registrySchemaOf } from '../../events/json-schemas.js';
import { EVENT_SCHEMAS, type EventType } from '../../events/schemas.js';
import { PROCESS_TIMEOUT } from '../../lib/config.js';
import { resourcesOf, synth, type Synthesized } from './synth.js';

let s: Synthesized;
let stateful: Template;
let nested: Map<string, Template>;

beforeAll(() => {
  s = synth();
  stateful = Template.fromStack(s.stateful);
  nested = new Map([...s.stateful.agencyRouting].map(([code, stack]) => [code, Template.fromStack(stack)]));
});

describe('stateful stack: data', () => {
  it('has two rotating customer-managed KMS keys that outlive the stack: data, and contacts alone', () => {
    stateful.resourcePropertiesCountIs('AWS::KMS::Key', { EnableKeyRotation: true }, 2);
    stateful.resourceCountIs('AWS::KMS::Key', 2);
    for (const r of Object.values(resourcesOf(stateful)).filter((r) => r.Type === 'AWS::KMS::Key')) {
      expect(r).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
    stateful.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/hotline-dev-contact' });
  });

  it('has the case table: pk/sk strings, on demand, KMS, PITR, deletion protection, retained, the agency queue index (a listing’s fields), the region cluster index, the retention index and TTL', () => {
    stateful.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: {
        TableName: 'hotline-dev-cases',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: Match.arrayWith([
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'queuePk', AttributeType: 'S' },
          { AttributeName: 'queueSk', AttributeType: 'S' },
          { AttributeName: 'clustersPk', AttributeType: 'S' },
          { AttributeName: 'clustersSk', AttributeType: 'S' },
          { AttributeName: 'retentionPk', AttributeType: 'S' },
          { AttributeName: 'retentionSk', AttributeType: 'S' },
        ]),
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        // The transactional outbox: the relay reads every case version, before and after, from the stream.
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        DeletionProtectionEnabled: true,
        // Audit records expire (config/retention-policy.json auditRecordDays).
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        GlobalSecondaryIndexes: [
          {
            IndexName: 'agencyQueue',
            KeySchema: [
              { AttributeName: 'queuePk', KeyType: 'HASH' },
              { AttributeName: 'queueSk', KeyType: 'RANGE' },
            ],
            // Only what a queue listing shows: a case write does not copy the whole case into the index.
            Projection: {
              ProjectionType: 'INCLUDE',
              NonKeyAttributes: ['caseId', 'kind', 'status', 'agencyId', 'decision', 'urgency', 'dueAt', 'receivedAt', 'regionCode'],
            },
          },
          {
            IndexName: 'regionClusters',
            KeySchema: [
              { AttributeName: 'clustersPk', KeyType: 'HASH' },
              { AttributeName: 'clustersSk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
          {
            // The retention job's work list: closed cases by close time, keys only (docs/privacy.md).
            IndexName: 'retentionDue',
            KeySchema: [
              { AttributeName: 'retentionPk', KeyType: 'HASH' },
              { AttributeName: 'retentionSk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
      },
    });
  });

  it('has no idempotency table: the versioned case write makes a redelivery harmless', () => {
    stateful.resourceCountIs('AWS::DynamoDB::Table', 1);
  });

  it('has one KMS-encrypted HMAC secret per hotline source, and the caller-key secret (repeat callers)', () => {
    stateful.resourceCountIs('AWS::SecretsManager::Secret', 3);
    for (const source of ['12345', '12309', 'caller-key']) {
      stateful.hasResourceProperties('AWS::SecretsManager::Secret', {
        Name: `hotline/dev/${source}`,
        KmsKeyId: Match.anyValue(),
        GenerateSecretString: Match.objectLike({ PasswordLength: 64 }),
      });
    }
  });
});

describe('stateful stack: events and queues', () => {
  it('has the bus hotline-dev and an archive of every hotline.integration event for 365 days', () => {
    stateful.hasResourceProperties('AWS::Events::EventBus', { Name: 'hotline-dev' });
    stateful.hasResourceProperties('AWS::Events::Archive', {
      EventPattern: { source: ['hotline.integration'] },
      RetentionDays: 365,
    });
  });

  it('has the process queue: KMS, SSL only, DLQ after 5 receives, visibility ≥ 6× the process timeout', () => {
    const queues = resourcesOf(stateful);
    const processQueue = Object.values(queues).find((r) => r.Type === 'AWS::SQS::Queue' && r.Properties?.QueueName === 'hotline-dev-process');
    expect(processQueue?.Properties).toMatchObject({
      KmsMasterKeyId: expect.anything(),
      RedrivePolicy: { maxReceiveCount: 5, deadLetterTargetArn: expect.anything() },
    });
    expect(processQueue?.Properties?.VisibilityTimeout).toBeGreaterThanOrEqual(6 * PROCESS_TIMEOUT.toSeconds());
    stateful.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'hotline-dev-process-dlq', KmsMasterKeyId: Match.anyValue() });
    // enforceSSL on both
    stateful.resourcePropertiesCountIs(
      'AWS::SQS::QueuePolicy',
      { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) } },
      2,
    );
  });

  it('has a KMS-encrypted alarm topic, with no email subscription unless alarmEmail is set', () => {
    stateful.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'hotline-dev-alarms', KmsMasterKeyId: Match.anyValue() });
    stateful.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});

describe('agency routing generated from the directory', () => {
  const agencies = directory.list();
  const all = () => [...nested.values()].flatMap((t) => Object.values(resourcesOf(t)));

  it('has one nested stack per directory region', () => {
    expect([...nested.keys()].sort()).toEqual(
      directory
        .listRegions()
        .map((r) => r.code)
        .sort(),
    );
    stateful.resourceCountIs('AWS::CloudFormation::Stack', directory.listRegions().length);
  });

  it('has exactly one rule, one queue, one DLQ and one delivery DLQ per agency', () => {
    expect(agencies.length).toBeGreaterThan(100);
    const rules = all().filter((r) => r.Type === 'AWS::Events::Rule');
    const queueNames = all()
      .filter((r) => r.Type === 'AWS::SQS::Queue')
      .map((r) => String(r.Properties?.QueueName));
    expect(rules).toHaveLength(agencies.length);
    expect(queueNames).toHaveLength(agencies.length * 3);
    expect(new Set(queueNames).size).toBe(queueNames.length);
    for (const a of agencies) {
      const base = `hotline-dev-agency-${a.id.replace(/[:.]/g, '-')}`;
      expect(queueNames).toEqual(expect.arrayContaining([base, `${base}-dlq`, `${base}-delivery-dlq`]));
    }
    const ruleAgencies = rules.map((r) => (r.Properties!.EventPattern as { detail: { agencyId: string[] } }).detail.agencyId[0]);
    expect(ruleAgencies.sort()).toEqual(agencies.map((a) => a.id).sort());
  });

  it("routes 150302:market-regulation's Case.Dispatched events on the hotline bus to its queue, with retries and a DLQ", () => {
    const t = nested.get('150302');
    expect(t).toBeDefined();
    const res = resourcesOf(t!);
    const queueId = Object.keys(res).find((k) => res[k]?.Properties?.QueueName === 'hotline-dev-agency-150302-market-regulation');
    const deliveryDlqId = Object.keys(res).find((k) => res[k]?.Properties?.QueueName === 'hotline-dev-agency-150302-market-regulation-delivery-dlq');
    t!.hasResourceProperties('AWS::Events::Rule', {
      Name: 'hotline-dev-agency-150302-market-regulation',
      EventBusName: Match.anyValue(),
      EventPattern: Match.objectEquals({
        source: ['hotline.integration'],
        'detail-type': ['Case.Dispatched'],
        detail: { agencyId: ['150302:market-regulation'] },
      }),
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [queueId, 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [deliveryDlqId, 'Arn'] } },
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
        }),
      ],
    });
    t!.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'hotline-dev-agency-150302-market-regulation',
      KmsMasterKeyId: Match.anyValue(),
      RedrivePolicy: { maxReceiveCount: 5, deadLetterTargetArn: Match.anyValue() },
    });
    // EventBridge may send to the agency queue (this account only) and, for its rule only, to the delivery DLQ.
    t!.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: Match.arrayWith(['sqs:SendMessage']),
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
  });

  it('lets EventBridge use the key for the encrypted agency queues, from this account only', () => {
    stateful.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'events.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
  });

  it('takes the agencies from whatever directory it is given, and the parameters from context', () => {
    const small = directoryFromJson({
      defaultRegion: '150300',
      kinds: { 'dispatch-center': '分拨中心', 'market-regulation': '市场监督管理局' },
      regions: [{ code: '150300', name: '乌海市', parent: null, kinds: '*' }],
    });
    const other = synth({ stage: 'test', alarmEmail: 'oncall@example.org', logRetentionDays: 731 }, { directory: small });
    expect([...other.stateful.agencyQueues.keys()].sort()).toEqual(['150300:dispatch-center', '150300:market-regulation']);
    Template.fromStack(other.stateful.agencyRouting.get('150300')!).resourceCountIs('AWS::Events::Rule', 2);
    // ... and the other context parameters reach their resources.
    const t = Template.fromStack(other.stateful);
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.org' });
    t.hasResourceProperties('AWS::Events::EventBus', { Name: 'hotline-test' });
    t.hasResourceProperties('AWS::Events::Archive', { RetentionDays: 731 });
    Template.fromStack(other.stateless).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 731 });
  });
});

describe('alarms', () => {
  type Res = ReturnType<typeof resourcesOf>;
  const alarmsOn = (res: Res, metric: string, queueLogicalId: string) =>
    Object.values(res).filter(
      (r) =>
        r.Type === 'AWS::CloudWatch::Alarm' &&
        r.Properties?.MetricName === metric &&
        JSON.stringify(r.Properties?.Dimensions) === JSON.stringify([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueLogicalId, 'QueueName'] } }]),
    );

  it('alarms on the depth of every DLQ and the oldest-message age of every other queue, notifying the topic; an agency queue nobody consumes only on its delivery DLQ', () => {
    // The deployed directory names no queue consumer (config/agencies.json `queueConsumers`): test/cdk/agency-queues.test.ts has one.
    expect(directory.list().filter((a) => a.consumesByQueue)).toEqual([]);
    let dlqs = 0;
    let queues = 0;
    let silent = 0;
    for (const t of [stateful, ...nested.values()]) {
      const res = resourcesOf(t);
      for (const [id, r] of Object.entries(res)) {
        if (r.Type !== 'AWS::SQS::Queue') continue;
        const name = String(r.Properties?.QueueName);
        const isDlq = name.endsWith('dlq');
        const alarms = alarmsOn(res, isDlq ? 'ApproximateNumberOfMessagesVisible' : 'ApproximateAgeOfOldestMessage', id);
        if (name.startsWith('hotline-dev-agency-') && !name.endsWith('-delivery-dlq')) {
          expect(alarms, `no alarm for ${name}`).toHaveLength(0);
          silent++;
          continue;
        }
        expect(alarms, `alarm for ${name}`).toHaveLength(1);
        expect(alarms[0]?.Properties).toMatchObject({ ComparisonOperator: 'GreaterThanThreshold', AlarmActions: [expect.anything()] });
        if (isDlq) expect(alarms[0]?.Properties?.Threshold).toBe(0);
        if (isDlq) dlqs++;
        else queues++;
      }
    }
    expect(dlqs).toBe(1 + directory.list().length);
    expect(queues).toBe(1);
    expect(silent).toBe(2 * directory.list().length);
  });
});

describe('stateful stack: event schema registry', () => {
  it('registers every event type of events/schemas.ts, as draft 4 JSON Schema of the whole event, converted from the same zod schema', () => {
    stateful.hasResourceProperties('AWS::EventSchemas::Registry', { RegistryName: 'hotline-dev' });
    const schemas = Object.values(resourcesOf(stateful)).filter((r) => r.Type === 'AWS::EventSchemas::Schema');
    expect(schemas.map((r) => r.Properties?.['SchemaName']).sort()).toEqual((Object.keys(EVENT_SCHEMAS) as EventType[]).map(registrySchemaName).sort());
    for (const r of schemas) {
      const type = String(r.Properties?.['SchemaName']).split('@')[1] as EventType;
      expect(r.Properties).toMatchObject({ Type: 'JSONSchemaDraft4', RegistryName: { 'Fn::GetAtt': [expect.any(String), 'RegistryName'] } });
      const content = JSON.parse(String(r.Properties?.['Content'])) as { properties: { detail: Record<string, unknown> } };
      expect(content).toEqual(registrySchemaOf(type));
      // The same contract as the committed draft 2020-12 file: the same fields, the same required ones.
      const committed = jsonSchemaOf(type) as { properties: Record<string, unknown>; required: string[] };
      expect(Object.keys(content.properties.detail['properties'] as object).sort()).toEqual(Object.keys(committed.properties).sort());
      expect(content.properties.detail['required']).toEqual(committed.required);
      expect(JSON.stringify(r).length).toBeLessThan(100_000); // EventBridge's limit on a schema's content
    }
  });
});

describe('CloudFormation limits', () => {
  it('keeps every stack, nested ones included, under 500 resources', () => {
    const counts = new Map<string, number>([
      [s.stateful.node.path, Object.keys(resourcesOf(stateful)).length],
      [s.stateless.node.path, Object.keys(resourcesOf(Template.fromStack(s.stateless))).length],
      ...[...s.stateful.agencyRouting.values()].map((n) => [n.node.path, Object.keys(resourcesOf(Template.fromStack(n))).length] as const),
    ]);
    for (const [path, n] of counts) expect(n, path).toBeLessThan(500);
  });

  it('would still fit a region that had an agency of every kind', () => {
    // Resources per agency, measured on the biggest region; a region holds at most one agency per kind.
    const [code, t] = [...nested].sort((a, b) => Object.keys(resourcesOf(b[1])).length - Object.keys(resourcesOf(a[1])).length)[0]!;
    const inRegion = directory.list().filter((a) => a.regionCode === code).length;
    const perAgency = Object.keys(resourcesOf(t)).length / inRegion;
    expect(perAgency * Object.keys(directory.kindNames).length).toBeLessThan(500);
  });

  it('keeps every template well under the 1 MB template size limit', () => {
    // Compact JSON here; `cdk synth` adds indentation and aws:cdk:path metadata, hence the margin.
    const templates = [...s.assembly.stacks.map((st) => st.template as unknown), ...[...nested.values()].map((n) => n.toJSON())];
    for (const t of templates) expect(JSON.stringify(t).length).toBeLessThan(500_000);
  });
});
