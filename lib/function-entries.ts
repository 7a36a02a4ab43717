/**
 * Where the Lambda handlers live. One map, so the stateless stack and the tests agree on the paths, and
 * absolute, so `cdk synth` works from any working directory.
 */
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

/** The repository root (this file sits in `<root>/lib`). */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

export const FUNCTION_ENTRIES = {
  ingest: path.join(PROJECT_ROOT, 'functions', 'ingest', 'handler.ts'),
  process: path.join(PROJECT_ROOT, 'functions', 'process', 'handler.ts'),
  cases: path.join(PROJECT_ROOT, 'functions', 'cases', 'handler.ts'),
} as const;
export type FunctionName = keyof typeof FUNCTION_ENTRIES;

/** Every handler exports this name. */
export const HANDLER_EXPORT = 'handler';

export const LOCK_FILE = path.join(PROJECT_ROOT, 'package-lock.json');
export const TSCONFIG = path.join(PROJECT_ROOT, 'tsconfig.json');
