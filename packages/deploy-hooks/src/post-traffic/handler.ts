import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { CodeDeployLifecycleReporter } from '../adapters/codedeploy-lifecycle-reporter';
import { FunctionProbeCheck } from '../adapters/function-probe-check';
import { loadTargetFunctionArn, TARGET_FUNCTION_ALIAS_ARN } from '../config';
import { createHookHandler } from '../hook-handler';

const lambda = new LambdaClient({});

/** After traffic shifted: the alias, now on the new version, still answers the probe. */
export const handler = createHookHandler({
  service: 'post-traffic-hook',
  reporter: new CodeDeployLifecycleReporter(new CodeDeployClient({})),
  checks: () => [new FunctionProbeCheck(lambda, loadTargetFunctionArn(TARGET_FUNCTION_ALIAS_ARN))],
});
