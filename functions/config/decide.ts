/**
 * The deployed decision functions, bound to the deployed data files: one place that both Lambda wiring and
 * local mode use, so they cannot be configured differently.
 */
import { computeDeadlines } from '../domain/deadlines/index.js';
import type { DeadlineCalculator } from '../domain/case/dispatch.js';
import { calendar } from './calendar.js';
import { deadlinePolicy } from './deadline-policy.js';

export { classifyAndRoute } from './classify.js';

export const deadlinesFor: DeadlineCalculator = (input) => computeDeadlines(input, deadlinePolicy, calendar);
