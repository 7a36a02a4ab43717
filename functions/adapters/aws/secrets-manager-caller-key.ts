import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import type { CallerKeySecret } from '../../ports/caller-key-secret.js';

/** The caller-key secret from Secrets Manager, cached for 5 minutes by Powertools Parameters. */
export class SecretsManagerCallerKeySecret implements CallerKeySecret {
  constructor(private readonly arn: string) {}

  async secret(): Promise<string> {
    const value = await getSecret<string>(this.arn, { maxAge: 300 });
    if (typeof value !== 'string' || value.length < 32) throw new Error('caller-key secret is missing or too short');
    return value;
  }
}
