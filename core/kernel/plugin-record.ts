import type { Container } from 'inversify';
import type { ProblemLocation } from '../domain/problem.js';
import type { ContributionPoint } from './contribution-points.js';
import type { Disposable } from './disposable.js';
import type { SchemaViolation } from './json-schemas.js';
import type { LocatedManifest } from './manifest.js';
import type { PluginContext, PluginModule } from './plugin-api.js';

/**
 * registered: manifest valid, contributions known, code not loaded yet;
 * active: code loaded and activated; failed: see `error`; inactive: deactivated at shutdown.
 */
export type PluginState = 'registered' | 'activating' | 'active' | 'failed' | 'inactive';

export interface PluginFailure {
  code: string;
  message: string;
  location: ProblemLocation;
  /** Every schema violation of a manifest, when there was more than one thing wrong with it. */
  violations?: SchemaViolation[];
}

/**
 * declared: known from the manifest, not built yet; ready: built and handed out;
 * failed: could not be built (see `error`); its plugin's other contributions still serve.
 * When a whole plugin fails, its contributions keep their state and the plugin's own
 * `state` and `error` say why none of them serves.
 */
export type ContributionState = 'declared' | 'ready' | 'failed';

export interface ContributionSummary {
  point: ContributionPoint;
  id: string;
  displayName: string;
  state: ContributionState;
  error?: PluginFailure;
}

/** What the host shows about a plugin. */
export interface PluginInfo {
  id: string;
  version?: string;
  displayName?: string;
  dir: string;
  state: PluginState;
  activationEvents: string[];
  contributions: ContributionSummary[];
  error?: PluginFailure;
}

/** The kernel's own bookkeeping for one plugin. */
export interface PluginEntry {
  info: PluginInfo;
  located?: LocatedManifest;
  config?: Record<string, unknown>;
  registrations: Disposable[];
  container?: Container;
  module?: PluginModule;
  context?: PluginContext;
}
