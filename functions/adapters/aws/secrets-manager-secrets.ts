import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import type { Source } from '../../domain/taxonomy.js';
import type { HotlineSecrets } from '../../ports/hotline-secrets.js';

/** Hotline HMAC secrets from Secrets Manager, cached for 5 minutes by Powertools Parameters (rotation-friendly). */
export class SecretsManagerSecrets implements HotlineSecrets {
  constructor(private readonly arns: Record<Source, string>) {}

  async secretFor(source: Source): Promise<string> {
    const value = await getSecret<string>(this.arns[source], { maxAge: 300 });
    if (typeof value !== 'string' || value.length < 16) throw new Error(`hotline secret for ${source} is missing or too short`);
    return value;
  }
}
