/**
 * The deployed classifier lexicon, imported statically (esbuild inlines it: no file I/O at cold start) and built
 * without validation: `validateLexicon` (zod, every problem listed) runs on this same file in the tests and in
 * `cdk synth` (`functions/config/validate.ts`), so a bad edit never deploys, and the cold start skips ~90 ms of zod.
 */
import data from '../../config/lexicon.json' with { type: 'json' };
import { buildLexicon, type Lexicon, type LexiconSource } from '../domain/classify/lexicon.js';

export const lexicon: Lexicon = buildLexicon(data as unknown as LexiconSource);
