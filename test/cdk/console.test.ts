/**
 * The web console (工作台) in the CDK app: a private bucket behind CloudFront with origin access control, the HTTP
 * API's CORS allowing exactly the distribution's origin, the console's Cognito client (authorization code, the
 * site's callback URL) accepted by the API's authorizer, and the files plus config.json deployed into the bucket.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { App } from 'aws-cdk-lib';
import type { ConsoleDeployment } from '../../lib/console-site.js';
import { readConfig } from '../../lib/config.js';
import { synth, type Synthesized } from './synth.js';

let s: Synthesized;
const consoleConfigOf = (app: Synthesized) => (app.stateless.node.findChild('Console') as ConsoleDeployment).config;
let site: Template;
let api: Template;

beforeAll(() => {
  s = synth();
  site = Template.fromStack(s.console!);
  api = Template.fromStack(s.stateless);
}, 180_000);

const distributionDomain = () => {
  const [id] = Object.keys(site.findResources('AWS::CloudFront::Distribution'));
  return id!;
};

describe('the web console', () => {
  it('keeps the files in a private, encrypted, TLS-only bucket that only the distribution reads (origin access control)', () => {
    site.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: Match.anyValue(),
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 's3/' }),
    });
    site.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    site.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        Origins: [Match.objectLike({ OriginAccessControlId: Match.anyValue(), S3OriginConfig: { OriginAccessIdentity: '' } })],
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        Logging: Match.objectLike({ Prefix: 'cloudfront/' }),
      }),
    });
    site.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
    site.resourceCountIs('AWS::S3::BucketPolicy', 2); // the site's and the log bucket's (TLS only)
  });

  it("lets the HTTP API's CORS allow exactly the distribution's origin", () => {
    const [apiResource] = Object.values(api.findResources('AWS::ApiGatewayV2::Api'));
    const cors = (apiResource!.Properties as { CorsConfiguration: { AllowOrigins: unknown[]; AllowHeaders: string[] } }).CorsConfiguration;
    expect(cors.AllowOrigins).toHaveLength(1);
    const origin = JSON.stringify(cors.AllowOrigins[0]);
    expect(origin).toContain('https://');
    expect(origin).toContain(`ExportsOutputFnGetAtt${distributionDomain()}DomainName`);
    expect(cors.AllowHeaders).toEqual(['authorization', 'content-type']);
  });

  it("gives the console its own Cognito client with the code flow and the site's callback, and the authorizer accepts it", () => {
    site.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: Match.arrayWith(['openid']),
      GenerateSecret: false,
      CallbackURLs: [{ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionDomain(), 'DomainName'] }, '/']] }],
      SupportedIdentityProviders: ['COGNITO'],
    });
    site.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
    api.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: { Audience: [Match.anyValue(), { 'Fn::ImportValue': Match.stringLikeRegexp('ConsoleClient') }] },
    });
  });

  it('deploys the built app and a config.json naming the API, the issuer and the client into the bucket', () => {
    const [deployment] = Object.values(api.findResources('Custom::CDKBucketDeployment'));
    const props = deployment!.Properties as Record<string, unknown>;
    expect((props['SourceObjectKeys'] as unknown[]).length).toBe(2);
    const text = JSON.stringify(props);
    expect(text).toContain('hotline-dev-console-');
    // Every file revalidates (no-cache): a new deployment reaches browsers without a CloudFront invalidation.
    expect(props['SystemMetadata']).toEqual({ 'cache-control': 'no-cache' });
    const config = s.stateless.resolve(consoleConfigOf(s)) as Record<string, unknown>;
    expect(config).toEqual({
      apiUrl: { 'Fn::GetAtt': [expect.stringMatching(/^HttpApi/), 'ApiEndpoint'] },
      auth: {
        mode: 'oidc',
        issuer: { 'Fn::ImportValue': expect.stringMatching(/UserPool.*ProviderURL/) },
        clientId: { 'Fn::ImportValue': expect.stringMatching(/ConsoleClient/) },
        scope: 'openid email profile',
      },
    });
  });

  it("with the city's own issuer, signs in there with the first audience as the client, and makes no Cognito client", () => {
    const own = synth({ jwtIssuer: 'https://sso.example.gov.cn', jwtAudience: 'hotline-console,hotline-agency-api' });
    expect(JSON.stringify(Template.fromStack(own.console!).toJSON())).not.toMatch(/AWS::Cognito::/);
    expect(consoleConfigOf(own).auth).toEqual({ mode: 'oidc', issuer: 'https://sso.example.gov.cn', clientId: 'hotline-console', scope: 'openid profile' });
    const named = readConfig(
      new App({ context: { jwtIssuer: 'https://sso.example.gov.cn', jwtAudience: 'hotline-agency-api', consoleClientId: 'web-console' } }).node,
    );
    expect(named.consoleClientId).toBe('web-console');
  });
});
