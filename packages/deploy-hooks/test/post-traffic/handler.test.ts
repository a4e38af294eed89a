import { randomUUID } from 'node:crypto';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CodeDeployClient,
  PutLifecycleEventHookExecutionStatusCommand,
} from '@aws-sdk/client-codedeploy';
import {
  GetAliasCommand,
  InvokeCommand,
  LambdaClient,
  type InvokeCommandOutput,
} from '@aws-sdk/client-lambda';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../src/post-traffic/handler';

// moto has no CodeDeploy PutLifecycleEventHookExecutionStatus and its Lambda Invoke does not
// run code, so those clients are mocked with aws-sdk-client-mock; CloudWatch is mocked too, to
// give each case the bake-time metrics it needs (the local-platform e2e test reads moto's).
const codedeployMock = mockClient(CodeDeployClient);
const lambdaMock = mockClient(LambdaClient);
const cloudwatchMock = mockClient(CloudWatchClient);
const bakeMetrics = (errors: number, invocations: number) =>
  cloudwatchMock.on(GetMetricDataCommand).resolves({
    MetricDataResults: [
      { Id: 'errors', Values: [errors] },
      { Id: 'invocations', Values: [invocations] },
      { Id: 'p99', Values: [120] },
    ],
  });

const ALIAS_ARN =
  'arn:aws:lambda:eu-west-1:123456789012:function:security-assistant-dev-status:live';
const context = { getRemainingTimeInMillis: () => 60_000 } as unknown as Context;
const hookEvent = () => ({
  DeploymentId: `d-${randomUUID().slice(0, 9).toUpperCase()}`,
  LifecycleEventHookExecutionId: randomUUID(),
});
const answer = (value: unknown, functionError?: string) => ({
  StatusCode: 200,
  FunctionError: functionError,
  Payload: new TextEncoder().encode(JSON.stringify(value)) as InvokeCommandOutput['Payload'],
});
const reports = () =>
  codedeployMock
    .commandCalls(PutLifecycleEventHookExecutionStatusCommand)
    .map((c) => c.args[0].input);

beforeEach(() => {
  codedeployMock.reset();
  lambdaMock.reset();
  cloudwatchMock.reset();
  codedeployMock.on(PutLifecycleEventHookExecutionStatusCommand).resolves({});
  lambdaMock.on(GetAliasCommand).resolves({ FunctionVersion: '7' });
  bakeMetrics(0, 40);
  process.env.TARGET_FUNCTION_ALIAS_ARN = ALIAS_ARN;
});

describe('post-traffic hook', () => {
  it('reports Succeeded when the alias still answers the probe after the shift', async () => {
    lambdaMock
      .on(InvokeCommand)
      .resolves(answer({ ok: true, service: 'status', version: '0.1.0' }));
    const event = hookEvent();

    await expect(handler(event, context)).resolves.toBe('Succeeded');

    expect(lambdaMock.commandCalls(InvokeCommand)[0].args[0].input.FunctionName).toBe(ALIAS_ARN);
    expect(reports()).toEqual([
      {
        deploymentId: event.DeploymentId,
        lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
        status: 'Succeeded',
      },
    ]);
  });

  it('reports Failed when the new version failed too many calls over the bake time', async () => {
    lambdaMock
      .on(InvokeCommand)
      .resolves(answer({ ok: true, service: 'status', version: '0.1.0' }));
    bakeMetrics(9, 40);

    await expect(handler(hookEvent(), context)).resolves.toBe('Failed');

    expect(reports().map((r) => r.status)).toEqual(['Failed']);
    const queried = cloudwatchMock.commandCalls(GetMetricDataCommand)[0].args[0].input;
    expect(JSON.stringify(queried.MetricDataQueries)).toContain('"ExecutedVersion","Value":"7"');
  });

  it('also runs the synthetic job when its aliases are set, and reports Failed when it fails', async () => {
    const submit = ALIAS_ARN.replace('status', 'process-drawing');
    Object.assign(process.env, {
      SYNTHETIC_SUBMIT_FUNCTION_ARN: submit,
      SYNTHETIC_STATUS_FUNCTION_ARN: ALIAS_ARN,
      TABLE_NAME: 'jobs',
      BUCKET_NAME: 'drawings',
    });
    lambdaMock
      .on(InvokeCommand)
      .resolves(answer({ ok: true, service: 'status', version: '0.1.0' }));
    lambdaMock
      .on(InvokeCommand, { FunctionName: submit })
      .resolves(answer({ statusCode: 503, body: '{"error":{"code":"UNAVAILABLE"}}' }));
    try {
      await expect(handler(hookEvent(), context)).resolves.toBe('Failed');
    } finally {
      for (const name of ['SYNTHETIC_SUBMIT_FUNCTION_ARN', 'SYNTHETIC_STATUS_FUNCTION_ARN']) {
        delete process.env[name];
      }
    }

    expect(reports().map((r) => r.status)).toEqual(['Failed']);
    expect(lambdaMock.commandCalls(InvokeCommand, { FunctionName: submit })).toHaveLength(1);
  });

  it('reports Failed when the alias answers with a FunctionError', async () => {
    lambdaMock.on(InvokeCommand).resolves(answer({ errorMessage: 'boom' }, 'Unhandled'));

    await expect(handler(hookEvent(), context)).resolves.toBe('Failed');

    expect(reports().map((r) => r.status)).toEqual(['Failed']);
  });

  it('reports Failed without invoking anything when given a version instead of an alias', async () => {
    process.env.TARGET_FUNCTION_ALIAS_ARN = ALIAS_ARN.replace(/live$/, '7');

    await expect(handler(hookEvent(), context)).resolves.toBe('Failed');

    expect(reports().map((r) => r.status)).toEqual(['Failed']);
    expect(lambdaMock.commandCalls(InvokeCommand)).toHaveLength(0);
  });
});
