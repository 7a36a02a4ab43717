import type { Source } from '../../domain/taxonomy.js';
import type { HotlineSecrets } from '../../ports/hotline-secrets.js';

/** Development defaults: printed at start so a developer can sign requests; never used in AWS. */
export const DEV_SECRETS: Record<Source, string> = {
  '12345': 'dev-secret-12345-change-me',
  '12309': 'dev-secret-12309-change-me',
};

/** Local mode: secrets from `HOTLINE_SECRET_12345` / `HOTLINE_SECRET_12309`, else the development defaults. */
export class EnvSecrets implements HotlineSecrets {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async secretFor(source: Source): Promise<string> {
    return this.env[`HOTLINE_SECRET_${source}`] || DEV_SECRETS[source];
  }
}
