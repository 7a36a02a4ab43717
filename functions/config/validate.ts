/**
 * Validation of the deployer-edited files that the Lambdas build without checking at cold start (the lexicon; the
 * similar-case grouping vocabulary). `bin/app.ts` calls `validateDeployedConfig()` before synthesizing, so `cdk synth`
 * (and therefore every deployment) refuses a bad edit with every problem listed by file and path; the tests call it too.
 * Not imported by any Lambda: it is where zod reads these files, and zod's validation of ~8,000 terms is what the
 * cold start no longer pays.
 */
import lexiconJson from '../../config/lexicon.json' with { type: 'json' };
import groupKeysJson from '../../config/group-keys.json' with { type: 'json' };
import { validateLexicon } from '../domain/classify/lexicon-schema.js';
import { validateGroupKeyVocabulary } from '../domain/linkage/group-key-schema.js';
import { ConfigError } from '../domain/errors.js';

export interface ConfigFiles {
  'config/lexicon.json': unknown;
  'config/group-keys.json': unknown;
}

const DEPLOYED: ConfigFiles = {
  'config/lexicon.json': lexiconJson,
  'config/group-keys.json': groupKeysJson,
};

const VALIDATORS: { [F in keyof ConfigFiles]: (data: unknown, file: string) => void } = {
  'config/lexicon.json': validateLexicon,
  'config/group-keys.json': validateGroupKeyVocabulary,
};

/**
 * Validates every file (the deployed ones unless others are given); throws one `ConfigError` per bad file, or an
 * `AggregateError` of them when several are bad, so a deployer sees all problems in one run.
 */
export function validateDeployedConfig(files: ConfigFiles = DEPLOYED): void {
  const errors: ConfigError[] = [];
  for (const file of Object.keys(VALIDATORS) as (keyof ConfigFiles)[]) {
    try {
      VALIDATORS[file](files[file], file);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      errors.push(e);
    }
  }
  if (errors.length === 1) throw errors[0]!;
  if (errors.length > 1) throw new AggregateError(errors, errors.map((e) => e.message).join('\n'));
}
