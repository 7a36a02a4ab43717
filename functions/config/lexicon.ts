/**
 * The deployed classifier lexicon, imported statically (esbuild inlines it: no file I/O at cold start) and validated
 * once at module load, so a bad edit fails the build, the tests and the first cold start with every problem listed.
 */
import data from '../../config/lexicon.json' with { type: 'json' };
import { loadLexicon, type Lexicon } from '../domain/classify/lexicon.js';

export const lexicon: Lexicon = loadLexicon(data, 'config/lexicon.json');
