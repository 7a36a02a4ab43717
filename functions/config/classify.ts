/**
 * The deployed classifier and router: `createClassifyAndRoute` bound to `config/lexicon.json`, `config/routing.json`
 * `config/agencies.json` and the learned router `config/router-model.json` names. The one place the domain's classification is configured; `decide.ts` re-exports it.
 */
import { createClassifyAndRoute, type ClassifyAndRoute } from '../domain/classify/index.js';
import { directory } from './directory.js';
import { lexicon } from './lexicon.js';
import { routing } from './routing.js';
import { routerModel } from './router-model.js';

/** Classify and route one validated ticket (as parsed by `Ticket12345` / `Ticket12309`). */
export const classifyAndRoute: ClassifyAndRoute = createClassifyAndRoute({ lexicon, routing, directory, model: routerModel });
