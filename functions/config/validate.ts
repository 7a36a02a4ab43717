/**
 * Build-time validation of the deployed config files whose runtime path skips zod (directory, deadline policy,
 * calendar):
 * `cdk synth` (lib/hotline-app.ts) and the tests run it, so a bad edit never reaches a Lambda, and the Lambdas need
 * not validate at every cold start. Throws one ConfigError listing every problem of every file, each with its file
 * and path. The routing table and cluster rules still validate with zod when they load; the lexicon is validated
 * by functions/config/lexicon.ts.
 */
import agenciesFile from '../../config/agencies.json' with { type: 'json' };
import calendarFile from '../../config/calendar.json' with { type: 'json' };
import policyFile from '../../config/deadline-policy.json' with { type: 'json' };
import { ConfigError } from '../domain/config-error.js';
import { calendarFromFiles } from '../domain/deadlines/calendar.js';
import { parseDeadlinePolicy } from '../domain/deadlines/policy.js';
import { directoryFromJson } from '../domain/directory/directory.js';
import { yearEntries } from './calendar.js';

export interface ConfigFiles {
  /** `config/agencies.json` */
  directory: unknown;
  /** `config/calendar.json` */
  calendar: unknown;
  /** `config/deadline-policy.json` */
  deadlinePolicy: unknown;
}

export const DEPLOYED_CONFIG: ConfigFiles = { directory: agenciesFile, calendar: calendarFile, deadlinePolicy: policyFile };

export function validateConfigFiles(files: ConfigFiles = DEPLOYED_CONFIG): void {
  const errors: ConfigError[] = [];
  const check = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      errors.push(e);
    }
  };
  check(() => directoryFromJson(files.directory, 'config/agencies.json'));
  check(() => calendarFromFiles(yearEntries(files.calendar)));
  check(() => parseDeadlinePolicy(files.deadlinePolicy, 'config/deadline-policy.json'));
  if (errors.length === 1) throw errors[0]!;
  if (errors.length > 1) throw new ConfigError('config', errors.flatMap((e) => e.problems.map((p) => `${e.file}: ${p}`)));
}
