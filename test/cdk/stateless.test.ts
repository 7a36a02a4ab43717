import { CASE_RECORD_FILTER } from '../../functions/adapters/aws/dynamo-stream-changes.js';
import { RELAY_FEED } from '../../functions/relay/settings.js';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_RUNTIME, PROCESS_MAX_CONCURRENCY } from '../../lib/stateless-stack.js';
import { resourcesOf, synth, type Synthesized } from './synth.js';
import { CONTACT_PURPOSE } from '../../functions/adapters/envelope-contact-cipher.js';

let s: Synthesized;
let t: Template;
let templates: Template[];

beforeAll(() => {
  s = synth();
  t = Template.fromStack(s.stateless);
  templates = [Template.fromStack(s.stateful), t, ...[...s.stateful.agencyRouting.values()].map((n) => Template.fromStack(n))];
});

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

/** The statements of the inline policies attached to the role the function with `functionName` runs as. */
function statementsOf(functionName: string): Statement[] {
  const res = resourcesOf(t);
  const fn = Object.values(res).find((r) => r.Type === 'AWS::Lambda::Function' && r.Properties?.FunctionName === functionName);
  const roleId = (fn!.Properties!.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return Object.values(res)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties?.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((r) => (r.Properties!.PolicyDocument as { Statement: Statement[] }).Statement);
}
const actionsOf = (st: Statement[]) => st.filter((x) => x.Effect === 'Allow').flatMap((x) => (Array.isArray(x.Action) ? x.Action : [x.Action]));

describe('functions', () => {
  it('uses the newest Node.js runtime aws-cdk-lib knows', () => {
    const node = Object.entries(Runtime)
      .filter(([k]) => /^NODEJS_\d+_X$/.test(k))
      .map(([k]) => Number(k.split('_')[1]));
    expect(LAMBDA_RUNTIME.name).toBe(`nodejs${Math.max(...node)}.x`);
  });

  it.each([
    [
      'hotline-dev-ingest',
      'hotline-ingest',
      ['TABLE_NAME', 'PROCESS_QUEUE_URL', 'HOTLINE_SECRET_ARN_12345', 'HOTLINE_SECRET_ARN_12309', 'CALLER_KEY_SECRET_ARN'],
    ],
    ['hotline-dev-process', 'hotline-process', ['TABLE_NAME']],
    ['hotline-dev-relay', 'hotline-relay', ['TABLE_NAME', 'EVENT_BUS_NAME', 'PROCESS_QUEUE_URL']],
  ])('%s: arm64, newest Node.js, ESM handler, no tracing by default, own log group, environment', (name, service, vars) => {
    t.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: name,
      Architectures: ['arm64'],
      Runtime: LAMBDA_RUNTIME.name,
      Handler: 'index.handler',
      TracingConfig: Match.absent(),
      LoggingConfig: { LogGroup: { Ref: Match.anyValue() } },
      Environment: {
        Variables: Match.objectLike({
          ...Object.fromEntries(vars.map((v) => [v, Match.anyValue()])),
          POWERTOOLS_SERVICE_NAME: service,
          POWERTOOLS_METRICS_NAMESPACE: 'HotlineIntegration',
          LOG_LEVEL: 'INFO',
          NODE_OPTIONS: '--enable-source-maps',
        }),
      },
    });
  });

  it('gives each function a log group with retention', () => {
    // ingest, process, cases, relay, deadlines, callbacks, feedback, retention + the API access log
    t.resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 365, KmsKeyId: Match.anyValue() }, 9);
    t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/lambda/hotline-dev-ingest' });
    t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/lambda/hotline-dev-process' });
    t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/lambda/hotline-dev-cases' });
  });

  it('feeds the relay from the case table stream: case records only, in order, bisected, retried, partial failures, a DLQ', () => {
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: Match.anyValue(),
      EventSourceArn: Match.anyValue(),
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: RELAY_FEED.batchSize,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: RELAY_FEED.retryAttempts,
      MaximumRecordAgeInSeconds: RELAY_FEED.maxRecordAgeSeconds,
      ParallelizationFactor: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify(CASE_RECORD_FILTER) }] },
    });
    t.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'hotline-dev-relay-dlq', KmsMasterKeyId: Match.anyValue() });
    const actions = actionsOf(statementsOf('hotline-dev-relay'));
    expect(actions).toEqual(
      expect.arrayContaining(['events:PutEvents', 'sqs:SendMessage', 'dynamodb:GetItem', 'dynamodb:GetRecords', 'scheduler:CreateSchedule']),
    );
    // The relay writes nothing to the table.
    expect(actions.filter((a) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(a))).toEqual([]);
  });

  it('gives the deadlines function (invoked asynchronously by the Scheduler) retries and an on-failure DLQ', () => {
    t.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 6 * 3600,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    t.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'hotline-dev-deadlines-failed', KmsMasterKeyId: Match.anyValue() });
  });

  it('feeds process from the process queue: batches of 10, partial batch failures, bounded concurrency', () => {
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.anyValue() },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: PROCESS_MAX_CONCURRENCY },
    });
  });
});

describe('least-privilege IAM', () => {
  it('grants ingest table data, queue send, the two hotline secrets and the caller-key secret, and no bus', () => {
    const st = statementsOf('hotline-dev-ingest');
    const actions = actionsOf(st);
    expect(actions).toEqual(
      expect.arrayContaining([
        'dynamodb:PutItem',
        'dynamodb:ConditionCheckItem',
        'dynamodb:BatchGetItem',
        'dynamodb:GetItem',
        'sqs:SendMessage',
        'secretsmanager:GetSecretValue',
      ]),
    );
    expect(actions).not.toContain('events:PutEvents');
    expect(actions.filter((a) => a.startsWith('sqs:'))).not.toContain('sqs:ReceiveMessage');
    const secrets = st.find((x) => actionsOf([x]).includes('secretsmanager:GetSecretValue'));
    expect(secrets?.Resource).toHaveLength(3);
  });

  it('grants process table data, queue consume, and no bus, scheduler or secrets (the relay publishes)', () => {
    const actions = actionsOf(statementsOf('hotline-dev-process'));
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:UpdateItem', 'sqs:ReceiveMessage', 'sqs:DeleteMessage']));
    expect(actions).not.toContain('events:PutEvents');
    expect(actions.filter((a) => a.startsWith('scheduler:'))).toEqual([]);
    expect(actions.filter((a) => a.startsWith('secretsmanager:'))).toEqual([]);
    expect(actions).not.toContain('sqs:SendMessage');
  });

  it('lets only ingest seal contacts and only the agency API open them, with the contact key', () => {
    const contactKeyUse = (fn: string) =>
      statementsOf(fn)
        .filter((x) => JSON.stringify(x.Resource).includes('ContactKey'))
        .flatMap((x) => actionsOf([x]));
    expect(contactKeyUse('hotline-dev-ingest')).toEqual(['kms:GenerateDataKey']);
    expect(contactKeyUse('hotline-dev-cases')).toEqual(['kms:Decrypt']);
    expect(contactKeyUse('hotline-dev-process')).toEqual([]);
    // Only for contact data keys: the encryption context the cipher sends is required.
    for (const fn of ['hotline-dev-ingest', 'hotline-dev-cases'])
      for (const x of statementsOf(fn).filter((x) => JSON.stringify(x.Resource).includes('ContactKey')))
        expect(x.Condition).toEqual({ StringEquals: { 'kms:EncryptionContext:purpose': CONTACT_PURPOSE } });
  });

  it('grants cases table data, Query on the queue and cluster indexes only, and no bus, scheduler, secrets or queues', () => {
    const st = statementsOf('hotline-dev-cases');
    const actions = actionsOf(st);
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']));
    expect(actions.filter((a) => a.startsWith('events:') || a.startsWith('scheduler:'))).toEqual([]);
    expect(actions.filter((a) => a.startsWith('secretsmanager:') || a.startsWith('sqs:'))).toEqual([]);
    const q = st.find((x) => x.Sid === 'QueryAgencyQueues');
    expect(JSON.stringify(q?.Resource)).toContain('/index/agencyQueue');
    expect(JSON.stringify(q?.Resource)).toContain('/index/regionClusters');
    expect(JSON.stringify(q?.Resource)).not.toContain('/index/*');
  });

  it('with -c tracing=true: active tracing on every function, and the X-Ray grant acknowledged', () => {
    const traced = synth({ tracing: 'true' });
    const fns = [Template.fromStack(traced.stateless)].flatMap((tpl) =>
      Object.values(resourcesOf(tpl)).filter((r) => r.Type === 'AWS::Lambda::Function' && String(r.Properties?.FunctionName).startsWith('hotline-')),
    );
    expect(fns.map((f) => f.Properties?.FunctionName).sort()).toEqual([
      'hotline-dev-callbacks',
      'hotline-dev-cases',
      'hotline-dev-deadlines',
      'hotline-dev-feedback',
      'hotline-dev-ingest',
      'hotline-dev-process',
      'hotline-dev-relay',
      'hotline-dev-retention',
    ]);
    for (const f of fns) expect(f.Properties?.TracingConfig).toEqual({ Mode: 'Active' });
  });

  it('with tracing off, no function has an X-Ray or any * resource statement', () => {
    for (const fn of ['hotline-dev-ingest', 'hotline-dev-process', 'hotline-dev-cases']) expect(statementsOf(fn).filter((x) => x.Resource === '*')).toEqual([]);
  });

  it('uses no wildcard actions, no table scans or admin, and * resources only for X-Ray', () => {
    for (const fn of ['hotline-dev-ingest', 'hotline-dev-process', 'hotline-dev-cases']) {
      const st = statementsOf(fn);
      for (const a of actionsOf(st)) {
        expect(a).not.toMatch(/^\*$|:\*$/);
        expect(a).not.toMatch(/^dynamodb:(Scan|CreateTable|DeleteTable|UpdateTable)$/);
      }
      for (const x of st.filter((x) => x.Resource === '*')) expect(actionsOf([x]).every((a) => a.startsWith('xray:'))).toBe(true);
      // No index wildcard; only the agency API may query, and only the agency index.
      expect(JSON.stringify(st)).not.toContain('/index/*');
      if (fn !== 'hotline-dev-cases') expect(JSON.stringify(st)).not.toContain('/index/');
    }
  });

  it('writes logs only to the function’s own log group (no AWS-managed policies)', () => {
    for (const r of Object.values(resourcesOf(t)).filter((r) => r.Type === 'AWS::IAM::Role')) expect(r.Properties?.ManagedPolicyArns).toBeUndefined();
    const logs = statementsOf('hotline-dev-ingest').find((x) => actionsOf([x]).includes('logs:PutLogEvents'));
    expect(logs?.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^IngestLogs/), 'Arn'] });
  });
});

describe('HTTP API', () => {
  it('routes POST /v1/hotlines/{12345,12309}/tickets to ingest with payload format 2.0', () => {
    t.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    t.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    // 2 ticket routes, 2 feedback routes, 8 agency API routes (3 for cases, 3 for 府检联动, the rates, the audit export)
    t.resourceCountIs('AWS::ApiGatewayV2::Route', 12);
    for (const source of ['12345', '12309']) {
      t.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: `POST /v1/hotlines/${source}/tickets`, AuthorizationType: 'NONE' });
    }
    t.hasResourceProperties('AWS::ApiGatewayV2::Integration', { IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
  });

  it('puts the agency API routes behind the Cognito JWT authorizer by default', () => {
    for (const key of [
      'GET /v1/agencies/{agencyId}/cases',
      'GET /v1/cases/{caseId}',
      'POST /v1/cases/{caseId}/{action}',
      'POST /v1/recommendations',
      'GET /v1/clusters',
      'GET /v1/reports/monthly',
      'GET /v1/audit',
      'GET /v1/reports/kpis',
    ]) {
      t.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: key, AuthorizationType: 'JWT', AuthorizerId: Match.anyValue() });
    }
    t.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'] });
    const stateful = Template.fromStack(s.stateful);
    stateful.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'ON' });
    // One group per agency in the directory (the same source as the queues), plus one per role.
    stateful.resourceCountIs('AWS::Cognito::UserPoolGroup', s.stateful.agencyQueues.size + 4);
    stateful.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: '150302:market-regulation' });
  });

  it("uses the deployer's issuer and audience from context instead of creating a user pool", () => {
    const other = synth({ jwtIssuer: 'https://idp.example.gov.cn/realms/hotline', jwtAudience: 'agency-api,agency-portal' });
    Template.fromStack(other.stateful).resourceCountIs('AWS::Cognito::UserPool', 0);
    Template.fromStack(other.stateless).hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Issuer: 'https://idp.example.gov.cn/realms/hotline', Audience: ['agency-api', 'agency-portal'] },
    });
  });

  it('throttles and access-logs the default stage', () => {
    t.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiAccessLogs'), 'Arn'] }, Format: Match.stringLikeRegexp('requestId') },
    });
  });

  it('outputs the API URL and the secret ARNs', () => {
    for (const o of ['ApiUrl', 'HotlineSecretArn12345', 'HotlineSecretArn12309']) t.hasOutput(o, {});
  });
});

describe('personal data over time (PIPL): the retention job', () => {
  it('runs the retention function daily at 03:00 Asia/Shanghai through a role that may invoke it and nothing else', () => {
    t.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'hotline-dev-retention',
      ScheduleExpression: 'cron(0 3 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: Match.objectLike({ Arn: Match.anyValue(), RoleArn: Match.anyValue(), RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21600 } }),
    });
    t.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'hotline-dev-retention',
      Environment: { Variables: Match.objectLike({ TABLE_NAME: Match.anyValue() }) },
    });
  });

  it('lets the retention function query only its index and write cases, never scan', () => {
    const st = statementsOf('hotline-dev-retention');
    const actions = actionsOf(st);
    expect(actions).toContain('dynamodb:Query');
    expect(actions).toContain('dynamodb:PutItem');
    expect(actions).not.toContain('dynamodb:Scan');
    const query = st.find((x) => actionsOf([x]).includes('dynamodb:Query'));
    expect(JSON.stringify(query?.Resource)).toContain('/index/retentionDue');
    expect(JSON.stringify(st)).not.toContain('/index/*');
    for (const x of st.filter((x) => x.Resource === '*')) expect(actionsOf([x]).every((a) => a.startsWith('xray:'))).toBe(true);
  });
});

describe('alarms', () => {
  it.each([
    ['AWS/Lambda', 'Errors', 8],
    ['AWS/Lambda', 'Throttles', 8],
    ['AWS/ApiGateway', '5xx', 1],
  ])('%s %s > 0 notifies the alarm topic', (namespace, metric, count) => {
    t.resourcePropertiesCountIs(
      'AWS::CloudWatch::Alarm',
      { Namespace: namespace, MetricName: metric, Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', AlarmActions: [Match.anyValue()] },
      count,
    );
  });

  it('sends every alarm in every stack somewhere', () => {
    for (const tpl of templates) {
      for (const r of Object.values(resourcesOf(tpl)).filter((r) => r.Type === 'AWS::CloudWatch::Alarm')) {
        expect(r.Properties?.AlarmActions).toHaveLength(1);
      }
    }
  });
});
