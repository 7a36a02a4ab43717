/**
 * Bundled into each Lambda in place of `@aws-sdk/credential-provider-node` (esbuild alias, lib/bundling.ts). Lambda
 * puts the execution role's credentials in the environment, the first place the SDK's default chain looks, so the
 * rest of the chain (profiles, SSO, web identity, container and instance metadata, with the STS and SSO clients
 * they need) is never used there but cost every bundle about 100 KB. Tests and local mode keep the full chain.
 */
import { fromEnv, type FromEnvInit } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init: FromEnvInit = {}) => fromEnv(init);
