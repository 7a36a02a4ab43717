/** Typed failures of the domain (pure: no I/O). Callers map them to HTTP statuses, retries or dead letters. */
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

/** An event was asked of a case that has not been through the step that produces it (classified, routed, linked). */
export class CaseNotProcessedError extends Error {
  override readonly name = 'CaseNotProcessedError';
}

/** A history entry that is no transition of the lifecycle table, so it has no event. */
export class NotATransitionError extends Error {
  override readonly name = 'NotATransitionError';
}
