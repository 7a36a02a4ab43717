/**
 * The AWS China partition (aws-cn): `-c region=cn-north-1` (and cn-northwest-1) synthesizes without Cognito (not
 * offered there), with the city's own OIDC issuer, cdk-nag clean, and no regional service hostname written without the
 * partition's URL suffix (amazonaws.com.cn there). Compared with a synth for a commercial region, so the test shows
 * what differs.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { synth, type Synthesized } from './synth.js';

const ISSUER = { jwtIssuer: 'https://sso.example.gov.cn', jwtAudience: 'hotline-agency-api' };
const CHINA = ['cn-north-1', 'cn-northwest-1'] as const;

interface Texts {
  stateful: string;
  stateless: string;
  /** Every template of the app, nested stacks included, by stack path. */
  all: Map<string, string>;
}

const texts = (s: Synthesized): Texts => ({
  stateful: JSON.stringify(Template.fromStack(s.stateful).toJSON()),
  stateless: JSON.stringify(Template.fromStack(s.stateless).toJSON()),
  all: new Map(
    s.app.node
      .findAll()
      .filter((c): c is Stack => Stack.isStack(c))
      .map((st) => [st.node.path, JSON.stringify(Template.fromStack(st).toJSON())]),
  ),
});

const apps = new Map<string, Synthesized>();
const cn = new Map<string, Texts>();
let global: Texts;

beforeAll(() => {
  for (const region of CHINA) {
    const s = synth({ region, ...ISSUER });
    apps.set(region, s);
    cn.set(region, texts(s));
  }
  global = texts(synth({ region: 'ap-southeast-1', ...ISSUER }));
}, 240_000);

/** `"<service>.<region>.amazonaws.com"` (a regional hostname written out without the partition's suffix). */
const LITERAL_REGIONAL_HOST = /"[a-z0-9-]+\.(?:[a-z]{2}-[a-z]+-\d)\.amazonaws\.com"/g;
/** Every `"<something>.amazonaws.com"` literal. */
const LITERAL_HOST = /"([a-z0-9.-]+)\.amazonaws\.com"/g;

describe.each(CHINA)('the AWS China partition (%s)', (region) => {
  it('has no Cognito resources and verifies the configured issuer', () => {
    const t = cn.get(region)!;
    expect(t.stateful).not.toMatch(/AWS::Cognito::/);
    expect(t.stateless).not.toMatch(/AWS::Cognito::/);
    expect(t.stateless).toContain('https://sso.example.gov.cn');
  });

  it('writes no regional service hostname without the partition URL suffix, in any template (nested stacks too)', () => {
    const t = cn.get(region)!;
    expect(t.all.size).toBeGreaterThan(2);
    for (const [path, text] of t.all) expect(text.match(LITERAL_REGIONAL_HOST) ?? [], path).toEqual([]);
    // The hostnames it does need: the CloudWatch Logs principal and Secrets Manager's kms:ViaService, with AWS::URLSuffix.
    expect(t.stateful).toContain(`"logs.${region}.",{"Ref":"AWS::URLSuffix"}`);
    expect(t.stateful).toContain(`"secretsmanager.${region}.",{"Ref":"AWS::URLSuffix"}`);
    expect(t.stateless).toContain(`"secretsmanager.${region}.",{"Ref":"AWS::URLSuffix"}`);
    // ARNs take the partition from the deployment, never a literal "arn:aws:".
    for (const [path, text] of t.all) expect(text, path).not.toMatch(/"arn:aws:/);
  });

  it('uses only global service principals, which are <service>.amazonaws.com in China too', () => {
    // aws-cdk-lib region-info: "Service principals are now globally <SERVICE>.amazonaws.com"; only logs (regional,
    // partitional: handled above), codedeploy and elasticmapreduce differ in China, and this app uses neither of the two.
    const principals = new Set<string>();
    for (const text of cn.get(region)!.all.values()) for (const m of text.matchAll(LITERAL_HOST)) principals.add(m[1]!);
    expect([...principals].sort()).toEqual(['apigateway', 'cloudwatch', 'events', 'lambda', 'scheduler']);
  });

  it('has no web console (CloudFront there serves only an ICP-filed domain), and no CORS on the API', () => {
    const s = apps.get(region)!;
    expect(s.console).toBeUndefined();
    expect(s.assembly.stacks.some((st) => st.stackName.endsWith('-Console'))).toBe(false);
    expect(cn.get(region)!.stateless).not.toMatch(/CorsConfiguration|CDKBucketDeployment/);
    expect(global.stateless).toMatch(/CorsConfiguration/);
  });

  it("registers the event schemas there too (AWS::EventSchemas is in the China regions' resource specifications)", () => {
    const count = (t: string) => (t.match(/"AWS::EventSchemas::Schema"/g) ?? []).length;
    expect(cn.get(region)!.stateful).toContain('"AWS::EventSchemas::Registry"');
    expect(count(cn.get(region)!.stateful)).toBe(count(global.stateful));
    expect(count(cn.get(region)!.stateful)).toBeGreaterThan(20);
  });

  it("tags no CloudWatch dashboard (cn-northwest-1's resource specification has no Tags on one: cfn-lint E3002)", () => {
    const resources = JSON.parse(cn.get(region)!.stateless).Resources as Record<string, { Type: string; Properties?: Record<string, unknown> }>;
    const dashboards = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0]!.Properties).not.toHaveProperty('Tags');
  });

  it('passes cdk-nag AwsSolutions with no finding', () => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(apps.get(region)!.app);
    expect(report.violations.map((v) => `${v.severity} ${v.ruleName}`)).toEqual([]);
    expect(report.success).toBe(true);
  });
});

describe('what differs from a commercial region', () => {
  it('the same hostnames resolve through AWS::URLSuffix there (amazonaws.com)', () => {
    expect(global.stateful).toContain('"logs.ap-southeast-1.",{"Ref":"AWS::URLSuffix"}');
    expect(global.stateful).toContain('"secretsmanager.ap-southeast-1.",{"Ref":"AWS::URLSuffix"}');
  });

  it('the secrets (two hotlines, the caller key) are encrypted with the data key in both (set on the resource, not through the Secret construct)', () => {
    for (const t of [global, cn.get('cn-north-1')!]) {
      const secrets = Object.values(JSON.parse(t.stateful).Resources as Record<string, { Type: string; Properties: { KmsKeyId?: unknown } }>).filter(
        (r) => r.Type === 'AWS::SecretsManager::Secret',
      );
      expect(secrets).toHaveLength(3);
      for (const s of secrets) expect(JSON.stringify(s.Properties.KmsKeyId)).toMatch(/"Fn::GetAtt":\["Key[0-9A-F]+","Arn"\]/);
    }
  });
});

describe('refusals in China', () => {
  it('refuses a China region without an issuer, and says what to set', () => {
    expect(() => synth({ region: 'cn-northwest-1' })).toThrow(/Cognito user pools are not offered in cn-northwest-1.*-c jwtIssuer=/s);
  });

  it('refuses Lambda active tracing there (X-Ray is not integrated with Lambda in China)', () => {
    expect(() => synth({ region: 'cn-north-1', ...ISSUER, tracing: 'true' })).toThrow(/tracing: Lambda active tracing \(X-Ray\) is not offered in cn-north-1/);
  });
});
