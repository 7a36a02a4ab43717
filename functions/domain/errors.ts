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

/**
 * Runs `check` on every item and collects the ConfigErrors: one failure rethrows its own error; several become one
 * ConfigError (named `combinedAs`) listing every problem, each prefixed with its file, so a deployer sees them all.
 */
export function checkEach<T>(items: Iterable<T>, check: (item: T) => void, combinedAs: string): void {
  const errors: ConfigError[] = [];
  for (const item of items) {
    try {
      check(item);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      errors.push(e);
    }
  }
  if (errors.length === 1) throw errors[0]!;
  if (errors.length > 1) {
    throw new ConfigError(
      combinedAs,
      errors.flatMap((e) => e.problems.map((p) => `${e.file}: ${p}`)),
    );
  }
}
