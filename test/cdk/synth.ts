/**
 * Synthesizes the CDK app the way `cdk synth` does (same builder, same cdk.json context), but with Lambda bundling
 * skipped (`aws:cdk:bundling-stacks: []`) so the tests need neither esbuild runs nor Docker. Each test file calls
 * this once in `beforeAll`.
 */
import { App } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../../lib/function-entries.js';
import { buildHotlineApp, type BuildOptions, type HotlineApp } from '../../lib/hotline-app.js';

export interface Synthesized extends HotlineApp {
  app: App;
  assembly: CloudAssembly;
}

export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}

export function synth(context: Record<string, unknown> = {}, options: BuildOptions = {}): Synthesized {
  const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], ...context } });
  const built = buildHotlineApp(app, options);
  // Throws on any unacknowledged cdk-nag finding (the plugin is registered by buildHotlineApp).
  const assembly = app.synth();
  return { app, assembly, ...built };
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

export function resourcesOf(template: { toJSON(): Record<string, unknown> }): Resources {
  return (template.toJSON().Resources ?? {}) as Resources;
}
