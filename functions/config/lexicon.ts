/**
 * The deployed classifier lexicon, read once from beside the bundle (`beside-bundle.ts`: 119 KB of JSON that would
 * otherwise be most of the process function's bundle; `JSON.parse` reads it as fast as the bundle would evaluate it) and
 * built without validation: `validateLexicon` (zod, every problem listed) runs on this same file in the tests and in
 * `cdk synth` (`functions/config/validate.ts`), so a bad edit never deploys, and the cold start skips ~90 ms of zod.
 */
import { buildLexicon, type Lexicon, type LexiconSource } from '../domain/classify/lexicon.js';
import { LEXICON_FILE, readBesideBundle } from './beside-bundle.js';

export const lexicon: Lexicon = buildLexicon(JSON.parse(readBesideBundle(LEXICON_FILE)) as LexiconSource);
