/**
 * Text preparation for matching: one normalisation for lexicon terms and ticket text (full-width ASCII → half-width,
 * ASCII lower-cased, so `ＫＴＶ`, `KTV` and `ktv` are one term), and the clause/sentence layout that context rules
 * (negation, request, aside) are scoped by.
 */
import { toSimplified } from './simplify.js';

export function normalise(s: string): string {
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0xff01 && c <= 0xff5e) || c === 0x3000 || (c >= 0x41 && c <= 0x5a)) break;
  }
  if (i === s.length) return s; // nothing to change (most lexicon terms): no copy
  const codes = new Uint16Array(s.length);
  for (let k = 0; k < s.length; k++) {
    let c = s.charCodeAt(k);
    if (c >= 0xff01 && c <= 0xff5e)
      c -= 0xfee0; // full-width ASCII block
    else if (c === 0x3000) c = 0x20; // ideographic space
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    codes[k] = c;
  }
  let out = '';
  for (let k = 0; k < codes.length; k += 4096) out += String.fromCharCode.apply(null, codes.subarray(k, k + 4096) as unknown as number[]);
  return out;
}

const SENTENCE_END = new Set(['。', '!', '?', ';', '\n', '…']);
const CLAUSE_END = new Set([',', ':', '，', '：', '—', '(', ')', '（', '）']);
/** Code unit → 2 sentence end, 1 clause end, 0 neither: one array read per character in `layout` (the hot path). */
const BOUNDARY = new Uint8Array(0x10000);
for (const ch of CLAUSE_END) BOUNDARY[ch.charCodeAt(0)] = 1;
for (const ch of SENTENCE_END) BOUNDARY[ch.charCodeAt(0)] = 2;

/** Clause and sentence index of every code unit, plus where each clause and sentence starts and ends. */
export interface Layout {
  clauseOf: Uint16Array;
  sentenceOf: Uint16Array;
  clauseStart: number[];
  clauseEnd: number[];
  clauseSentence: number[];
  sentenceCount: number;
}

export function layout(text: string): Layout {
  const n = text.length;
  const clauseOf = new Uint16Array(n);
  const sentenceOf = new Uint16Array(n);
  const clauseStart = [0];
  const clauseEnd: number[] = [];
  const clauseSentence = [0];
  let clause = 0;
  let sentence = 0;
  for (let i = 0; i < n; i++) {
    clauseOf[i] = clause;
    sentenceOf[i] = sentence;
    const b = BOUNDARY[text.charCodeAt(i)]!;
    if (b !== 0 && clause < 0xfffe) {
      if (b === 2) sentence++;
      clauseEnd.push(i + 1);
      clause++;
      clauseStart.push(i + 1);
      clauseSentence.push(sentence);
    }
  }
  clauseEnd.push(n);
  return { clauseOf, sentenceOf, clauseStart, clauseEnd, clauseSentence, sentenceCount: sentence + 1 };
}

/** The last character of a clause that is not punctuation or space, for spotting rhetorical questions (…吗？). */
export function clauseTail(text: string, l: Layout, clause: number): string {
  for (let i = (l.clauseEnd[clause] ?? text.length) - 1; i >= (l.clauseStart[clause] ?? 0); i--) {
    const ch = text[i]!;
    if (!SENTENCE_END.has(ch) && !CLAUSE_END.has(ch) && ch !== ' ' && ch !== '"' && ch !== '”' && ch !== '“') return ch;
  }
  return '';
}

/** A ticket's own text as the classifier reads it (title, content, demand, category): `normalise`, then 繁→简. */
export const readable = (s: string): string => toSimplified(normalise(s));
