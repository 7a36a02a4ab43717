export * from './time.js';
export * from './calendar.js';
export * from './policy.js';
export * from './compute.js';
export * from './calendar-horizon.js';
