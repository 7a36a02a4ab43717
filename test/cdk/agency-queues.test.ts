/**
 * Agency queues (config/agencies.json `queueConsumers`): every agency keeps a queue, retained when it leaves the
 * directory; only an agency that consumes by queue gets a consumer role and the alarms a consumer can trip.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { directoryFromJson } from '../../functions/domain/directory/directory.js';
import { resourcesOf, synth, type Synthesized } from './synth.js';

const DIRECTORY = {
  defaultRegion: '150300',
  kinds: { 'dispatch-center': '分拨中心', 'market-regulation': '市场监督管理局', tax: '税务局' },
  regions: [{ code: '150300', name: '乌海市', parent: null, kinds: '*' as const, queueConsumers: ['market-regulation'] }],
};

let s: Synthesized;
let t: Template;
const QUEUE = 'hotline-dev-agency-150300-market-regulation';

beforeAll(() => {
  s = synth({}, { directory: directoryFromJson(DIRECTORY) });
  t = Template.fromStack(s.stateful.agencyRouting.get('150300')!);
}, 120_000);

const logicalIdOf = (queueName: string) => {
  const res = resourcesOf(t);
  return Object.keys(res).find((k) => res[k]?.Properties?.QueueName === queueName)!;
};
const alarmsOn = (queueName: string) =>
  Object.values(resourcesOf(t)).filter(
    (r) => r.Type === 'AWS::CloudWatch::Alarm' && JSON.stringify(r.Properties?.Dimensions).includes(`"${logicalIdOf(queueName)}"`),
  );

describe('agency queues', () => {
  it('retains every agency queue, its DLQ and its delivery DLQ (an agency that leaves the directory leaves them behind)', () => {
    const queues = Object.values(resourcesOf(t)).filter((r) => r.Type === 'AWS::SQS::Queue');
    expect(queues).toHaveLength(3 * 3);
    for (const q of queues) expect(q, String(q.Properties?.QueueName)).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('gives the consuming agency a role that may receive, delete and decrypt on its own queue only, assumable from this account', () => {
    t.resourceCountIs('AWS::IAM::Role', 1);
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] } },
          },
        ],
      },
    });
    const policies = Object.values(resourcesOf(t)).filter((r) => r.Type === 'AWS::IAM::Policy');
    expect(policies).toHaveLength(1);
    const statements = (policies[0]!.Properties!.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement;
    const sqs = statements.find((st) => JSON.stringify(st.Action).includes('sqs:ReceiveMessage'))!;
    expect(sqs.Action).toEqual(expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility']));
    expect(sqs.Resource).toEqual({ 'Fn::GetAtt': [logicalIdOf(QUEUE), 'Arn'] });
    expect(JSON.stringify(statements)).not.toContain('sqs:SendMessage');
    expect(statements.some((st) => JSON.stringify(st.Action).includes('kms:Decrypt'))).toBe(true);
    expect(s.stateful.agencyRouting.get('150300')!.consumerRoles.has('150300:market-regulation')).toBe(true);
  });

  it('alarms on the consumer queue age and DLQ; on the others only on the delivery DLQ', () => {
    expect(alarmsOn(QUEUE).map((a) => a.Properties?.MetricName)).toEqual(['ApproximateAgeOfOldestMessage']);
    expect(alarmsOn(`${QUEUE}-dlq`).map((a) => a.Properties?.MetricName)).toEqual(['ApproximateNumberOfMessagesVisible']);
    expect(alarmsOn(`${QUEUE}-delivery-dlq`)).toHaveLength(1);
    for (const other of ['hotline-dev-agency-150300-tax', 'hotline-dev-agency-150300-dispatch-center']) {
      expect(alarmsOn(other), other).toHaveLength(0);
      expect(alarmsOn(`${other}-dlq`), other).toHaveLength(0);
      expect(alarmsOn(`${other}-delivery-dlq`).map((a) => a.Properties?.MetricName)).toEqual(['ApproximateNumberOfMessagesVisible']);
    }
    t.resourceCountIs('AWS::CloudWatch::Alarm', 3 + 2);
  });
});
