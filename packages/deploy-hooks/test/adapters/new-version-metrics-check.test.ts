import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { GetAliasCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { NewVersionMetricsCheck } from '../../src/adapters/new-version-metrics-check';

// CloudWatch's current protocol (CBOR) is not served by moto, so its client is mocked; the
// Lambda client is mocked too, as in the hook handler tests (moto's Invoke runs no code).
const cloudwatchMock = mockClient(CloudWatchClient);
const lambdaMock = mockClient(LambdaClient);
const ALIAS_ARN =
  'arn:aws:lambda:eu-west-1:123456789012:function:security-assistant-prod-status:live';
const NOW = new Date('2026-11-30T10:00:00Z');
const signal = new AbortController().signal;

const metrics = (values: { errors: number[]; invocations: number[]; p99: number[] }) =>
  cloudwatchMock.on(GetMetricDataCommand).resolves({
    MetricDataResults: Object.entries(values).map(([Id, Values]) => ({ Id, Values })),
  });
const check = (limits = { windowMinutes: 10, maxErrorRatePercent: 10, maxP99DurationMs: 2000 }) =>
  new NewVersionMetricsCheck(
    new LambdaClient({}),
    new CloudWatchClient({}),
    ALIAS_ARN,
    limits,
    () => NOW,
  );

beforeEach(() => {
  cloudwatchMock.reset();
  lambdaMock.reset();
  lambdaMock.on(GetAliasCommand).resolves({ FunctionVersion: '42' });
});

describe('NewVersionMetricsCheck', () => {
  test('reads the metrics of exactly the version the alias now serves, over the bake time', async () => {
    metrics({ errors: [0, 1], invocations: [100, 100], p99: [300, 450] });

    await expect(check().run(signal)).resolves.toBe(
      'version 42 of security-assistant-prod-status, last 10 min: 200 calls, 0.5 % failed, p99 450 ms',
    );

    expect(lambdaMock.commandCalls(GetAliasCommand)[0].args[0].input).toEqual({
      FunctionName: 'security-assistant-prod-status',
      Name: 'live',
    });
    const input = cloudwatchMock.commandCalls(GetMetricDataCommand)[0].args[0].input;
    expect(input.EndTime).toEqual(NOW);
    expect(input.StartTime).toEqual(new Date('2026-11-30T09:50:00Z'));
    for (const query of input.MetricDataQueries!) {
      expect(query.MetricStat!.Metric!.Dimensions).toEqual([
        { Name: 'FunctionName', Value: 'security-assistant-prod-status' },
        { Name: 'Resource', Value: 'security-assistant-prod-status:live' },
        { Name: 'ExecutedVersion', Value: '42' },
      ]);
    }
  });

  test('fails when more of the new version’s calls failed than the limit allows', async () => {
    metrics({ errors: [12], invocations: [100], p99: [100] });

    await expect(check().run(signal)).rejects.toThrow(/12\.0 % of 100 calls failed \(limit 10 %\)/);
  });

  test('fails when the new version’s p99 duration is over the limit, and has no latency limit without one', async () => {
    metrics({ errors: [0], invocations: [50], p99: [2500] });

    await expect(check().run(signal)).rejects.toThrow(/p99 duration 2500 ms \(limit 2000 ms\)/);
    await expect(
      check({ windowMinutes: 10, maxErrorRatePercent: 10 } as any).run(signal),
    ).resolves.toMatch(/50 calls, 0\.0 % failed, p99 2500 ms/);
  });

  test('passes a version that had no calls, and says there was nothing to judge', async () => {
    metrics({ errors: [], invocations: [], p99: [] });

    await expect(check().run(signal)).resolves.toBe(
      'version 42 of security-assistant-prod-status, last 10 min: no calls, nothing to judge',
    );
  });
});
