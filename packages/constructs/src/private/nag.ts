import { Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Acknowledges the cdk-nag finding `AwsSolutions-IAM5[Resource::<LogicalId.Arn><suffix>]` on
 * `scope`, for a grant on `arn` + `suffix`. The finding names the resource by its logical id,
 * which depends on where the platform sits in the user's app, so it is computed, not written.
 */
export function acknowledgeResourceWildcard(
  scope: IConstruct,
  arn: string,
  suffix: string,
  reason: string,
): void {
  const resolved = Stack.of(scope).resolve(arn) as { 'Fn::GetAtt'?: [string, string] };
  const getAtt = resolved['Fn::GetAtt'];
  if (!getAtt) {
    throw new Error(`cannot name the cdk-nag finding for ${JSON.stringify(resolved)}${suffix}`);
  }
  Validations.of(scope).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${getAtt[0]}.${getAtt[1]}>${suffix}]`,
    reason,
  });
}
