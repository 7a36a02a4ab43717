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
import { routing } from '../../functions/config/routing.js';
import { clusterRules } from '../../functions/config/cluster-rules.js';
import { buildRoutingTable } from '../../functions/domain/route/routing-table.js';
import { loadRoutingTable } from '../../functions/domain/route/routing-table-schema.js';
import { parseClusterRules } from '../../functions/domain/linkage/cluster-rules-schema.js';
import { CLUE_KINDS, DOMAINS } from '../../functions/domain/taxonomy.js';
import { retentionPolicy } from '../../functions/config/retention-policy.js';
import { deployedRules } from '../../functions/config/deployed.js';
import { parseRetentionPolicy } from '../../functions/domain/privacy/retention-policy-schema.js';

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
    // Routing table: every field, and the clue department of every clue kind in every domain.
    const validated = loadRoutingTable(DEPLOYED_CONFIG.routing);
    const { clueDepartment: a, ...builtFields } = routing;
    const { clueDepartment: b, ...validatedFields } = validated;
    expect(builtFields).toEqual(validatedFields);
    for (const d of DOMAINS) for (const c of CLUE_KINDS.filter((k) => k !== 'none')) expect(a(c as never, d), `${c} in ${d}`).toBe(b(c as never, d));
    expect(clusterRules).toEqual(parseClusterRules(DEPLOYED_CONFIG.clusterRules, 'config/cluster-rules.json'));
  });

  it('builds the routing table without zod exactly as validation does, defaults included', () => {
    const minimal = structuredClone(DEPLOYED_CONFIG.routing) as Record<string, unknown> & {
      topics: Record<string, unknown>[];
      overrides: Record<string, unknown>[];
    };
    // Leave out everything that has a default: the two builds must still agree.
    for (const t of minimal.topics) {
      delete t['none'];
      delete t['scope'];
    }
    for (const o of minimal.overrides) delete o['unless'];
    const { clueDepartment: _a, ...built } = buildRoutingTable(minimal);
    const { clueDepartment: _b, ...validated } = loadRoutingTable(minimal);
    expect(built).toEqual(validated);
  });

  it('checks the routing table and the similar-case rules against the directory', () => {
    const files = clone(DEPLOYED_CONFIG) as typeof DEPLOYED_CONFIG & {
      routing: { review: { agency: string } };
      clusterRules: { rules: { agencyKind: string }[] };
    };
    files.routing.review.agency = 'no-such-center';
    files.clusterRules.rules[0]!.agencyKind = 'procuratorate.nowhere';
    const problems = problemsOf(() => validateConfigFiles(files));
    expect(problems.some((p) => /^config\/routing\.json: review\.agency: unknown agency kind "no-such-center"/.test(p))).toBe(true);
    expect(problems.some((p) => /^config\/cluster-rules\.json: rules\.0\.agencyKind: unknown agency kind "procuratorate\.nowhere"/.test(p))).toBe(true);
  });

  it('checks the jurisdictions (`covers`) of the directory, with the file and the path of each problem', () => {
    const files = clone(DEPLOYED_CONFIG) as typeof DEPLOYED_CONFIG & { directory: { regions: Record<string, unknown>[] } };
    const district = files.directory.regions.findIndex((r) => r['code'] === '150302');
    files.directory.regions[district]!['covers'] = { 'market-regulation': ['150303'], tax: ['999999'] };
    const problems = problemsOf(() => validateConfigFiles(files));
    expect(problems).toEqual([`regions.${district}.covers.tax.0: region 999999 is not in the directory`]);
    const err = (() => {
      try {
        validateConfigFiles(files);
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(err?.message).toContain('config/agencies.json is invalid');
    delete (files.directory.regions[district]!['covers'] as Record<string, unknown>)['tax'];
    expect(problemsOf(() => validateConfigFiles(files))).toEqual([
      `regions.${district}.covers.market-regulation: the jurisdiction must include the agency's own region 150302 (or a region above it)`,
    ]);
  });

  it('checks which agencies consume their queue (`queueConsumers`): kinds of the region, each once; none by default', () => {
    const files = clone(DEPLOYED_CONFIG) as typeof DEPLOYED_CONFIG & { directory: { regions: Record<string, unknown>[] } };
    const district = files.directory.regions.findIndex((r) => r['code'] === '150302');
    files.directory.regions[district]!['queueConsumers'] = ['market-regulation', 'water-resources', 'market-regulation'];
    expect(problemsOf(() => validateConfigFiles(files))).toEqual([
      `regions.${district}.queueConsumers.1: the region does not list kind "water-resources", so it has no such agency queue`,
      `regions.${district}.queueConsumers.2: kind "market-regulation" is listed twice`,
    ]);
    files.directory.regions[district]!['queueConsumers'] = ['market-regulation'];
    expect(() => validateConfigFiles(files)).not.toThrow();
    const dir = directoryFromJson(files.directory);
    expect(dir.get('150302:market-regulation')?.consumesByQueue).toBe(true);
    expect(dir.get('150302:tax')?.consumesByQueue).toBe(false);
    files.directory.regions[district]!['queueConsumers'] = 'market-regulation';
    expect(problemsOf(() => validateConfigFiles(files)).some((p) => p.includes(`regions.${district}.queueConsumers`))).toBe(true);
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

describe('config/router-model.json', () => {
  it('accepts null (the lexicon alone) and names what is wrong with a bad pointer or file', async () => {
    expect(() => validateConfigFiles({ routerModel: { model: null } })).not.toThrow();
    expect(problemsOf(() => validateConfigFiles({ routerModel: { model: '../secrets.json' } }))[0]).toMatch(/a file name like "models\/router-/);
    expect(problemsOf(() => validateConfigFiles({ routerModel: { model: 'models/router-1999-01-01.json' } }))[0]).toMatch(/ENOENT|no such file/);
    const { writeFileSync, rmSync } = await import('node:fs');
    const name = `models/test-damaged-${process.pid}.json`;
    writeFileSync(name, '{"format":"hotline-router-model","version":1}');
    try {
      expect(problemsOf(() => validateConfigFiles({ routerModel: { model: name } }))[0]).toMatch(/router model models\/test-damaged-\d+\.json: its domains/);
    } finally {
      rmSync(name);
    }
  });
});

describe('config/retention-policy.json (PIPL)', () => {
  const FILE = 'config/retention-policy.json';
  const policy = (over: Record<string, unknown>) => ({ ...(clone(DEPLOYED_CONFIG.retention) as Record<string, unknown>), ...over });

  it('the runtime path (no zod) builds exactly what validation produces', () => {
    expect(retentionPolicy).toEqual(parseRetentionPolicy(DEPLOYED_CONFIG.retention, FILE));
    expect(deployedRules.retention).toBe(retentionPolicy);
  });

  it('refuses text that would be anonymised before the contact is erased, with the file, the path and both numbers', () => {
    const problems = problemsOf(() => parseRetentionPolicy(policy({ contactErasedAfterDays: 400, textAnonymisedAfterDays: 365 }), FILE));
    expect(problems).toEqual(['textAnonymisedAfterDays: must be at least contactErasedAfterDays (400): the text outlives the contact, got 365']);
  });

  it('names every bad field: not whole days, zero, a typo of a century, an unknown field, a missing one', () => {
    const bad = policy({ contactErasedAfterDays: 30.5, auditRecordDays: 0, maxCasesPerRun: 1e9, textAnonymisedAfterDays: 99_999, erase: true });
    const problems = problemsOf(() => parseRetentionPolicy(bad, FILE));
    expect(problems.some((p) => p.startsWith('contactErasedAfterDays:') && p.includes('whole number of days'))).toBe(true);
    expect(problems.some((p) => p.startsWith('auditRecordDays:') && p.includes('at least 1 day'))).toBe(true);
    expect(problems.some((p) => p.startsWith('maxCasesPerRun:') && p.includes('at most 100000'))).toBe(true);
    expect(problems.some((p) => p.startsWith('textAnonymisedAfterDays:') && p.includes('at most 36500'))).toBe(true);
    expect(problems.some((p) => p.includes('erase'))).toBe(true);
    const { maxCasesPerRun: _m, ...missing } = policy({});
    expect(problemsOf(() => parseRetentionPolicy(missing, FILE)).some((p) => p.startsWith('maxCasesPerRun:'))).toBe(true);
  });

  it('is checked with the other files at build time, and its error names the file', () => {
    try {
      validateConfigFiles({ retention: policy({ contactErasedAfterDays: -1 }) });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).file).toBe(FILE);
      expect((e as ConfigError).problems.some((p) => p.startsWith('contactErasedAfterDays:'))).toBe(true);
    }
  });
});
