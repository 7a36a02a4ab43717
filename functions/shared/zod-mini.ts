/**
 * Imported for its effect by every module that validates with `zod/mini` in Lambda: loads zod's English messages
 * once, so validation answers read the same as full zod's. `zod/mini` is tree-shakable functions, a few tens of KB
 * in a bundle instead of ~380 KB for full zod with all its locales. Import `* as z from 'zod/mini'` in the module
 * itself (re-exporting the namespace from here would keep all of it in the bundle). Config files and the event
 * contracts, checked at build and test time, keep full zod.
 */
import { config } from 'zod/mini';
import { en } from 'zod/locales';

config(en());
