/**
 * Traditional → simplified Chinese (繁→简) before a ticket is read: callers from Hong Kong, Macao or Taiwan, or a
 * phone's input method, write 「噪音擾民」, and the lexicon and the model read simplified text. OpenCC's dictionaries
 * (opencc-js: its phrases first, then single characters, as OpenCC's t2s does; Hong Kong variants before them).
 *
 * Most tickets hold no traditional character at all, so the check comes first: one bit test per code unit against the
 * keys of the character dictionaries, and the converter (a trie over all four dictionaries) is built the first time a
 * ticket needs it, not at every cold start.
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
const CHARACTERS = [HKVariantsRev, TSCharacters] as const;

/** A bit per code unit (8 KB, so the check stays in the first-level cache): does some dictionary key start with it? */
let startsAKey: Uint32Array | undefined;
let convert: ((s: string) => string) | undefined;

/**
 * Code units that are (or begin) a key of the single-character dictionaries: a text without one has no traditional
 * character, and is left as it is. (Phrase keys start with ordinary characters, 一, 不, 上: were they counted, nearly
 * every ticket would run the converter, and the phrases alone would rewrite simplified text, 一坏 → 一坯.)
 */
function keyStarts(): Uint32Array {
  const bits = new Uint32Array(0x10000 >>> 5);
  const mark = (c: number): void => {
    bits[c >>> 5] = bits[c >>> 5]! | (1 << (c & 31));
  };
  for (const dict of CHARACTERS) {
    mark(dict.charCodeAt(0));
    for (let i = dict.indexOf('|'); i >= 0; i = dict.indexOf('|', i + 1)) mark(dict.charCodeAt(i + 1));
  }
  return bits;
}

/** `s` in simplified characters; `s` itself (no copy) when it holds nothing to convert. */
export function toSimplified(s: string): string {
  startsAKey ??= keyStarts();
  const bits = startsAKey;
  const n = s.length;
  let i = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if ((bits[c >>> 5]! & (1 << (c & 31))) !== 0) break;
  }
  if (i === n) return s;
  convert ??= ConverterFactory(...GROUPS.map((g) => [...g]));
  return convert(s);
}
