import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { loadConfig } from '@security-assistant/layer-common';
import { CodeDeployLifecycleReporter } from '../adapters/codedeploy-lifecycle-reporter';
import { FunctionProbeCheck } from '../adapters/function-probe-check';
import { BucketCheck, QueueCheck, TableCheck } from '../adapters/resource-checks';
import { loadTargetFunctionArn, TARGET_FUNCTION_VERSION_ARN } from '../config';
import { createHookHandler } from '../hook-handler';

const { s3ForcePathStyle } = loadConfig(['s3ForcePathStyle']);
const lambda = new LambdaClient({});
const dynamodb = new DynamoDBClient({});
const s3 = new S3Client({ forcePathStyle: s3ForcePathStyle });
const sqs = new SQSClient({});

/** Before traffic shifts: the new version answers the probe and its resources are reachable. */
export const handler = createHookHandler({
  service: 'pre-traffic-hook',
  reporter: new CodeDeployLifecycleReporter(new CodeDeployClient({})),
  checks: () => {
    const config = loadConfig(['tableName', 'bucketName', 'queueUrl']);
    return [
      new FunctionProbeCheck(lambda, loadTargetFunctionArn(TARGET_FUNCTION_VERSION_ARN)),
      new TableCheck(dynamodb, config.tableName),
      new BucketCheck(s3, config.bucketName),
      new QueueCheck(sqs, config.queueUrl),
    ];
  },
});
