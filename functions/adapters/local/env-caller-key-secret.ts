import type { CallerKeySecret } from '../../ports/caller-key-secret.js';

/** Development default: never used in AWS. */
export const DEV_CALLER_KEY_SECRET = 'dev-caller-key-secret-change-me';

/** Local mode: `CALLER_KEY_SECRET`, else the development default. */
export class EnvCallerKeySecret implements CallerKeySecret {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async secret(): Promise<string> {
    return this.env['CALLER_KEY_SECRET'] || DEV_CALLER_KEY_SECRET;
  }
}
