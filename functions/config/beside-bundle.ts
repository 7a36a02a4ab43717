/**
 * Data files a Lambda reads at cold start from beside its bundle instead of carrying them inside the JavaScript (the
 * learned router's weights, the classifier lexicon): `lib/function-entries.ts` lists them per function, the CDK copies
 * them into the asset, and `bench:cold` copies them beside the bundle it measures. Unbundled (tests, local mode) they
 * are read from the repository.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The classifier lexicon, relative to the repository root. */
export const LEXICON_FILE = 'config/lexicon.json';

/** Where a repository-relative data file is: beside the bundle in Lambda, in the repository otherwise. */
export function besideBundle(relative: string): string {
  const candidates = [new URL(`./${relative}`, import.meta.url), new URL(`../../${relative}`, import.meta.url)].map((u) => fileURLToPath(u));
  return candidates.find((p) => existsSync(p)) ?? candidates[candidates.length - 1]!;
}

export const readBesideBundle = (relative: string): string => readFileSync(besideBundle(relative), 'utf8');
