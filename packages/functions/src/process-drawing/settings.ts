import { ConfigError } from '@security-assistant/layer-common';

/** The largest drawing accepted through `POST /uploads` when `MAX_DRAWING_BYTES` is not set. */
export const DEFAULT_MAX_DRAWING_BYTES = 100 * 1024 * 1024;

/** `MAX_DRAWING_BYTES`: the construct's `maxDrawingSizeBytes` prop. */
export function maxDrawingBytesFrom(env: NodeJS.ProcessEnv): number {
  const raw = env.MAX_DRAWING_BYTES ?? String(DEFAULT_MAX_DRAWING_BYTES);
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new ConfigError(`MAX_DRAWING_BYTES must be a positive integer (given ${raw})`);
  }
  return value;
}
