/**
 * Classification and routing as one function, built from injected data: `createClassifyAndRoute({ lexicon, routing,
 * directory })`. The deployed instance, bound to the files in `config/`, is `classifyAndRoute` in
 * `functions/config/classify.ts` (re-exported by `functions/config/decide.ts`); tests and tools build others (a
 * city's trial lexicon). Nothing here reads configuration.
 */
import type { SourcedTicket } from '../ticket/schemas.js';
import type { AgencyDirectory } from '../directory/directory.js';
import type { RoutingTable } from '../route/routing-table.js';
import { Router } from '../route/router.js';
import { Classifier } from './classifier.js';
import type { Lexicon } from './lexicon.js';
import type { Decision } from './decision.js';
import type { RouterModel } from './model/router-model.js';

export type { Decision } from './decision.js';
export type { Classification } from './classifier.js';

export type ClassifyAndRoute = (t: SourcedTicket) => Decision;

export function createClassifyAndRoute(config: {
  lexicon: Lexicon;
  routing: RoutingTable;
  directory: AgencyDirectory;
  model?: RouterModel | undefined;
}): ClassifyAndRoute {
  const classifier = new Classifier(config.lexicon, config.routing, config.model);
  const router = new Router(config.routing, config.directory);
  return (t) => router.route(t, classifier.classify(t));
}
