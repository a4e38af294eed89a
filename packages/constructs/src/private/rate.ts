import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/** `failed` as a percentage of `total` per period; 0 in a period with no calls at all. */
export function ratePercent(
  failed: cloudwatch.IMetric,
  total: cloudwatch.IMetric,
  period: Duration,
  label: string,
): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: 'IF(total > 0, 100 * failed / total, 0)',
    usingMetrics: { failed, total },
    period,
    label,
  });
}
