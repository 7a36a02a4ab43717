/**
 * The one entry point the pipeline uses: classify a validated ticket and route it with the deployed lexicon, routing
 * table and agency directory. `createClassifyAndRoute` builds the same function from other configs (tests, a city's
 * trial lexicon).
 */
import type { SourcedTicket } from '../ticket/schemas.js';
import type { AgencyDirectory } from '../directory/directory.js';
import type { RoutingTable } from '../route/routing-table.js';
import { Router } from '../route/router.js';
import { lexicon } from '../../config/lexicon.js';
import { routing } from '../../config/routing.js';
import { directory } from '../../config/directory.js';
import { Classifier } from './classifier.js';
import type { Lexicon } from './lexicon.js';
import type { Decision } from './decision.js';

export type { Decision } from './decision.js';
export type { Classification } from './classifier.js';

export function createClassifyAndRoute(config: { lexicon: Lexicon; routing: RoutingTable; directory: AgencyDirectory }): (t: SourcedTicket) => Decision {
  const classifier = new Classifier(config.lexicon, config.routing);
  const router = new Router(config.routing, config.directory);
  return (t) => router.route(t, classifier.classify(t));
}

/** Classify and route one validated ticket (as parsed by `Ticket12345` / `Ticket12309`). */
export const classifyAndRoute: (t: SourcedTicket) => Decision = createClassifyAndRoute({ lexicon, routing, directory });
