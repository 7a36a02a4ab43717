/**
 * Stage 1b: does the ticket carry a matter of its own (实质诉求)? A call that is only a greeting, or a follow-up that
 * says `同上` and nothing else, gives the classifier nothing to read; a domain chosen from it would be a guess. The
 * lexicon's `noMatter` says what such a ticket is made of; the router sends one to the dispatch center.
 */
import type { Knowledge } from '../knowledge.js';

/** A letter or digit worth counting: CJK ideographs, ASCII letters and digits (the text is normalised). */
function counts(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a);
}

/** True when the normalised `text`, its fillers taken out, still has `minChars` letters or digits. */
export function hasMatter(text: string, k: Pick<Knowledge, 'fillers' | 'lexicon'>): boolean {
  const min = k.lexicon.noMatter.minChars;
  if (min <= 0) return true;
  let rest = text;
  for (const f of k.fillers) if (rest.includes(f)) rest = rest.split(f).join('\n');
  let left = 0;
  for (let i = 0; i < rest.length && left < min; i++) if (counts(rest.charCodeAt(i))) left++;
  return left >= min;
}
