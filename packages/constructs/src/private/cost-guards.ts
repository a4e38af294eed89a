import * as budgets from 'aws-cdk-lib/aws-budgets';
import * as ce from 'aws-cdk-lib/aws-ce';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { COST_TAG } from './presets';

/** What the cost guards watch and whom they tell. */
export interface CostGuardSettings {
  /** The stage: its resources carry the tag `Environment=<stage>`. */
  readonly stage: string;
  /** Prefix of the budget's, monitor's and subscription's names. */
  readonly namePrefix: string;
  /** Monthly cost budget of the environment, in USD. */
  readonly monthlyBudgetUsd: number;
  /** Watch the stage's cost for anomalies. */
  readonly costAnomalyDetection: boolean;
  /** An existing monitor to subscribe instead of creating one. */
  readonly costAnomalyMonitorArn?: string;
  /** Where budget and anomaly alerts go. */
  readonly alertTopic: sns.ITopic;
}

/**
 * A monthly budget and, when asked, cost anomaly detection of the stage's own cost, both
 * notifying the alerts topic. Created in `scope` with ids MonthlyBudget, CostAnomalyMonitor
 * and CostAnomalySubscription. Both count only costs tagged `Environment=<stage>`, which the
 * account must activate as a cost allocation tag (docs/first-deployment.md).
 *
 * The monitor is CUSTOM, never DIMENSIONAL: an account may hold one dimensional monitor per
 * dimension, and most have AWS's default services monitor, so a second one fails the stack
 * (docs/decisions/0012-first-deployment.md).
 */
export function addCostGuards(scope: Construct, s: CostGuardSettings): void {
  if (!(s.monthlyBudgetUsd > 0)) {
    throw new Error(`monthlyBudgetUsd must be a positive number (given ${s.monthlyBudgetUsd})`);
  }
  const name = (suffix: string) => `${s.namePrefix}-${suffix}`;
  const toAlerts = [{ subscriptionType: 'SNS', address: s.alertTopic.topicArn }];
  const notify = (notificationType: string, threshold: number) => ({
    notification: {
      notificationType,
      comparisonOperator: 'GREATER_THAN',
      threshold,
      thresholdType: 'PERCENTAGE',
    },
    subscribers: toAlerts,
  });
  new budgets.CfnBudget(scope, 'MonthlyBudget', {
    budget: {
      budgetName: name('monthly'),
      budgetType: 'COST',
      timeUnit: 'MONTHLY',
      budgetLimit: { amount: s.monthlyBudgetUsd, unit: 'USD' },
      costFilters: { TagKeyValue: [`user:${COST_TAG}$${s.stage}`] },
    },
    notificationsWithSubscribers: [
      notify('ACTUAL', 80),
      notify('ACTUAL', 100),
      notify('FORECASTED', 100),
    ],
  });
  if (!s.costAnomalyDetection) {
    return;
  }
  const monitorArn =
    s.costAnomalyMonitorArn ??
    new ce.CfnAnomalyMonitor(scope, 'CostAnomalyMonitor', {
      monitorName: name('cost'),
      monitorType: 'CUSTOM',
      monitorSpecification: JSON.stringify({
        Tags: { Key: COST_TAG, Values: [s.stage], MatchOptions: ['EQUALS'] },
      }),
    }).attrMonitorArn;
  new ce.CfnAnomalySubscription(scope, 'CostAnomalySubscription', {
    subscriptionName: name('cost-anomalies'),
    frequency: 'IMMEDIATE',
    monitorArnList: [monitorArn],
    subscribers: [{ type: 'SNS', address: s.alertTopic.topicArn }],
    thresholdExpression: JSON.stringify({
      Dimensions: {
        Key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE',
        MatchOptions: ['GREATER_THAN_OR_EQUAL'],
        Values: [String(Math.max(10, Math.round(s.monthlyBudgetUsd * 0.1)))],
      },
    }),
  });
}
