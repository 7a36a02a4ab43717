/**
 * Validation of `config/group-keys.json` (zod): every problem listed by path in one `ConfigError` naming the file.
 * Runs in the tests and in `cdk synth` (`functions/config/validate.ts`), not at cold start.
 *
 * Words must be plain text (CJK characters, letters, digits): they are spliced into patterns that run on citizen
 * text, and plain words keep those patterns linear (no regular-expression syntax can reach them).
 */
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import type { GroupKeyVocabulary } from './group-key.js';

/** CJK unified ideographs (BMP), ASCII letters and digits. */
const PLAIN = /^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffA-Za-z0-9]+$/;
const Word = z.string().max(20).regex(PLAIN, 'a plain word: CJK characters, letters or digits, no spaces or regular-expression syntax');
const Words = z.array(Word).min(1);
const Chars = z.string().min(1).regex(PLAIN, 'plain characters: CJK characters, letters or digits');
const Limit = z.number().int().min(1).max(200);

export const GroupKeyFile = z.strictObject({
  $comment: z.string().optional(),
  version: z.literal(1),
  limits: z.strictObject({
    $comment: z.string().optional(),
    maxKeysPerKind: Limit,
    maxKeyChars: Limit,
    maxTradeNameChars: Limit,
    maxNameChars: Limit,
  }),
  enterprise: z.strictObject({
    $comment: z.string().optional(),
    legalForms: Words,
    industries: Words,
    businesses: Words,
    standalone: Words,
    notAfterStandalone: Words,
    notFollowedBy: z.record(Word, Chars),
  }),
  boundary: z.strictObject({
    $comment: z.string().optional(),
    chars: Chars,
    guardedChars: z.record(z.string().length(1, 'one character').regex(PLAIN, 'a plain character'), Chars),
    words: Words,
  }),
  genericCores: Words,
  notName: z.strictObject({ $comment: z.string().optional(), words: Words, chars: Chars }),
  regionNames: Words,
});

// What validation accepts is a `GroupKeyVocabulary` (checked by tsc).
const _conforms = (x: z.input<typeof GroupKeyFile>): GroupKeyVocabulary => x;
void _conforms;

export function validateGroupKeyVocabulary(data: unknown, file = 'config/group-keys.json'): asserts data is GroupKeyVocabulary {
  const parsed = GroupKeyFile.safeParse(data);
  if (!parsed.success) throw ConfigError.fromZod(file, parsed.error);
  const d = parsed.data;
  const problems: string[] = [];
  const tailWords = new Set([...d.enterprise.legalForms, ...d.enterprise.industries, ...d.enterprise.businesses]);
  for (const w of Object.keys(d.enterprise.notFollowedBy)) {
    if (!tailWords.has(w)) problems.push(`enterprise.notFollowedBy.${w}: not a legal form, industry or business word`);
  }
  if (problems.length) throw new ConfigError(file, problems);
}
