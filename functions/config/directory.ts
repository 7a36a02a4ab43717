/**
 * The deployed agency directory. The JSON is imported statically so esbuild inlines it into each Lambda
 * bundle (no file I/O at cold start). Its shape is validated with zod in the tests and at `cdk synth`
 * (functions/config/validate.ts), so the Lambdas skip zod; the cheap consistency checks (parents, duplicates,
 * reachability) still run at load.
 */
import agencies from '../../config/agencies.json' with { type: 'json' };
import { AgencyDirectory, type DirectoryFile } from '../domain/directory/directory.js';

export const directory: AgencyDirectory = AgencyDirectory.fromFile(agencies as DirectoryFile, 'config/agencies.json');
