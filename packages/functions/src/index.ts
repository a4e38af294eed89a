import { join } from 'node:path';

/** The Lambda functions this package builds, by directory name under `dist/`. */
export const FUNCTION_NAMES = [
  'process-drawing',
  'status',
  'health',
  'processor',
  'dlq-processor',
  'notifier',
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/**
 * The directory holding a function's bundle (`index.mjs`, handler `index.handler`), for
 * `lambda.Code.fromAsset(handlerAssetPath('status'))`.
 */
export function handlerAssetPath(name: FunctionName): string {
  return join(__dirname, '..', 'dist', name);
}

/** The handler setting of every function: `index.handler`. */
export const HANDLER = 'index.handler';
