import { ConfigError, type PlatformConfig } from '@security-assistant/layer-common';
import type { DrawingAnalyser } from '../ports';
import { OfflineTextAnalyser } from './offline-text-analyser';

/** The analyser `ANALYSER` names. */
export function createAnalyser(name: PlatformConfig['analyser']): DrawingAnalyser {
  if (name === 'offline') return new OfflineTextAnalyser();
  throw new ConfigError(`ANALYSER "${name}" is not implemented yet; use "offline"`);
}
