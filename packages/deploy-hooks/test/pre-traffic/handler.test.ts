import { randomUUID } from 'node:crypto';
import {
  CodeDeployClient,
  PutLifecycleEventHookExecutionStatusCommand,
} from '@aws-sdk/client-codedeploy';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { InvalidHookEventError, LifecycleReportError } from '../../src/errors';
import { REPORT_MARGIN_MS } from '../../src/hook-handler';
import { handler } from '../../src/pre-traffic/handler';

// DynamoDB, S3 and SQS are real resources on the moto server. Two APIs are mocked with
// aws-sdk-client-mock because moto cannot serve them: CodeDeploy's
// PutLifecycleEventHookExecutionStatus does not exist there, and moto's Lambda Invoke does
// not run the function's code, so it could not answer the probe.
const codedeployMock = mockClient(CodeDeployClient);
const lambdaMock = mockClient(LambdaClient);

const VERSION_ARN =
  'arn:aws:lambda:eu-west-1:123456789012:function:security-assistant-dev-status:7';
const suffix = randomUUID().slice(0, 8);
const resources = {
  TABLE_NAME: `pre-traffic-${suffix}`,
  BUCKET_NAME: `pre-traffic-${suffix}`,
  QUEUE_URL: '',
};

const context = (remainingMs = 60_000) =>
  ({ getRemainingTimeInMillis: () => remainingMs }) as unknown as Context;
const hookEvent = () => ({
  DeploymentId: `d-${randomUUID().slice(0, 9).toUpperCase()}`,
  LifecycleEventHookExecutionId: randomUUID(),
});
const probeAnswer = (value: unknown) => ({
  StatusCode: 200,
  Payload: new TextEncoder().encode(JSON.stringify(value)) as InvokeCommandOutput['Payload'],
});
const reports = () =>
  codedeployMock
    .commandCalls(PutLifecycleEventHookExecutionStatusCommand)
    .map((c) => c.args[0].input);

beforeAll(async () => {
  await new DynamoDBClient({}).send(
    new CreateTableCommand({
      TableName: resources.TABLE_NAME,
      AttributeDefinitions: [{ AttributeName: 'job_id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'job_id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await new S3Client({ forcePathStyle: true }).send(
    new CreateBucketCommand({ Bucket: resources.BUCKET_NAME }),
  );
  const { QueueUrl } = await new SQSClient({}).send(
    new CreateQueueCommand({ QueueName: `pre-traffic-${suffix}` }),
  );
  resources.QUEUE_URL = QueueUrl!;
});

beforeEach(() => {
  codedeployMock.reset();
  lambdaMock.reset();
  codedeployMock.on(PutLifecycleEventHookExecutionStatusCommand).resolves({});
  lambdaMock
    .on(InvokeCommand)
    .resolves(probeAnswer({ ok: true, service: 'status', version: '0.1.0' }));
  Object.assign(process.env, resources, { TARGET_FUNCTION_VERSION_ARN: VERSION_ARN });
});

describe('pre-traffic hook', () => {
  it('reports Succeeded once when the version answers and every resource is reachable', async () => {
    // Given a healthy new version and existing table, bucket and queue
    const event = hookEvent();

    // When CodeDeploy invokes the hook
    const status = await handler(event, context());

    // Then exactly one Succeeded report names this deployment's hook execution
    expect(status).toBe('Succeeded');
    expect(reports()).toEqual([
      {
        deploymentId: event.DeploymentId,
        lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
        status: 'Succeeded',
      },
    ]);
    expect(lambdaMock.commandCalls(InvokeCommand)[0].args[0].input.FunctionName).toBe(VERSION_ARN);
  });

  it('reports Failed when the probe returns a FunctionError', async () => {
    lambdaMock.on(InvokeCommand).resolves({
      ...probeAnswer({ errorType: 'Error', errorMessage: 'Cannot find module' }),
      FunctionError: 'Unhandled',
    });
    const event = hookEvent();

    await expect(handler(event, context())).resolves.toBe('Failed');

    expect(reports()).toEqual([
      {
        deploymentId: event.DeploymentId,
        lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
        status: 'Failed',
      },
    ]);
  });

  it.each([
    ['table', 'TABLE_NAME', () => `missing-${suffix}`],
    ['bucket', 'BUCKET_NAME', () => `missing-${suffix}`],
    ['queue', 'QUEUE_URL', () => resources.QUEUE_URL.replace(/[^/]+$/, `missing-${suffix}`)],
  ])('reports Failed when the %s does not exist', async (_, variable, missing) => {
    process.env[variable] = missing();

    await expect(handler(hookEvent(), context())).resolves.toBe('Failed');

    expect(reports().map((r) => r.status)).toEqual(['Failed']);
  });

  it('reports Failed before the deadline when the probe never answers', async () => {
    // Given an invoke that hangs and only 300 ms left before the report margin
    lambdaMock.on(InvokeCommand).callsFake(() => new Promise(() => undefined));
    const remainingMs = REPORT_MARGIN_MS + 300;
    const started = Date.now();

    // When CodeDeploy invokes the hook
    const status = await handler(hookEvent(), context(remainingMs));

    // Then Failed is reported well inside the Lambda's remaining time
    expect(status).toBe('Failed');
    expect(reports().map((r) => r.status)).toEqual(['Failed']);
    expect(Date.now() - started).toBeLessThan(remainingMs - REPORT_MARGIN_MS / 2);
  });

  it('reports Failed when its own configuration is missing', async () => {
    delete process.env.TARGET_FUNCTION_VERSION_ARN;

    await expect(handler(hookEvent(), context())).resolves.toBe('Failed');

    expect(reports().map((r) => r.status)).toEqual(['Failed']);
    expect(lambdaMock.commandCalls(InvokeCommand)).toHaveLength(0);
  });

  it('rejects an event without hook ids and reports nothing', async () => {
    const notAHookEvent = { DeploymentId: 'd-ABC' } as unknown as ReturnType<typeof hookEvent>;

    await expect(handler(notAHookEvent, context())).rejects.toBeInstanceOf(InvalidHookEventError);

    expect(reports()).toHaveLength(0);
  });

  it('fails the invocation when CodeDeploy rejects the report, so Lambda retries it', async () => {
    codedeployMock
      .on(PutLifecycleEventHookExecutionStatusCommand)
      .rejects(new Error('ThrottlingException'));

    await expect(handler(hookEvent(), context())).rejects.toBeInstanceOf(LifecycleReportError);
  });
});
