/**
 * The deployed deadline calculator, bound to the deployed policy and calendar. Its own module, apart from decide.ts,
 * so functions that only compute deadlines (cases, feedback) do not load the classifier and its lexicon.
 */
import type { DeadlineCalculator } from '../domain/case/dispatch.js';
import { computeDeadlines } from '../domain/deadlines/index.js';
import { calendar } from './calendar.js';
import { deadlinePolicy } from './deadline-policy.js';

export const deadlinesFor: DeadlineCalculator = (input) => computeDeadlines(input, deadlinePolicy, calendar);
