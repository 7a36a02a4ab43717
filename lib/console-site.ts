/**
 * The web console (工作台) in AWS: the built single-page app in a private S3 bucket, served by CloudFront through
 * origin access control (the bucket has no public access and no website endpoint), and its `config.json`, which
 * tells the app where the API is and which OIDC issuer signs staff in (authorization code with PKCE).
 *
 * Two parts, in two stacks, so no reference runs in a circle:
 * - `ConsoleStack` (after the stateful stack): the bucket, its log bucket, the distribution and, with the default
 *   Cognito pool, the console's app client (code flow, the site's callback URL) and the pool's hosted-login domain.
 *   The stateless stack reads its origin for the HTTP API's CORS, and its client for the authorizer's audience.
 * - `ConsoleDeployment` (in the stateless stack, which knows the API's URL): the files and config.json, copied into
 *   the bucket by a BucketDeployment, and a CloudFront invalidation.
 *
 * AWS China regions: CloudFront there serves only an ICP-filed domain (ICP 备案) of the city's own, with its own
 * certificate, so the app synthesizes no console in those regions (README, "Deploying with CDK").
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { AssetHashType, Aws, CfnOutput, DockerImage, Duration, RemovalPolicy, Stack, type StackProps, Token, Validations } from 'aws-cdk-lib';
import { Distribution, HttpVersion, type IDistribution, PriceClass, ResponseHeadersPolicy, ViewerProtocolPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { type IUserPool, OAuthScope, UserPoolClient, UserPoolClientIdentityProvider, UserPoolDomain } from 'aws-cdk-lib/aws-cognito';
import { BlockPublicAccess, Bucket, BucketEncryption, type IBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { PROJECT_ROOT } from './function-entries.js';

/** What the console's `config.json` says; the app reads it at start (web/src/auth.ts `ConsoleConfig`). */
export interface ConsoleConfigFile {
  apiUrl: string;
  auth: { mode: 'oidc'; issuer: string; clientId: string; scope: string };
}

export interface ConsoleStackProps extends StackProps {
  readonly stage: string;
  readonly logRetentionDays: number;
  /** The default Cognito pool, when the stack makes it: the console gets its own app client and hosted login. */
  readonly userPool?: IUserPool;
}

/**
 * The console bucket's name: fixed, and built from pseudo parameters only, so the stateless stack's deployment names
 * the same bucket without a cross-stack export (and its policy names it in words cdk-nag can be told about).
 */
export const consoleBucketName = (stage: string): string => `hotline-${stage}-console-${Aws.ACCOUNT_ID}-${Aws.REGION}`;

export class ConsoleStack extends Stack {
  readonly stage: string;
  readonly bucket: IBucket;
  readonly distribution: IDistribution;
  /** `https://<distribution domain>`: the only origin the API's CORS allows. */
  readonly origin: string;
  /** The console's Cognito app client (authorization code + PKCE), with the default pool. */
  readonly client?: UserPoolClient;

  constructor(scope: Construct, id: string, props: ConsoleStackProps) {
    super(scope, id, props);
    const { stage } = props;
    const logs = new Bucket(this, 'Logs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logs are written with an ACL: the bucket must accept object-writer ownership.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(props.logRetentionDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket of the console bucket and distribution; logging it into itself would loop.',
    });

    this.stage = stage;
    const bucket = new Bucket(this, 'Site', {
      bucketName: consoleBucketName(stage),
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 's3/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const distribution = new Distribution(this, 'Distribution', {
      comment: `hotline-${stage} web console`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: ResponseHeadersPolicy.SECURITY_HEADERS,
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_ALL,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
    });
    Validations.of(distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          "Static files of a staff console: every API call it makes is authenticated by the HTTP API's JWT authorizer. Where staff may sign in from is the identity provider's policy.",
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'Static files only, cached at the edge; the API it calls has its own throttling and authorizer. A deployer that requires WAF attaches a web ACL here.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The default *.cloudfront.net certificate, whose TLS policy CloudFront fixes; a custom domain with its own certificate sets TLSv1.2_2021 (README).',
      },
    );
    this.bucket = bucket;
    this.distribution = distribution;
    this.origin = `https://${distribution.distributionDomainName}`;

    if (props.userPool) {
      // Cognito's hosted login, and the console's own client: authorization code with PKCE (no secret in a browser).
      const domain = new UserPoolDomain(this, 'HostedLogin', { userPool: props.userPool, cognitoDomain: { domainPrefix: `hotline-${stage}-${this.account}` } });
      this.client = new UserPoolClient(this, 'ConsoleClient', {
        userPool: props.userPool,
        userPoolClientName: `hotline-${stage}-console`,
        generateSecret: false,
        supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
        oAuth: {
          flows: { authorizationCodeGrant: true },
          scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
          callbackUrls: [`${this.origin}/`],
          logoutUrls: [`${this.origin}/`],
        },
        idTokenValidity: Duration.hours(8),
        accessTokenValidity: Duration.hours(8),
        preventUserExistenceErrors: true,
      });
      new CfnOutput(this, 'HostedLoginUrl', { value: domain.baseUrl(), description: 'Cognito hosted login of the web console' });
    }
    new CfnOutput(this, 'ConsoleUrl', { value: this.origin, description: 'The web console (工作台)' });
  }
}

export interface ConsoleDeploymentProps {
  readonly site: ConsoleStack;
  readonly logRetentionDays: RetentionDays;
  readonly config: ConsoleConfigFile;
}

/** The built app (`npm run build:web`, run by the asset's local bundling at synth) and its config.json, into the bucket. */
export class ConsoleDeployment extends Construct {
  /** What config.json says (tokens resolve at deploy time). */
  readonly config: ConsoleConfigFile;

  constructor(scope: Construct, id: string, props: ConsoleDeploymentProps) {
    super(scope, id);
    this.config = props.config;
    const webRoot = path.join(PROJECT_ROOT, 'web');
    const app = Source.asset(webRoot, {
      exclude: ['dist', 'src/generated'],
      assetHashType: AssetHashType.OUTPUT,
      bundling: {
        // Never used: the local build below always answers (it needs only Node, which synth runs on).
        image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24'),
        local: {
          tryBundle(outputDir: string) {
            execFileSync(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts', 'build-web.ts'), '--out', outputDir], {
              cwd: PROJECT_ROOT,
              stdio: ['ignore', process.stderr, 'inherit'],
            });
            return true;
          },
        },
      },
    });
    // Its own role and log group: no AWS-managed policy, logs only to its own group.
    const logGroup = new LogGroup(this, 'Logs', { retention: props.logRetentionDays, removalPolicy: RemovalPolicy.DESTROY });
    const role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description: 'Copies the web console into its bucket' });
    role.addToPolicy(new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    // No CloudFront invalidation (whose grant is on every distribution): every file is stored with `no-cache`, so
    // browsers and the edge revalidate it (the asset files are content-hashed and change name when they change).
    const deployment = new BucketDeployment(this, 'Files', {
      sources: [app, Source.jsonData('config.json', props.config)],
      destinationBucket: Bucket.fromBucketName(this, 'SiteBucket', consoleBucketName(props.site.stage)),
      cacheControl: [CacheControl.noCache()],
      role,
      logGroup,
      memoryLimit: 512,
    });
    const stack = Stack.of(this);
    // The asset bucket's name has the account and region literally when the app names them (context account/region).
    const literal = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
    const why = "CDK's BucketDeployment grants (read the asset, replace the site's files)";
    Validations.of(role).acknowledge(
      ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map((action) => ({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: `${why}: aws-cdk-lib's read and readWrite grants, on the CDK asset bucket's objects and the console bucket only.`,
      })),
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-${literal(stack.account, 'AccountId')}-${literal(stack.region, 'Region')}/*]`,
        reason: `${why}: the app's files are an object of the CDK bootstrap asset bucket, whose key is known only at deploy time.`,
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::hotline-${props.site.stage}-console-<AWS::AccountId>-<AWS::Region>/*]`,
        reason: `${why}: it writes every file of the app into the console bucket, and only there.`,
      },
    );
    // The provider function is a singleton at the stack's root (one per stack and memory size).
    const handler = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment')) ?? deployment;
    Validations.of(handler).acknowledge({
      id: 'AwsSolutions-L1',
      reason: "CDK's BucketDeployment provider function: its Python runtime is chosen by aws-cdk-lib, not by this app, and moves with aws-cdk-lib updates.",
    });
  }
}
