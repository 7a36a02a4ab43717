/**
 * The deployed decision functions, bound to the deployed data files: one place that both Lambda wiring and
 * local mode use, so they cannot be configured differently. Code that needs only deadlines imports
 * `./deadlines.js`, which does not load the classifier.
 */
export { classifyAndRoute } from './classify.js';
export { deadlinesFor } from './deadlines.js';
