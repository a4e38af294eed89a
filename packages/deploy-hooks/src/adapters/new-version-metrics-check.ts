import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { GetAliasCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CheckFailedError } from '../errors';
import type { Check } from '../pre-traffic/validate-deployment';

/** What the new version may show over the bake time. */
export interface NewVersionLimits {
  /** Minutes back from now that are judged (the bake time). */
  readonly windowMinutes: number;
  /** Highest share of failed calls, in percent. */
  readonly maxErrorRatePercent: number;
  /** Highest p99 duration in milliseconds; no latency limit when undefined. */
  readonly maxP99DurationMs?: number;
}

/**
 * After traffic shifted: the version the alias now serves (the new one) has, over the bake
 * time, an error rate and a p99 duration within the limits, read from the alias metrics of
 * exactly that version (CloudWatch's `ExecutedVersion` dimension). A version that had no
 * calls passes, and says so.
 */
export class NewVersionMetricsCheck implements Check {
  public readonly name = 'new-version-metrics';

  constructor(
    private readonly lambda: LambdaClient,
    private readonly cloudwatch: CloudWatchClient,
    private readonly aliasArn: string,
    private readonly limits: NewVersionLimits,
    private readonly now: () => Date = () => new Date(),
  ) {}

  public async run(signal: AbortSignal): Promise<string> {
    const [, , , , , , functionName, alias] = this.aliasArn.split(':');
    const { FunctionVersion: version } = await this.lambda.send(
      new GetAliasCommand({ FunctionName: functionName, Name: alias }),
      { abortSignal: signal },
    );
    const end = this.now();
    const period = this.limits.windowMinutes * 60;
    const start = new Date(end.getTime() - period * 1000);
    const dimensions = [
      { Name: 'FunctionName', Value: functionName },
      { Name: 'Resource', Value: `${functionName}:${alias}` },
      { Name: 'ExecutedVersion', Value: version },
    ];
    const query = (id: string, metricName: string, stat: string) => ({
      Id: id,
      MetricStat: {
        Metric: { Namespace: 'AWS/Lambda', MetricName: metricName, Dimensions: dimensions },
        Period: period,
        Stat: stat,
      },
    });
    const { MetricDataResults = [] } = await this.cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: start,
        EndTime: end,
        MetricDataQueries: [
          query('errors', 'Errors', 'Sum'),
          query('invocations', 'Invocations', 'Sum'),
          query('p99', 'Duration', 'p99'),
        ],
      }),
      { abortSignal: signal },
    );
    const total = (id: string) =>
      (MetricDataResults.find((r) => r.Id === id)?.Values ?? []).reduce((a, b) => a + b, 0);
    const worst = (id: string) =>
      Math.max(0, ...(MetricDataResults.find((r) => r.Id === id)?.Values ?? []));
    const invocations = total('invocations');
    const subject = `version ${version} of ${functionName}, last ${this.limits.windowMinutes} min`;
    if (invocations === 0) return `${subject}: no calls, nothing to judge`;
    const errorRate = (100 * total('errors')) / invocations;
    const p99 = worst('p99');
    const { maxErrorRatePercent, maxP99DurationMs } = this.limits;
    if (errorRate > maxErrorRatePercent) {
      throw new CheckFailedError(
        this.name,
        `${subject}: ${errorRate.toFixed(1)} % of ${invocations} calls failed (limit ${maxErrorRatePercent} %)`,
      );
    }
    if (maxP99DurationMs !== undefined && p99 > maxP99DurationMs) {
      throw new CheckFailedError(
        this.name,
        `${subject}: p99 duration ${Math.round(p99)} ms (limit ${maxP99DurationMs} ms)`,
      );
    }
    return `${subject}: ${invocations} calls, ${errorRate.toFixed(1)} % failed, p99 ${Math.round(p99)} ms`;
  }
}
