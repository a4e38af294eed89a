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
