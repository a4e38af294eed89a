import { join } from 'node:path';

/** The CodeDeploy lifecycle hooks this package builds, by directory name under `dist/`. */
export const HOOK_NAMES = ['pre-traffic', 'post-traffic'] as const;
export type HookName = (typeof HOOK_NAMES)[number];

/**
 * The directory holding a hook's bundle (`index.mjs`, handler `index.handler`), for
 * `lambda.Code.fromAsset(hookAssetPath('pre-traffic'))`.
 */
export function hookAssetPath(name: HookName): string {
  return join(__dirname, '..', 'dist', name);
}
