/**
 * cdk-nag AwsSolutions over the whole app. cdk-nag 3 is a CDK policy-validation plugin: findings are no longer
 * annotations but a validation report, and any unacknowledged finding (error or warning) fails `app.synth()`.
 * So: synth must succeed, a direct run of the pack over the app must find nothing, and each acknowledgment must be
 * one we meant, with a reason.
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { cdkJsonContext, synth, type Synthesized } from './synth.js';

let s: Synthesized;

beforeAll(() => {
  s = synth();
});

function acknowledgments(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, unknown>).map(([id, v]) => ({
          path: c.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason: typeof v === 'string' ? v : JSON.stringify(v),
        })),
      ),
  );
}

describe('cdk-nag AwsSolutions', () => {
  it('finds no unacknowledged error or warning in any stack, nested stacks included', () => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(s.app);
    const findings = report.violations.map((v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('leaves no error or warning annotation on any stack', () => {
    // What Annotations.fromStack(stack).findError/findWarning read, for all stacks of the one synthesized assembly.
    const bad = s.assembly.stacks.flatMap((st) => st.messages).filter((m) => m.level === 'error' || m.level === 'warning');
    expect(bad.map((m) => `${m.id}: ${String(m.entry.data)}`)).toEqual([]);
  });

  it('acknowledges only the expected findings, each on a specific construct with a specific reason', () => {
    // aws-cdk-lib acknowledges cfn-lint's W3045 itself on a bucket that receives S3 access logs (a CDK decision, not ours).
    const acks = acknowledgments(s.app).filter((a) => a.id !== 'CloudFormation-Validate::W3045');
    const ids = [...new Set(acks.map((a) => a.id))].sort();
    // The web console's (lib/console-site.ts): CloudFront's geo restriction, WAF and default-certificate TLS; the
    // log bucket's own access log; CDK's BucketDeployment grants and provider runtime.
    const consoleIds = [
      'AwsSolutions-CFR1',
      'AwsSolutions-CFR2',
      'AwsSolutions-CFR4',
      'AwsSolutions-IAM5[Action::s3:Abort*]',
      'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
      'AwsSolutions-IAM5[Action::s3:GetBucket*]',
      'AwsSolutions-IAM5[Action::s3:GetObject*]',
      'AwsSolutions-IAM5[Action::s3:List*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::hotline-dev-console-<AWS::AccountId>-<AWS::Region>/*]',
      'AwsSolutions-L1',
      'AwsSolutions-S1',
    ];
    expect(ids).toEqual(
      [
        'AwsSolutions-APIG4',
        'AwsSolutions-COG4',
        'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        'AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
        'AwsSolutions-IAM5[Resource::*]',
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/hotline-dev/*]',
        'AwsSolutions-SMG4',
        'AwsSolutions-SQS3',
        ...consoleIds,
      ].sort(),
    );
    for (const a of acks) {
      expect(a.reason.length, `${a.id} at ${a.path}`).toBeGreaterThan(40);
      expect(a.path.split('/').length, `${a.id} should sit on a resource, not a whole stack`).toBeGreaterThan(1);
    }
    // SQS3 only on queues that are DLQs themselves: EventBridge delivery DLQs, the relay's and the deadlines function's
    // on-failure destinations.
    for (const a of acks.filter((x) => x.id === 'AwsSolutions-SQS3')) expect(a.path).toMatch(/\/(DeliveryDlq|RelayDlq|FailedInvocationsDlq)$/);
    // Resource::* only for the stream event source's dynamodb:ListStreams, on the relay's role.
    for (const a of acks.filter((x) => x.id === 'AwsSolutions-IAM5[Resource::*]')) expect(a.path).toMatch(/\/Relay\/ServiceRole$|RelayRole/);
    // The console's only on the console's own constructs: the distribution, its log bucket, the deployment's role and
    // the BucketDeployment provider.
    for (const a of acks.filter((x) => consoleIds.includes(x.id)))
      expect(a.path).toMatch(/^Hotline-dev-Console\/(Distribution|Logs)$|^Hotline-dev-Stateless\/(Console\/Role|Custom::CDKBucketDeployment\w+)$/);
  });

  it('fails synthesis on a new unacknowledged finding', () => {
    const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Probe');
    new Queue(stack, 'Plain'); // no DLQ, no SSL enforcement
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS3|AwsSolutions-SQS4/);
  });
});
