import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * An alias's ARN built from its function's ARN, not taken from the alias resource: a hook
 * that referenced the alias resource would depend on it while the alias's update policy
 * names the hook, a circular dependency.
 */
export function aliasArnOf(alias: lambda.Alias): string {
  return `${alias.version.lambda.functionArn}:${alias.aliasName}`;
}
