/** Kept for the classifier's import until it moves to `./errors.js`, where ConfigError is declared. */
export { ConfigError } from './errors.js';
