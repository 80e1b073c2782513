import type { CountryCode } from 'libphonenumber-js';
import type { PluginContext } from '../../../core/index.js';

/** The plugin's configuration file (`config/plugins/dedupe-rules.json`), defaults applied by the kernel. */
export interface DedupeRulesConfig {
  defaultRegion: CountryCode;
}

export function configOf(context: PluginContext): DedupeRulesConfig {
  const config = context.config as Partial<DedupeRulesConfig>;
  return { defaultRegion: config.defaultRegion ?? 'DE' };
}
