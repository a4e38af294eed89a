import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { loadConfig } from '@security-assistant/layer-common';
import { CodeDeployLifecycleReporter } from '../adapters/codedeploy-lifecycle-reporter';
import { FunctionProbeCheck } from '../adapters/function-probe-check';
import { NewVersionMetricsCheck } from '../adapters/new-version-metrics-check';
import { SyntheticJobCheck } from '../adapters/synthetic-job-check';
import {
  loadBakeLimits,
  loadSyntheticJobAliases,
  loadTargetFunctionArn,
  TARGET_FUNCTION_ALIAS_ARN,
} from '../config';
import { createHookHandler } from '../hook-handler';
import type { Check } from '../pre-traffic/validate-deployment';

const { s3ForcePathStyle } = loadConfig(['s3ForcePathStyle']);
const lambda = new LambdaClient({});
const cloudwatch = new CloudWatchClient({});
const dynamodb = new DynamoDBClient({});
const s3 = new S3Client({ forcePathStyle: s3ForcePathStyle });

/**
 * After traffic shifted: the alias, now on the new version, still answers the probe; the new
 * version's own error rate and p99 duration over the bake time are within the limits; and,
 * for the functions a job passes through, a synthetic job completes end to end.
 */
export const handler = createHookHandler({
  service: 'post-traffic-hook',
  reporter: new CodeDeployLifecycleReporter(new CodeDeployClient({})),
  checks: () => {
    const alias = loadTargetFunctionArn(TARGET_FUNCTION_ALIAS_ARN);
    const checks: Check[] = [
      new FunctionProbeCheck(lambda, alias),
      new NewVersionMetricsCheck(lambda, cloudwatch, alias, loadBakeLimits()),
    ];
    const synthetic = loadSyntheticJobAliases();
    if (synthetic) {
      const { tableName, bucketName } = loadConfig(['tableName', 'bucketName']);
      checks.push(
        new SyntheticJobCheck({ lambda, dynamodb, s3 }, { ...synthetic, tableName, bucketName }),
      );
    }
    return checks;
  },
});
