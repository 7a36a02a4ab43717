import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { calendar } from '../../functions/config/calendar.js';
import { directory } from '../../functions/config/directory.js';
import { directoryFromJson } from '../../functions/domain/directory/directory.js';
import { deadlinePolicy } from '../../functions/config/deadline-policy.js';
import { DEPLOYED_CONFIG, validateConfigFiles } from '../../functions/config/validate.js';
import { ConfigError } from '../../functions/domain/errors.js';
import { calendarFromFiles, parseDeadlinePolicy } from '../../functions/domain/deadlines/index.js';
import { yearEntries } from '../../functions/config/calendar.js';
import { buildHotlineApp } from '../../lib/hotline-app.js';

const clone = <T>(x: T): T => structuredClone(x);
const problemsOf = (f: () => unknown): string[] => {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError');
};

/** The deployed files with one directory region, one policy field and one calendar date broken. */
function broken() {
  const files = clone(DEPLOYED_CONFIG) as typeof DEPLOYED_CONFIG & {
    directory: { regions: { code: string }[] };
    calendar: { years: { holidays: string[] }[] };
    deadlinePolicy: { dueSoonFraction: number };
  };
  files.directory.regions[0]!.code = '15030';
  files.deadlinePolicy.dueSoonFraction = 2;
  files.calendar.years[0]!.holidays[0] = '2024-02-30';
  return files;
}

describe('config validation at build time', () => {
  it('accepts the deployed files', () => {
    expect(() => validateConfigFiles()).not.toThrow();
  });

  it('the runtime path (no zod) builds exactly what validation produces', () => {
    expect(deadlinePolicy).toEqual(parseDeadlinePolicy(DEPLOYED_CONFIG.deadlinePolicy));
    expect(calendar).toEqual(calendarFromFiles(yearEntries(DEPLOYED_CONFIG.calendar)));
    expect(directory).toEqual(directoryFromJson(DEPLOYED_CONFIG.directory));
  });

  it('lists every problem of every file, each with its file and path', () => {
    const problems = problemsOf(() => validateConfigFiles(broken()));
    expect(problems).toEqual([
      expect.stringMatching(/^config\/agencies\.json: regions\.0\.code: /),
      expect.stringMatching(/^config\/calendar\.json years\.0 \(2024\): holidays\.0: must be a real date/),
      expect.stringMatching(/^config\/deadline-policy\.json: dueSoonFraction: /),
    ]);
  });

  it('cdk synth refuses to build the app with a bad file', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    expect(() => buildHotlineApp(app, { configFiles: broken() })).toThrow(ConfigError);
    expect(app.node.children).toHaveLength(0);
  });
});
