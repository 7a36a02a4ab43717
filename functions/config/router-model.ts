/**
 * The learned router the deployment uses: `config/router-model.json` names a model file under `models/` (or null for
 * the lexicon alone). Rolling back is pointing it at the previous file.
 *
 * The model is not bundled into the JavaScript: the CDK copies the named file beside the process function's bundle
 * (lib/node-function.ts), and it is read once at cold start. Unbundled (tests, local mode) it is read from the
 * repository. `cdk synth` and the tests validate it first (functions/config/validate.ts).
 */
import pointer from '../../config/router-model.json' with { type: 'json' };
import type { RouterModel } from '../domain/classify/model/router-model.js';
import { loadRouterModel } from './router-model-file.js';

/** The configured model file, relative to the repository root, or null. */
export const routerModelFile: string | null = (pointer as { model: string | null }).model;
/** Checksum verified by `cdk synth` and the tests (validate.ts), not again at every cold start. */
export const routerModel: RouterModel | undefined = routerModelFile ? loadRouterModel(routerModelFile, { verify: false }) : undefined;
