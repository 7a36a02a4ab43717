/**
 * The AWS China partition (aws-cn): `-c region=cn-north-1` synthesizes without Cognito (not offered there), with the
 * city's own OIDC issuer, and the service hostnames this app writes itself carry the partition's URL suffix
 * (amazonaws.com.cn). Compared with a synth for a commercial region, so the test shows what differs.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { synth } from './synth.js';

const ISSUER = { jwtIssuer: 'https://sso.example.gov.cn', jwtAudience: 'hotline-agency-api' };
let cn: { stateful: string; stateless: string };
let global: { stateful: string; stateless: string };
let cnConsole = true;

const texts = (s: ReturnType<typeof synth>) => ({
  stateful: JSON.stringify(Template.fromStack(s.stateful).toJSON()),
  stateless: JSON.stringify(Template.fromStack(s.stateless).toJSON()),
});

beforeAll(() => {
  const cnApp = synth({ region: 'cn-north-1', ...ISSUER });
  cn = texts(cnApp);
  cnConsole = cnApp.console !== undefined || cnApp.assembly.stacks.some((st) => st.stackName.endsWith('-Console'));
  global = texts(synth({ region: 'ap-southeast-1', ...ISSUER }));
}, 180_000);

describe('the AWS China partition', () => {
  it('has no Cognito resources and verifies the configured issuer', () => {
    expect(cn.stateful).not.toMatch(/AWS::Cognito::/);
    expect(cn.stateless).not.toMatch(/AWS::Cognito::/);
    expect(cn.stateless).toContain('https://sso.example.gov.cn');
  });

  it('writes the service hostnames it builds itself with the partition URL suffix (amazonaws.com.cn in China)', () => {
    // AWS::URLSuffix resolves at deploy time: amazonaws.com.cn in aws-cn, amazonaws.com elsewhere.
    expect(cn.stateful).toContain('"logs.cn-north-1.",{"Ref":"AWS::URLSuffix"}');
    expect(cn.stateless).toContain('"secretsmanager.cn-north-1.",{"Ref":"AWS::URLSuffix"}');
    expect(global.stateful).toContain('"logs.ap-southeast-1.",{"Ref":"AWS::URLSuffix"}');
    expect(cn.stateful).not.toContain('logs.cn-north-1.amazonaws.com');
    expect(cn.stateless).not.toContain('secretsmanager.cn-north-1.amazonaws.com');
    // ARNs take the partition from the deployment, never a literal "arn:aws:".
    expect(cn.stateful).not.toMatch(/"arn:aws:/);
    expect(cn.stateless).not.toMatch(/"arn:aws:/);
  });

  it('has no web console in China (CloudFront there serves only an ICP-filed domain), and no CORS on the API', () => {
    expect(cnConsole).toBe(false);
    expect(cn.stateless).not.toMatch(/CorsConfiguration|CDKBucketDeployment/);
    expect(global.stateless).toMatch(/CorsConfiguration/);
  });

  it('refuses a China region without an issuer, and says what to set', () => {
    expect(() => synth({ region: 'cn-northwest-1' })).toThrow(/Cognito user pools are not offered in cn-northwest-1.*-c jwtIssuer=/s);
  });

  it('registers the event schemas in China too (AWS::EventSchemas is in the cn-north-1 and cn-northwest-1 resource specifications)', () => {
    const count = (t: string) => (t.match(/"AWS::EventSchemas::Schema"/g) ?? []).length;
    expect(cn.stateful).toContain('"AWS::EventSchemas::Registry"');
    expect(count(cn.stateful)).toBe(count(global.stateful));
    expect(count(cn.stateful)).toBeGreaterThan(20);
  });
});
