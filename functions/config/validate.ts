/**
 * Build-time validation of the deployer-edited files whose runtime path skips zod (directory, deadline policy,
 * calendar, lexicon, grouping vocabulary). `cdk synth` (lib/hotline-app.ts) and the tests run it, so a bad edit
 * never reaches a Lambda and the Lambdas need not validate at every cold start. One bad file throws its own
 * ConfigError; several throw one ConfigError listing every problem of every file, each with its file and path.
 * Not imported by any Lambda: this is where zod reads these files. The routing table and the cluster rules still
 * validate with zod when they load (only the process function loads them).
 */
import agenciesFile from '../../config/agencies.json' with { type: 'json' };
import calendarFile from '../../config/calendar.json' with { type: 'json' };
import policyFile from '../../config/deadline-policy.json' with { type: 'json' };
import lexiconFile from '../../config/lexicon.json' with { type: 'json' };
import groupKeysFile from '../../config/group-keys.json' with { type: 'json' };
import { validateLexicon } from '../domain/classify/lexicon-schema.js';
import { calendarFromFiles } from '../domain/deadlines/calendar.js';
import { parseDeadlinePolicy } from '../domain/deadlines/policy.js';
import { directoryFromJson } from '../domain/directory/directory.js';
import { ConfigError } from '../domain/errors.js';
import { validateGroupKeyVocabulary } from '../domain/linkage/group-key-schema.js';
import { yearEntries } from './calendar.js';

export interface ConfigFiles {
  /** `config/agencies.json` */
  directory: unknown;
  /** `config/calendar.json` */
  calendar: unknown;
  /** `config/deadline-policy.json` */
  deadlinePolicy: unknown;
  /** `config/lexicon.json` */
  lexicon: unknown;
  /** `config/group-keys.json` */
  groupKeys: unknown;
}

export const DEPLOYED_CONFIG: ConfigFiles = {
  directory: agenciesFile,
  calendar: calendarFile,
  deadlinePolicy: policyFile,
  lexicon: lexiconFile,
  groupKeys: groupKeysFile,
};

const VALIDATORS: { [K in keyof ConfigFiles]: (data: unknown) => unknown } = {
  directory: (d) => directoryFromJson(d, 'config/agencies.json'),
  calendar: (d) => calendarFromFiles(yearEntries(d)),
  deadlinePolicy: (d) => parseDeadlinePolicy(d, 'config/deadline-policy.json'),
  lexicon: (d) => validateLexicon(d, 'config/lexicon.json'),
  groupKeys: (d) => validateGroupKeyVocabulary(d, 'config/group-keys.json'),
};

/** Validates the given files, the deployed ones for any not given. */
export function validateConfigFiles(given: Partial<ConfigFiles> = {}): void {
  const files = { ...DEPLOYED_CONFIG, ...given };
  const errors: ConfigError[] = [];
  for (const key of Object.keys(VALIDATORS) as (keyof ConfigFiles)[]) {
    try {
      VALIDATORS[key](files[key]);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      errors.push(e);
    }
  }
  if (errors.length === 1) throw errors[0]!;
  if (errors.length > 1) throw new ConfigError('config', errors.flatMap((e) => e.problems.map((p) => `${e.file}: ${p}`)));
}
