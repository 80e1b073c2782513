export * from './commit/commit-executor.js';
export * from './commit/commit-step.js';
export * from './plan.js';
export * from './snapshot.js';
