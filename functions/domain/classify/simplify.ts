/**
 * Traditional → simplified Chinese (繁→简) before a ticket is read: callers from Hong Kong, Macao or Taiwan, or a
 * phone's input method, write 「噪音擾民」, and the lexicon and the model read simplified text. OpenCC's dictionaries
 * (opencc-js: its phrases first, then single characters, as OpenCC's t2s does; Hong Kong variants before them).
 *
 * Most tickets hold no traditional character at all, so the check comes first: one table lookup per code unit, and the
 * converter (a trie over the dictionaries) is built the first time a ticket needs it, not at every cold start.
 */
import { ConverterFactory } from 'opencc-js/core';
import HKVariantsRev from 'opencc-js/dict/HKVariantsRev';
import HKVariantsRevPhrases from 'opencc-js/dict/HKVariantsRevPhrases';
import TSCharacters from 'opencc-js/dict/TSCharacters';
import TSPhrases from 'opencc-js/dict/TSPhrases';

const GROUPS = [
  [HKVariantsRevPhrases, HKVariantsRev],
  [TSPhrases, TSCharacters],
] as const;

let startsAKey: Uint8Array | undefined;
let convert: ((s: string) => string) | undefined;

/** Code units that begin some dictionary key (a serialized dictionary is `key value|key value|…`). */
function keyStarts(): Uint8Array {
  const flags = new Uint8Array(0x10000);
  for (const group of GROUPS)
    for (const dict of group) {
      flags[dict.charCodeAt(0)] = 1;
      for (let i = dict.indexOf('|'); i >= 0; i = dict.indexOf('|', i + 1)) flags[dict.charCodeAt(i + 1)] = 1;
    }
  return flags;
}

/** `s` in simplified characters; `s` itself (no copy) when it holds nothing to convert. */
export function toSimplified(s: string): string {
  startsAKey ??= keyStarts();
  let i = 0;
  while (i < s.length && startsAKey[s.charCodeAt(i)] === 0) i++;
  if (i === s.length) return s;
  convert ??= ConverterFactory(...GROUPS.map((g) => [...g]));
  return convert(s);
}
