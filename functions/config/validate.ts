/**
 * Build-time validation of the deployer-edited files whose runtime path skips zod (directory, deadline policy,
 * calendar, lexicon, grouping vocabulary, routing table, similar-case rules, retention policy), with the checks across files (every
 * agency kind the routing table and the rules name is in the directory; the rules agree with the routing table). `cdk synth` (lib/hotline-app.ts) and the tests run it, so a bad edit
 * never reaches a Lambda and the Lambdas need not validate at every cold start. One bad file throws its own
 * ConfigError; several throw one ConfigError listing every problem of every file, each with its file and path.
 * Not imported by any Lambda: this is where zod reads these files.
 */
import agenciesFile from '../../config/agencies.json' with { type: 'json' };
import calendarFile from '../../config/calendar.json' with { type: 'json' };
import policyFile from '../../config/deadline-policy.json' with { type: 'json' };
import lexiconFile from '../../config/lexicon.json' with { type: 'json' };
import groupKeysFile from '../../config/group-keys.json' with { type: 'json' };
import routingFile from '../../config/routing.json' with { type: 'json' };
import clusterRulesFile from '../../config/cluster-rules.json' with { type: 'json' };
import routerModelFile from '../../config/router-model.json' with { type: 'json' };
import retentionFile from '../../config/retention-policy.json' with { type: 'json' };
import mergeRulesFile from '../../config/merge-rules.json' with { type: 'json' };
import disputePolicyFile from '../../config/dispute-policy.json' with { type: 'json' };
import kpisFile from '../../config/kpis.json' with { type: 'json' };
import { parseMergeRules } from '../domain/merge/merge-rules.js';
import { parseDisputePolicy } from '../domain/lifecycle/dispute-policy.js';
import { parseKpiRules } from '../domain/report/kpis.js';
import { validateLexicon } from '../domain/classify/lexicon-schema.js';
import { calendarFromFiles } from '../domain/deadlines/calendar.js';
import { parseDeadlinePolicy } from '../domain/deadlines/policy.js';
import { parseRetentionPolicy } from '../domain/privacy/retention-policy-schema.js';
import { directoryFromJson } from '../domain/directory/directory.js';
import { ConfigError, checkEach } from '../domain/errors.js';
import { ModelError } from '../domain/classify/model/router-model.js';
import { loadRouterModel } from './router-model-file.js';
import { validateGroupKeyVocabulary } from '../domain/linkage/group-key-schema.js';
import { parseClusterRules } from '../domain/linkage/cluster-rules-schema.js';
import { loadRoutingTable } from '../domain/route/routing-table-schema.js';
import type { RoutingTable } from '../domain/route/routing-table.js';
import type { AgencyDirectory } from '../domain/directory/directory.js';
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
  /** `config/routing.json` */
  routing: unknown;
  /** `config/cluster-rules.json` */
  clusterRules: unknown;
  /** `config/router-model.json`: which learned router file (models/) the process function loads, or null */
  routerModel: unknown;
  /** `config/retention-policy.json`: when contacts are erased and case text anonymised after a close (PIPL) */
  retention: unknown;
  /** `config/merge-rules.json`: repeat-request merging (重复诉求合并) */
  mergeRules: unknown;
  /** `config/dispute-policy.json`: dispute review of returns (派单异议审核) */
  disputePolicy: unknown;
  /** `config/kpis.json`: the report's rates, the three survey rates' weights, the minimum sample */
  kpis: unknown;
}

export const DEPLOYED_CONFIG: ConfigFiles = {
  directory: agenciesFile,
  calendar: calendarFile,
  deadlinePolicy: policyFile,
  lexicon: lexiconFile,
  groupKeys: groupKeysFile,
  routing: routingFile,
  clusterRules: clusterRulesFile,
  routerModel: routerModelFile,
  retention: retentionFile,
  mergeRules: mergeRulesFile,
  disputePolicy: disputePolicyFile,
  kpis: kpisFile,
};

/** The pointer names a file under models/ that loads (format, version, taxonomy, checksum), or is null. */
function checkRouterModel(pointer: unknown): void {
  const file = 'config/router-model.json';
  const model = (pointer as { model?: unknown } | null)?.model;
  if (model === null) return;
  if (typeof model !== 'string' || !/^models\/[\w.-]+\.json$/.test(model))
    throw new ConfigError(file, [`model: a file name like "models/router-2026-12-03.json", or null; got ${JSON.stringify(model)}`]);
  try {
    loadRouterModel(model);
  } catch (e) {
    if (e instanceof ModelError || (e as NodeJS.ErrnoException).code === 'ENOENT') throw new ConfigError(file, [`model: ${(e as Error).message}`]);
    throw e;
  }
}

/** One check per file, in order; later ones use what earlier ones built (the directory, the routing table). */
function validators(files: ConfigFiles): [keyof ConfigFiles, () => void][] {
  let directory: AgencyDirectory | undefined;
  let routing: RoutingTable | undefined;
  return [
    [
      'directory',
      () => {
        directory = directoryFromJson(files.directory, 'config/agencies.json');
      },
    ],
    ['calendar', () => void calendarFromFiles(yearEntries(files.calendar))],
    ['deadlinePolicy', () => void parseDeadlinePolicy(files.deadlinePolicy, 'config/deadline-policy.json')],
    ['lexicon', () => validateLexicon(files.lexicon, 'config/lexicon.json')],
    ['groupKeys', () => validateGroupKeyVocabulary(files.groupKeys, 'config/group-keys.json')],
    [
      'routing',
      () => {
        routing = loadRoutingTable(files.routing, 'config/routing.json', directory && ((k) => directory!.hasKind(k)));
      },
    ],
    [
      'clusterRules',
      () =>
        void parseClusterRules(
          files.clusterRules,
          'config/cluster-rules.json',
          directory && ((k) => directory!.hasKind(k)),
          routing && { isPilDomain: (d) => routing!.domains[d].pil, clueDepartment: (c, d) => routing!.clueDepartment(c, d) },
        ),
    ],
    ['routerModel', () => checkRouterModel(files.routerModel)],
    ['retention', () => void parseRetentionPolicy(files.retention, 'config/retention-policy.json')],
    ['mergeRules', () => void parseMergeRules(files.mergeRules, 'config/merge-rules.json')],
    ['disputePolicy', () => void parseDisputePolicy(files.disputePolicy, 'config/dispute-policy.json')],
    ['kpis', () => void parseKpiRules(files.kpis, 'config/kpis.json')],
  ];
}

/** Validates the given files, the deployed ones for any not given. */
export function validateConfigFiles(given: Partial<ConfigFiles> = {}): void {
  const files = { ...DEPLOYED_CONFIG, ...given };
  checkEach(validators(files), ([, check]) => check(), 'config');
}
