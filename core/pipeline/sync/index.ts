export * from './assign-sync-items.js';
export * from './change-set.js';
export * from './pair-changes.js';
export * from './sync-commit-flow.js';
export * from './sync-engine.js';
export * from './sync-targets.js';
