export * from './deletion-guard.js';
