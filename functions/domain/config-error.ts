import type { z } from 'zod';

/** A deployer-edited file (directory, lexicon, routing, policy, calendar) failed validation at load. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }

  static fromZod(file: string, error: z.ZodError): ConfigError {
    return new ConfigError(
      file,
      error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`),
    );
  }
}
