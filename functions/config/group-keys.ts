/**
 * The deployed similar-case grouping vocabulary (`config/group-keys.json`), imported statically (esbuild inlines it)
 * and compiled without zod at cold start; `validateGroupKeyVocabulary` checks the same file in the tests and in
 * `cdk synth` (`functions/config/validate.ts`).
 */
import data from '../../config/group-keys.json' with { type: 'json' };
import { createGroupKeys, type GroupKeys, type GroupKeyVocabulary } from '../domain/linkage/group-key.js';

const groupKeys: GroupKeys = createGroupKeys(data as unknown as GroupKeyVocabulary);

export const { groupKeysOf, normaliseAddress } = groupKeys;
