/**
 * Text preparation for matching: one normalisation for lexicon terms and ticket text (full-width ASCII → half-width,
 * ASCII lower-cased, so `ＫＴＶ`, `KTV` and `ktv` are one term), and the clause/sentence layout that context rules
 * (negation, request, aside) are scoped by.
 */

export function normalise(s: string): string {
  let out = '';
  let changed = false;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0; // full-width ASCII block
    else if (c === 0x3000) c = 0x20; // ideographic space
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c !== s.charCodeAt(i)) changed = true;
    out += String.fromCharCode(c);
  }
  return changed ? out : s;
}

const SENTENCE_END = new Set(['。', '!', '?', ';', '\n', '…']);
const CLAUSE_END = new Set([',', ':', '，', '：', '—', '(', ')', '（', '）']);

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
    const ch = text[i]!;
    const endsSentence = SENTENCE_END.has(ch);
    if ((endsSentence || CLAUSE_END.has(ch)) && clause < 0xfffe) {
      if (endsSentence) sentence++;
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
