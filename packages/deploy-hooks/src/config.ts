import { ConfigError } from '@security-assistant/layer-common';

/** `TARGET_FUNCTION_VERSION_ARN`: the new version the pre-traffic hook validates. */
export const TARGET_FUNCTION_VERSION_ARN = 'TARGET_FUNCTION_VERSION_ARN';
/** `TARGET_FUNCTION_ALIAS_ARN`: the alias the post-traffic hook validates after the shift. */
export const TARGET_FUNCTION_ALIAS_ARN = 'TARGET_FUNCTION_ALIAS_ARN';

// A qualified function ARN: an unqualified one would run $LATEST, not what is being deployed.
const QUALIFIED_FUNCTION_ARN = /^arn:[\w-]+:lambda:[\w-]+:\d{12}:function:[\w-]+:([\w-]+)$/;

/**
 * Reads the target function of a hook: a version ARN (numeric qualifier) for
 * `TARGET_FUNCTION_VERSION_ARN`, an alias ARN for `TARGET_FUNCTION_ALIAS_ARN`.
 */
export function loadTargetFunctionArn(
  name: typeof TARGET_FUNCTION_VERSION_ARN | typeof TARGET_FUNCTION_ALIAS_ARN,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const value = env[name];
  const qualifier = value?.match(QUALIFIED_FUNCTION_ARN)?.[1];
  const wantsVersion = name === TARGET_FUNCTION_VERSION_ARN;
  if (!qualifier || /^\d+$/.test(qualifier) !== wantsVersion) {
    const kind = wantsVersion ? 'a function version ARN' : 'a function alias ARN';
    throw new ConfigError(`${name} must be ${kind} (given ${value || 'nothing'})`);
  }
  return value!;
}

/** The aliases the post-traffic hook's synthetic job goes through. */
export interface SyntheticJobAliases {
  readonly submitFunctionArn: string;
  readonly statusFunctionArn: string;
}

/**
 * `SYNTHETIC_SUBMIT_FUNCTION_ARN` and `SYNTHETIC_STATUS_FUNCTION_ARN`, both alias ARNs, or
 * undefined when neither is set (this hook's group runs no synthetic job).
 */
export function loadSyntheticJobAliases(
  env: NodeJS.ProcessEnv = process.env,
): SyntheticJobAliases | undefined {
  const names = ['SYNTHETIC_SUBMIT_FUNCTION_ARN', 'SYNTHETIC_STATUS_FUNCTION_ARN'];
  if (names.every((name) => !env[name])) return undefined;
  const [submitFunctionArn, statusFunctionArn] = names.map((name) => {
    const qualifier = env[name]?.match(QUALIFIED_FUNCTION_ARN)?.[1];
    if (!qualifier || /^\d+$/.test(qualifier)) {
      throw new ConfigError(
        `${name} must be a function alias ARN when either is set (given ${env[name] || 'nothing'})`,
      );
    }
    return env[name]!;
  });
  return { submitFunctionArn, statusFunctionArn };
}

/** What the post-traffic hook allows the new version over the bake time. */
export interface BakeLimits {
  readonly windowMinutes: number;
  readonly maxErrorRatePercent: number;
  readonly maxP99DurationMs?: number;
}

/**
 * `BAKE_MINUTES` (default 10), `MAX_ERROR_RATE_PERCENT` (default 10) and the optional
 * `MAX_P99_DURATION_MS`, each a positive number.
 */
export function loadBakeLimits(env: NodeJS.ProcessEnv = process.env): BakeLimits {
  const positive = (name: string, fallback?: number): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) {
      throw new ConfigError(`${name} must be a positive number (given ${raw})`);
    }
    return value;
  };
  return {
    windowMinutes: positive('BAKE_MINUTES', 10)!,
    maxErrorRatePercent: positive('MAX_ERROR_RATE_PERCENT', 10)!,
    maxP99DurationMs: positive('MAX_P99_DURATION_MS'),
  };
}
