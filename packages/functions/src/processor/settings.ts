import { ConfigError } from '@security-assistant/layer-common';

/** The page limit when `MAX_PAGES` is not set. */
export const DEFAULT_MAX_PAGES = 50;

/**
 * `MAX_PAGES`: the most pages a drawing may have. Read here because it is the processor's
 * alone; layer-common's `loadConfig` holds the settings several functions share.
 */
export function maxPagesFrom(env: NodeJS.ProcessEnv): number {
  const raw = env.MAX_PAGES ?? String(DEFAULT_MAX_PAGES);
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new ConfigError(`MAX_PAGES must be a positive integer (given ${raw})`);
  }
  return value;
}
