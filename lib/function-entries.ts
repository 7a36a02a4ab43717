/**
 * Where the Lambda handlers live. One map, so the stateless stack and the tests agree on the paths, and
 * absolute, so `cdk synth` works from any working directory.
 */
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { LEXICON_FILE } from '../functions/config/beside-bundle.js';

/** The repository root (this file sits in `<root>/lib`). */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

export const FUNCTION_ENTRIES = {
  ingest: path.join(PROJECT_ROOT, 'functions', 'ingest', 'handler.ts'),
  process: path.join(PROJECT_ROOT, 'functions', 'process', 'handler.ts'),
  cases: path.join(PROJECT_ROOT, 'functions', 'cases', 'handler.ts'),
  relay: path.join(PROJECT_ROOT, 'functions', 'relay', 'handler.ts'),
} as const;
export type FunctionName = keyof typeof FUNCTION_ENTRIES;

/** The functions the constructs around the stateless stack add (callbacks-construct.ts, deadlines-construct.ts, retention-construct.ts). */
export const CALLBACKS_ENTRY = path.join(PROJECT_ROOT, 'functions', 'callbacks', 'handler.ts');
export const FEEDBACK_ENTRY = path.join(PROJECT_ROOT, 'functions', 'feedback', 'handler.ts');
export const DEADLINES_ENTRY = path.join(PROJECT_ROOT, 'functions', 'deadlines', 'handler.ts');
export const RETENTION_ENTRY = path.join(PROJECT_ROOT, 'functions', 'retention', 'handler.ts');

/** Every Lambda function the CDK app defines, by short name (`hotline-<stage>-<name>`); bench:cold builds each. */
export const ALL_FUNCTION_ENTRIES = {
  ...FUNCTION_ENTRIES,
  callbacks: CALLBACKS_ENTRY,
  feedback: FEEDBACK_ENTRY,
  deadlines: DEADLINES_ENTRY,
  retention: RETENTION_ENTRY,
} as const;

/** Every handler exports this name. */
export const HANDLER_EXPORT = 'handler';

export const LOCK_FILE = path.join(PROJECT_ROOT, 'package-lock.json');
export const TSCONFIG = path.join(PROJECT_ROOT, 'tsconfig.json');

/**
 * Files a function reads at cold start from beside its bundle, relative to the repository root: `lib/node-function.ts`
 * copies them into the asset and `bench:cold` beside the bundle it measures. The process function's lexicon and learned
 * router (config/router-model.json) ship this way rather than inside the JavaScript (functions/config/beside-bundle.ts).
 */
export function functionAssets(name: keyof typeof ALL_FUNCTION_ENTRIES, routerModelFile: string | null): string[] {
  if (name !== 'process') return [];
  return routerModelFile ? [LEXICON_FILE, routerModelFile] : [LEXICON_FILE];
}
