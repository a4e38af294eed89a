import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { CodeDeployLifecycleReporter } from '../adapters/codedeploy-lifecycle-reporter';
import { FunctionProbeCheck } from '../adapters/function-probe-check';
import { NewVersionMetricsCheck } from '../adapters/new-version-metrics-check';
import { loadBakeLimits, loadTargetFunctionArn, TARGET_FUNCTION_ALIAS_ARN } from '../config';
import { createHookHandler } from '../hook-handler';

const lambda = new LambdaClient({});
const cloudwatch = new CloudWatchClient({});

/**
 * After traffic shifted: the alias, now on the new version, still answers the probe, and the
 * new version's own error rate and p99 duration over the bake time are within the limits.
 */
export const handler = createHookHandler({
  service: 'post-traffic-hook',
  reporter: new CodeDeployLifecycleReporter(new CodeDeployClient({})),
  checks: () => {
    const alias = loadTargetFunctionArn(TARGET_FUNCTION_ALIAS_ARN);
    return [
      new FunctionProbeCheck(lambda, alias),
      new NewVersionMetricsCheck(lambda, cloudwatch, alias, loadBakeLimits()),
    ];
  },
});
