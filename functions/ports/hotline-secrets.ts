import type { Source } from '../domain/taxonomy.js';

/** The HMAC shared secret of each hotline system (Secrets Manager in AWS, environment locally). */
export interface HotlineSecrets {
  secretFor(source: Source): Promise<string>;
}
