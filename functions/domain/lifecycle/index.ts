export * from './transitions.js';
export * from './apply.js';
export * from './events.js';
