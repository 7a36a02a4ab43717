/**
 * The deployed agency directory. The JSON is imported statically so esbuild inlines it into each Lambda
 * bundle (no file I/O at cold start) and validated once at module load: a bad edit fails the build, the
 * tests and the first cold start with every problem listed.
 */
import agencies from '../../config/agencies.json' with { type: 'json' };
import { AgencyDirectory } from '../domain/directory/directory.js';

export const directory: AgencyDirectory = AgencyDirectory.fromJson(agencies, 'config/agencies.json');
