/**
 * A hotline Lambda, the one way every function of the app is built: bundled by local esbuild as one
 * ESM file (arm64, newest Node.js runtime, source maps without sources, the SDK clients at the lock file's
 * versions), with its own KMS-encrypted log group and its own role (logs write to that group only).
 */
import * as path from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { notifyingAlarm } from './alarms.js';
import { bundlingSettings } from './bundling.js';
import { readTracing } from './config.js';
import { HANDLER_EXPORT, LOCK_FILE, PROJECT_ROOT } from './function-entries.js';
import { Runtime } from 'aws-cdk-lib/aws-lambda';

/** The newest Node.js runtime aws-cdk-lib 2.276 knows. */
export const LAMBDA_RUNTIME = Runtime.NODEJS_24_X;
export const METRICS_NAMESPACE = 'HotlineIntegration';

export interface HotlineFunctionProps {
  readonly stage: string;
  /** Short name: `hotline-<stage>-<name>`, log group `/aws/lambda/hotline-<stage>-<name>`. */
  readonly name: string;
  /** Absolute path of the handler file (exports `handler`). */
  readonly entry: string;
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly environment: Record<string, string>;
  readonly logRetentionDays: RetentionDays;
  readonly key: IKey;
  /** Repository-relative files copied beside the bundle (lib/function-entries.ts `functionAssets`). */
  readonly assets?: readonly string[];
}

const title = (name: string) => name.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());

export function hotlineNodeFunction(scope: Construct, p: HotlineFunctionProps): NodejsFunction {
  const t = title(p.name);
  const logGroup = new LogGroup(scope, `${t}Logs`, {
    logGroupName: `/aws/lambda/hotline-${p.stage}-${p.name}`,
    retention: p.logRetentionDays,
    encryptionKey: p.key,
  });
  const role = new Role(scope, `${t}Role`, {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    description: `Execution role of the hotline ${p.name} function (${p.stage})`,
  });
  logGroup.grantWrite(role);
  const tracing = readTracing(scope.node);
  const b = bundlingSettings({ tracing });
  return new NodejsFunction(scope, `${t}Function`, {
    functionName: `hotline-${p.stage}-${p.name}`,
    description: p.description,
    entry: p.entry,
    handler: HANDLER_EXPORT,
    projectRoot: PROJECT_ROOT,
    depsLockFilePath: LOCK_FILE,
    runtime: LAMBDA_RUNTIME,
    architecture: Architecture.ARM_64,
    memorySize: p.memorySize,
    timeout: p.timeout,
    // Active tracing only with `-c tracing=true`, which also puts the Tracer (and the X-Ray SDK) in the bundle.
    tracing: tracing ? Tracing.ACTIVE : Tracing.DISABLED,
    logGroup,
    role,
    environment: { ...p.environment, POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE, LOG_LEVEL: 'INFO', NODE_OPTIONS: '--enable-source-maps' },
    bundling: {
      // From lib/bundling.ts, which bench:cold builds with too.
      format: b.format === 'esm' ? OutputFormat.ESM : OutputFormat.CJS,
      mainFields: [...b.mainFields],
      banner: b.banner,
      minify: b.minify,
      sourceMap: b.sourceMap,
      sourceMapMode: SourceMapMode.DEFAULT,
      sourcesContent: b.sourcesContent,
      esbuildArgs: { '--charset': b.charset, '--alias': Object.entries(b.alias).map(([pkg, to]) => `${pkg}=${to}`) },
      define: b.define,
      target: b.target,
      tsconfig: b.tsconfig,
      bundleAwsSDK: b.bundleAwsSDK,
      forceDockerBundling: false,
      ...(p.assets?.length
        ? {
            commandHooks: {
              beforeBundling: () => [],
              beforeInstall: () => [],
              afterBundling: (inputDir: string, outputDir: string) =>
                p.assets!.map((a) => `mkdir -p "${path.dirname(path.join(outputDir, a))}" && cp "${path.join(inputDir, a)}" "${path.join(outputDir, a)}"`),
            },
          }
        : {}),
    },
  });
}

/** What the standard CDK grants (key, queue, table, X-Ray) produce that cdk-nag flags, acknowledged with reasons. */
export function acknowledgeStandardGrants(fn: NodejsFunction): void {
  Validations.of(fn.role!).acknowledge(
    {
      id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason:
        'From CDK grants (queue send, table write, key encrypt/decrypt) on the one customer-managed key: SQS and DynamoDB SSE call GenerateDataKey/GenerateDataKeyWithoutPlaintext; the resource is that key ARN only.',
    },
    {
      id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
      reason: 'From CDK key grants (ReEncryptFrom/ReEncryptTo) on the one customer-managed key ARN, needed for SSE data keys; no other key.',
    },
  );
  // The X-Ray statement exists only with active tracing (`-c tracing=true`).
  if (readTracing(fn.node))
    Validations.of(fn.role!).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing), which support no resource-level permissions; every other statement names its resources.',
    });
}

/** Errors and throttles alarms of a function, notifying the alarm topic. */
export function functionAlarms(scope: Construct, fn: NodejsFunction, stage: string, name: string, topic: ITopic): void {
  const fiveMinutes = { period: Duration.minutes(5), statistic: 'Sum' } as const;
  const t = title(name);
  notifyingAlarm(scope, `${t}ErrorsAlarm`, {
    alarmName: `hotline-${stage}-${name}-errors`,
    description: `The ${name} function failed (unhandled error or timeout) in the last 5 minutes.`,
    metric: fn.metricErrors(fiveMinutes),
    threshold: 0,
    topic,
  });
  notifyingAlarm(scope, `${t}ThrottlesAlarm`, {
    alarmName: `hotline-${stage}-${name}-throttles`,
    description: `The ${name} function was throttled in the last 5 minutes (account or reserved concurrency exhausted).`,
    metric: fn.metricThrottles(fiveMinutes),
    threshold: 0,
    topic,
  });
}
