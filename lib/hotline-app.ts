/**
 * Builds the whole CDK app on a given App: one stateful and one stateless stack per stage, and the cdk-nag
 * AwsSolutions checks over all of it. `bin/app.ts` and the tests both call this, so the tests check exactly what
 * `cdk synth` produces.
 */
import { Tags, Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { directory as deployedDirectory } from '../functions/config/directory.js';
import { validateConfigFiles, type ConfigFiles } from '../functions/config/validate.js';
import type { AgencyDirectory } from '../functions/domain/directory/directory.js';
import { readConfig, type AppConfig } from './config.js';
import { StatefulStack } from './stateful-stack.js';
import { StatelessStack } from './stateless-stack.js';
import { ConsoleStack } from './console-site.js';
import { isChinaRegion } from './config.js';

export interface HotlineApp {
  config: AppConfig;
  stateful: StatefulStack;
  stateless: StatelessStack;
  /** The web console's bucket and distribution; absent in AWS China regions (CloudFront there needs an ICP-filed domain). */
  console?: ConsoleStack;
}

export interface BuildOptions {
  /** The agency directory to generate queues and rules from; the deployed one (config/agencies.json) by default. */
  directory?: AgencyDirectory;
  /** The config files to validate before building; the deployed ones by default. */
  configFiles?: ConfigFiles;
}

export function buildHotlineApp(app: App, options: BuildOptions = {}): HotlineApp {
  // The Lambdas build their policy and calendar from the JSON without validating it (no zod at cold start), so a
  // bad file must stop the synth here: a ConfigError naming every file and path.
  validateConfigFiles(options.configFiles);
  const config = readConfig(app.node);
  const { stage } = config;
  // Environment-agnostic unless context names the account and region: synth needs no credentials either way.
  const env = config.env;

  const stateful = new StatefulStack(app, `Hotline-${stage}-Stateful`, {
    env,
    description: `Hotline integration (${stage}): data, queues, event bus, agency routing, secrets, alarm topic`,
    terminationProtection: stage === 'prod',
    config,
    directory: options.directory ?? deployedDirectory,
  });
  const identity = stateful.agencyIdentity;
  const consoleStack = isChinaRegion(env?.region)
    ? undefined
    : new ConsoleStack(app, `Hotline-${stage}-Console`, {
        env,
        description: `Hotline integration (${stage}): the web console (工作台), S3 and CloudFront`,
        stage,
        logRetentionDays: config.logRetentionDays,
        ...(identity ? { userPool: identity.userPool } : {}),
      });
  consoleStack?.addStackDependency(stateful);
  // The console signs in at the API's own issuer: Cognito's hosted login with its own client, or the city's SSO
  // (the client id is `consoleClientId`, by default the first of `jwtAudience`).
  const consoleAuth =
    consoleStack &&
    (identity && consoleStack.client
      ? { mode: 'oidc' as const, issuer: identity.userPool.userPoolProviderUrl, clientId: consoleStack.client.userPoolClientId, scope: 'openid email profile' }
      : {
          mode: 'oidc' as const,
          issuer: config.agencyJwt!.issuer,
          clientId: config.consoleClientId ?? config.agencyJwt!.audience[0]!,
          scope: 'openid profile',
        });
  const stateless = new StatelessStack(app, `Hotline-${stage}-Stateless`, {
    env,
    description: `Hotline integration (${stage}): HTTP API, ingest, process and agency API functions`,
    stage,
    logRetentionDays: config.logRetentionDays,
    key: stateful.key,
    contactKey: stateful.contactKey,
    table: stateful.table,
    eventBus: stateful.eventBus,
    processQueue: stateful.processQueue,
    processDlq: stateful.processDlq,
    hotlineSecrets: stateful.hotlineSecrets,
    callerKeySecret: stateful.callerKeySecret,
    alarmTopic: stateful.alarmTopic,
    agencyAuth: identity
      ? { userPool: identity.userPool, clients: [identity.client, ...(consoleStack?.client ? [consoleStack.client] : [])] }
      : config.agencyJwt!,
    ...(consoleStack && consoleAuth ? { console: { site: consoleStack, auth: consoleAuth } } : {}),
  });
  stateless.addStackDependency(stateful);
  if (consoleStack) stateless.addStackDependency(consoleStack);

  // CloudFormation's resource specification for cn-northwest-1 (宁夏) has no Tags on AWS::CloudWatch::Dashboard
  // (cfn-lint E3002 there; cn-north-1 and the commercial regions have it): the dashboard goes untagged everywhere,
  // so one template deploys in every region.
  const tagged = { excludeResourceTypes: ['AWS::CloudWatch::Dashboard'] };
  Tags.of(app).add('project', 'hotline-integration', tagged);
  Tags.of(app).add('stage', stage, tagged);
  // cdk-nag 3 is a CDK policy-validation plugin (no longer an Aspect): any unacknowledged finding, error or
  // warning, fails synthesis with a report; acknowledge findings with Validations.of(construct).acknowledge().
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { config, stateful, stateless, ...(consoleStack ? { console: consoleStack } : {}) };
}
