import { afterEach, describe, expect, it, vi } from 'vitest';
import { BUNDLE_ALIASES } from '../../lib/bundling.js';
import { defaultProvider } from '../../functions/shared/lambda-credentials.js';

describe('Lambda credential provider (bundled in place of the SDK default chain)', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('replaces @aws-sdk/credential-provider-node in the bundles', () => {
    expect(BUNDLE_ALIASES['@aws-sdk/credential-provider-node']).toMatch(/functions\/shared\/lambda-credentials\.ts$/);
  });

  it('reads the role credentials Lambda puts in the environment', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDLAMBDA');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
    vi.stubEnv('AWS_SESSION_TOKEN', 'token');
    await expect(defaultProvider()()).resolves.toMatchObject({ accessKeyId: 'AKIDLAMBDA', secretAccessKey: 'secret', sessionToken: 'token' });
  });

  it('fails plainly without them instead of trying other sources', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');
    await expect(defaultProvider()()).rejects.toThrow(/credentials/i);
  });
});
