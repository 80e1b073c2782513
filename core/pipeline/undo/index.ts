export * from './undo-plan.js';
