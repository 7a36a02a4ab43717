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

export interface HotlineApp {
  config: AppConfig;
  stateful: StatefulStack;
  stateless: StatelessStack;
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
    hotlineSecrets: stateful.hotlineSecrets,
    callerKeySecret: stateful.callerKeySecret,
    alarmTopic: stateful.alarmTopic,
    agencyAuth: stateful.agencyIdentity ? { userPool: stateful.agencyIdentity.userPool, client: stateful.agencyIdentity.client } : config.agencyJwt!,
  });
  stateless.addStackDependency(stateful);

  Tags.of(app).add('project', 'hotline-integration');
  Tags.of(app).add('stage', stage);
  // cdk-nag 3 is a CDK policy-validation plugin (no longer an Aspect): any unacknowledged finding, error or
  // warning, fails synthesis with a report; acknowledge findings with Validations.of(construct).acknowledge().
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { config, stateful, stateless };
}
