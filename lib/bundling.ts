/**
 * How every Lambda bundle is built, in one place: `lib/node-function.ts` hands these settings to the CDK
 * NodejsFunction (which runs the esbuild CLI), and `bench/cold.ts` hands the same settings to the esbuild API, so
 * what the benchmark measures is what deploys.
 */
import * as path from 'node:path';
import type { BuildOptions } from 'esbuild';
import { PROJECT_ROOT, TSCONFIG } from './function-entries.js';

/** ESM bundles need `require` for the CommonJS dependencies esbuild leaves as dynamic requires. */
export const ESM_REQUIRE_BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/** esbuild target of the Lambda runtime (`LAMBDA_RUNTIME` in node-function.ts). */
export const BUNDLE_TARGET = 'node24';

export interface BundleVariant {
  /** Powertools Tracer and the X-Ray SDK in the bundle (CDK context `tracing=true`); off by default. */
  readonly tracing: boolean;
}

/**
 * Build-time constants (esbuild `define`). `process.env.HOTLINE_TRACING` is replaced by a string literal, so the
 * minifier drops the tracing branch of functions/shared/observability.ts and, with it, the dynamic import of the
 * Tracer: the X-Ray SDK is not in the bundle at all unless tracing is on. Unbundled (tests, local mode) the
 * variable is unset, which means off.
 */
export function bundleDefines(v: BundleVariant): Record<string, string> {
  return { 'process.env.HOTLINE_TRACING': JSON.stringify(v.tracing ? 'true' : 'false') };
}

/**
 * Packages replaced in Lambda bundles. The SDK's Node credential chain becomes the environment provider, which is
 * where Lambda puts the role's credentials (functions/shared/lambda-credentials.ts): ~100 KB less per function.
 */
export const BUNDLE_ALIASES: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': path.join(PROJECT_ROOT, 'functions', 'shared', 'lambda-credentials.ts'),
};

/** The settings both the CDK and the bench use, in NodejsFunction's vocabulary. */
export function bundlingSettings(v: BundleVariant) {
  return {
    format: 'esm',
    platform: 'node',
    target: BUNDLE_TARGET,
    mainFields: ['module', 'main'],
    banner: ESM_REQUIRE_BANNER,
    minify: true,
    sourceMap: true,
    sourcesContent: false,
    charset: 'utf8',
    define: bundleDefines(v),
    alias: BUNDLE_ALIASES,
    tsconfig: TSCONFIG,
    /** Bundle the SDK v3 clients at the lock file's versions (none left external). */
    bundleAwsSDK: true,
  } as const;
}

/** The esbuild API options equivalent to what NodejsFunction runs for `entry` (`--bundle entry --outfile=...`). */
export function esbuildOptions(entry: string, outfile: string, v: BundleVariant): BuildOptions {
  const s = bundlingSettings(v);
  return {
    entryPoints: [entry],
    bundle: true,
    outfile,
    format: s.format,
    platform: s.platform,
    target: s.target,
    mainFields: [...s.mainFields],
    banner: { js: s.banner },
    minify: s.minify,
    sourcemap: s.sourceMap,
    sourcesContent: s.sourcesContent,
    charset: s.charset,
    define: s.define,
    alias: { ...s.alias },
    tsconfig: s.tsconfig,
    external: [],
    logLevel: 'warning',
  };
}
