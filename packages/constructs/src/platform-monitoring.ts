import { Aws, Duration, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { addCostGuards } from './private/cost-guards';
import { ratePercent } from './private/rate';

/** Namespace of the platform's own metrics (EMF, dimension `stage`). */
const METRICS_NAMESPACE = 'SecurityAssistant';

/** Properties of {@link PlatformMonitoring}. */
export interface PlatformMonitoringProps {
  /** The stage the platform serves. */
  readonly stage: string;
  /** Prefix of every physical name. */
  readonly namePrefix: string;
  /** The platform release the functions run, named in deployment messages. */
  readonly release: string;
  /** The traffic-bearing functions, by name (`processor` is the one with the long timeout). */
  readonly functions: { [name: string]: lambda.IFunction };
  /** The processor's timeout: its duration alarm fires near it. */
  readonly processorTimeout: Duration;
  /** The REST API. */
  readonly api: apigateway.RestApi;
  /** The processing queue. */
  readonly queue: sqs.IQueue;
  /** The dead-letter queue. */
  readonly deadLetterQueue: sqs.IQueue;
  /** The jobs table. */
  readonly table: dynamodb.ITable;
  /** Where critical alarms, budget and cost-anomaly alerts go. */
  readonly alertTopic: sns.ITopic;
  /** Where warning alarms go. */
  readonly warningsTopic: sns.ITopic;
  /** Where CodeDeploy and CloudFormation state changes go. */
  readonly deploymentsTopic: sns.ITopic;
  /** The functions' log groups, which the saved queries search. */
  readonly logGroups: logs.ILogGroup[];
  /** The CodeDeploy application whose deployments are announced. */
  readonly deploymentApplication: codedeploy.ILambdaApplication;
  /**
   * `minimal`: function error rates, API 5xx and dead letters only; `full`: the whole
   * catalogue (docs/operations.md).
   */
  readonly alarmLevel: string;
  /** Monthly cost budget of the environment, in USD. */
  readonly monthlyBudgetUsd: number;
  /** Watch the stage's cost for anomalies (a CUSTOM monitor over its tag, or the one given). */
  readonly costAnomalyDetection: boolean;
  /**
   * An existing anomaly monitor to subscribe instead of creating one.
   * @default - a CUSTOM monitor over the stage's `Environment` tag
   */
  readonly costAnomalyMonitorArn?: string;
  /**
   * Email addresses subscribed to the alerts, warnings and deployments topics.
   * @default - none; subscribe the topics yourself
   */
  readonly notificationEmails?: string[];
}

/**
 * Operations of a platform: the alarm catalogue (critical alarms to the alerts topic,
 * warnings to the warnings topic), an operations and a health dashboard, Logs Insights saved
 * queries, a monthly budget, cost anomaly detection, and deployment notifications from
 * CodeDeploy and CloudFormation on a deployments topic.
 */
export class PlatformMonitoring extends Construct {
  /** API 5xx above 5 % of requests; also rolls back the API functions' deployments. */
  public readonly apiErrorsAlarm: cloudwatch.Alarm;
  /** Messages in the dead-letter queue; also rolls back the processor's deployments. */
  public readonly deadLettersAlarm: cloudwatch.Alarm;
  /** Every alarm of the catalogue. */
  public readonly alarms: cloudwatch.Alarm[] = [];
  /** The operations dashboard. */
  public readonly operationsDashboard: cloudwatch.Dashboard;
  /** The job health dashboard. */
  public readonly healthDashboard: cloudwatch.Dashboard;

  private readonly critical: cloudwatch.IAlarmAction;
  private readonly warning: cloudwatch.IAlarmAction;
  private readonly name: (suffix: string) => string;

  constructor(scope: Construct, id: string, props: PlatformMonitoringProps) {
    super(scope, id);
    if (props.alarmLevel !== 'minimal' && props.alarmLevel !== 'full') {
      throw new Error(`alarmLevel must be minimal or full (given ${props.alarmLevel})`);
    }
    this.name = (suffix) => `${props.namePrefix}-${suffix}`;
    this.critical = new actions.SnsAction(props.alertTopic);
    this.warning = new actions.SnsAction(props.warningsTopic);
    // the same topic may serve all three (a topic of the user's own): subscribe it once
    const topics = new Set([props.alertTopic, props.warningsTopic, props.deploymentsTopic]);
    for (const [i, email] of (props.notificationEmails ?? []).entries()) {
      for (const [t, topic] of [...topics].entries()) {
        new sns.Subscription(this, `Email${i}Topic${t}`, {
          topic,
          protocol: sns.SubscriptionProtocol.EMAIL,
          endpoint: email,
        });
      }
    }

    const full = props.alarmLevel === 'full';
    const minute = Duration.minutes(1);
    const fns = props.functions;
    const api = props.api;

    for (const [fnName, fn] of Object.entries(fns)) {
      const errorRate = ratePercent(
        fn.metricErrors({ statistic: 'Sum', period: minute }),
        fn.metricInvocations({ statistic: 'Sum', period: minute }),
        minute,
        `${fnName} error rate (%)`,
      );
      this.alarm(`${fnName}-error-rate`, errorRate, 'critical', {
        description: `More than 10 % of ${fnName}'s invocations failed in 3 of the last 5 minutes (all versions). Its log group and the "failed jobs" saved query tell why.`,
        threshold: 10,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
      });
      if (full) {
        this.alarm(
          `${fnName}-throttles`,
          fn.metricThrottles({ statistic: 'Sum', period: Duration.minutes(5) }),
          'warning',
          {
            description: `${fnName} was throttled: the account's or the function's concurrency limit was reached, and callers got 429s or messages waited.`,
            threshold: 0,
          },
        );
      }
    }

    const apiErrorRate = ratePercent(
      api.metricServerError({ statistic: 'Sum', period: minute }),
      api.metricCount({ statistic: 'Sum', period: minute }),
      minute,
      'API 5xx (%)',
    );
    this.apiErrorsAlarm = this.alarm('api-5xx-rate', apiErrorRate, 'critical', {
      description:
        'More than 5 % of API requests answered 5xx for 2 minutes. Rolls back a deployment of process-drawing, status or health in progress.',
      threshold: 5,
      evaluationPeriods: 2,
    });
    this.deadLettersAlarm = this.alarm(
      'dead-letters',
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        statistic: 'Maximum',
        period: minute,
      }),
      'warning',
      {
        description:
          'A job message reached the dead-letter queue: it failed three receives. The dlq-processor marks its job failed; see the "failed jobs" saved query. Rolls back a processor deployment in progress.',
        threshold: 0,
      },
    );

    if (full) {
      this.alarm(
        'dead-letters-critical',
        props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          statistic: 'Maximum',
          period: Duration.minutes(5),
        }),
        'critical',
        {
          description:
            'More than 5 messages wait in the dead-letter queue: the dlq-processor is not draining it, or jobs fail in bulk.',
          threshold: 5,
        },
      );
      this.alarm(
        'api-p99-latency',
        api.metricLatency({ statistic: 'p99', period: Duration.minutes(5) }),
        'warning',
        {
          description:
            "The API's p99 latency was above 2 s for 15 minutes: cold starts, DynamoDB or S3 slowness.",
          threshold: 2000,
          evaluationPeriods: 3,
        },
      );
      this.alarm(
        'oldest-message-age',
        props.queue.metricApproximateAgeOfOldestMessage({
          statistic: 'Maximum',
          period: Duration.minutes(5),
        }),
        'critical',
        {
          description:
            'A job has waited more than 20 minutes for the processor: it is failing, throttled or far behind.',
          threshold: 20 * 60,
        },
      );
      this.alarm(
        'queue-depth',
        props.queue.metricApproximateNumberOfMessagesVisible({
          statistic: 'Maximum',
          period: Duration.minutes(5),
        }),
        'warning',
        {
          description: 'More than 1000 jobs waited for the processor for 10 minutes.',
          threshold: 1000,
          evaluationPeriods: 2,
        },
      );
      const processor = fns.processor;
      if (processor) {
        const limit = props.processorTimeout.toMilliseconds();
        this.alarm(
          'processor-duration',
          processor.metricDuration({ statistic: 'Maximum', period: Duration.minutes(5) }),
          'warning',
          {
            description: `An invocation of the processor ran above 80 % of its ${props.processorTimeout.toHumanString()} timeout; jobs continue in a new invocation, but one stage may soon not fit.`,
            threshold: Math.round(limit * 0.8),
          },
        );
      }
      this.alarm(
        'table-throttles',
        props.table.metric('ThrottledRequests', { statistic: 'Sum', period: Duration.minutes(5) }),
        'warning',
        {
          description: 'DynamoDB throttled requests to the jobs table.',
          threshold: 0,
        },
      );
    }

    this.operationsDashboard = this.operations(props);
    this.healthDashboard = this.health(props);
    this.savedQueries(props);
    addCostGuards(this, props);
    this.deploymentNotifications(props);
  }

  private alarm(
    suffix: string,
    metric: cloudwatch.Metric | cloudwatch.MathExpression,
    severity: 'critical' | 'warning',
    options: {
      description: string;
      threshold: number;
      evaluationPeriods?: number;
      datapointsToAlarm?: number;
    },
  ): cloudwatch.Alarm {
    const alarm = metric.createAlarm(this, `Alarm-${suffix}`, {
      alarmName: this.name(suffix),
      alarmDescription: `[${severity}] ${options.description}`,
      threshold: options.threshold,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      datapointsToAlarm: options.datapointsToAlarm,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const action = severity === 'critical' ? this.critical : this.warning;
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarms.push(alarm);
    return alarm;
  }

  private operations(props: PlatformMonitoringProps): cloudwatch.Dashboard {
    const period = Duration.minutes(5);
    const perFunction = (f: (fn: lambda.IFunction) => cloudwatch.IMetric) =>
      Object.values(props.functions).map(f);
    const dashboard = new cloudwatch.Dashboard(this, 'OperationsDashboard', {
      dashboardName: this.name('operations'),
      defaultInterval: Duration.hours(3),
    });
    const api = props.api;
    dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: `# ${props.namePrefix}: operations\nFunctions, queues, table and API. Alarms: critical to the alerts topic, warnings to \`${this.name('warnings')}\`.`,
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Invocations per function',
        left: perFunction((fn) => fn.metricInvocations({ period })),
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Errors per function',
        left: perFunction((fn) => fn.metricErrors({ period })),
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Duration p99 per function (ms)',
        left: perFunction((fn) => fn.metricDuration({ statistic: 'p99', period })),
        width: 8,
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Processing queue: depth and oldest message (s)',
        left: [props.queue.metricApproximateNumberOfMessagesVisible({ period })],
        right: [props.queue.metricApproximateAgeOfOldestMessage({ period })],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Dead-letter queue',
        left: [props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period })],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'DynamoDB throttles',
        left: [
          props.table.metric('ThrottledRequests', { statistic: 'Sum', period }),
          props.table.metric('ReadThrottleEvents', { statistic: 'Sum', period }),
          props.table.metric('WriteThrottleEvents', { statistic: 'Sum', period }),
        ],
        width: 8,
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'API requests, 4xx and 5xx',
        left: [api.metricCount({ period })],
        right: [api.metricClientError({ period }), api.metricServerError({ period })],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'API latency (ms)',
        left: ['p50', 'p90', 'p99'].map((statistic) => api.metricLatency({ statistic, period })),
        width: 12,
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }),
    );
    return dashboard;
  }

  private health(props: PlatformMonitoringProps): cloudwatch.Dashboard {
    const period = Duration.minutes(5);
    const own = (metricName: string, statistic = 'Sum') =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { stage: props.stage },
        statistic,
        period,
      });
    // Metrics with a second dimension (processing stage, error code) are found by SEARCH.
    const search = (metricName: string, dimension: string, statistic: string, label: string) =>
      new cloudwatch.MathExpression({
        expression: `SEARCH('{${METRICS_NAMESPACE},${dimension},stage} MetricName="${metricName}" stage="${props.stage}"', '${statistic}', ${period.toSeconds()})`,
        usingMetrics: {},
        label,
        period,
      });
    const dashboard = new cloudwatch.Dashboard(this, 'HealthDashboard', {
      dashboardName: this.name('health'),
      defaultInterval: Duration.days(1),
    });
    dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: `# ${props.namePrefix}: job health\nFrom the functions' EMF metrics (namespace \`${METRICS_NAMESPACE}\`, dimension \`stage\`).`,
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Jobs submitted, completed and failed',
        left: [own('JobsSubmitted'), own('JobsCompleted'), own('JobsFailed')],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Failed jobs by error code',
        left: [search('JobsFailed', 'error_code', 'Sum', '')],
        width: 8,
      }),
      new cloudwatch.SingleValueWidget({
        title: 'Jobs waiting and in progress vs completed (last 5 min)',
        metrics: [
          props.queue.metricApproximateNumberOfMessagesVisible({ period }),
          props.queue.metricApproximateNumberOfMessagesNotVisible({ period }),
          own('JobsCompleted'),
        ],
        width: 8,
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Stage duration p90 (ms)',
        left: [search('StageDuration', 'processing_stage', 'p90', '')],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Job duration p50 / p90 (ms)',
        left: [own('JobDuration', 'p50'), own('JobDuration', 'p90')],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Model tokens and estimated cost (USD)',
        left: [own('ModelInputTokens'), own('ModelOutputTokens')],
        right: [own('ModelCostUsd')],
        width: 8,
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Dead-lettered jobs',
        left: [own('DeadLetteredJobs')],
        width: 24,
      }),
    );
    return dashboard;
  }

  private savedQueries(props: PlatformMonitoringProps): void {
    const logGroups = props.logGroups;
    const query = (id: string, name: string, queryString: logs.QueryString) =>
      new logs.QueryDefinition(this, id, {
        queryDefinitionName: `${props.namePrefix}/${name}`,
        queryString,
        logGroups,
      });
    query(
      'JobTrailQuery',
      'job-trail',
      new logs.QueryString({
        fields: ['@timestamp', 'service', 'level', 'message', 'job_id', 'stage', 'code'],
        // replace the id: a job's correlation id is its job id
        filterStatements: ['job_id = "job_REPLACE_ME" or correlation_id = "job_REPLACE_ME"'],
        sort: '@timestamp asc',
        limit: 1000,
      }),
    );
    query(
      'FailedJobsQuery',
      'failed-jobs',
      new logs.QueryString({
        fields: ['@timestamp', 'service', 'job_id', 'code', 'error_message', 'message'],
        filterStatements: [
          "message in ['job failed permanently', 'job dead-lettered', 'processing failed; the message will be redelivered']",
        ],
        sort: '@timestamp desc',
        limit: 200,
      }),
    );
    query(
      'SlowStagesQuery',
      'slow-stages',
      new logs.QueryString({
        fields: ['@timestamp', 'job_id', 'stage', 'duration_ms'],
        filterStatements: ["message = 'stage completed'"],
        sort: 'duration_ms desc',
        limit: 50,
      }),
    );
    query(
      'ModelRateLimitsQuery',
      'model-rate-limits',
      new logs.QueryString({
        fields: ['@timestamp', 'job_id', 'message', 'error.message'],
        filterStatements: [
          '@message like /429|RESOURCE_EXHAUSTED|rate limit|ModelRetryLater|retry later/',
        ],
        sort: '@timestamp desc',
        limit: 200,
      }),
    );
  }

  private deploymentNotifications(props: PlatformMonitoringProps): void {
    const field = (path: string) => events.EventField.fromPath(path);
    const region = field('$.region');
    new events.Rule(this, 'CodeDeployRule', {
      ruleName: this.name('codedeploy-state'),
      description: `CodeDeploy deployments of ${props.deploymentApplication.applicationName} to the deployments topic`,
      eventPattern: {
        source: ['aws.codedeploy'],
        detailType: ['CodeDeploy Deployment State-change Notification'],
        detail: { application: [props.deploymentApplication.applicationName] },
      },
      targets: [
        new targets.SnsTopic(props.deploymentsTopic, {
          message: events.RuleTargetInput.fromText(
            `[${props.stage}] CodeDeploy ${field('$.detail.state')}: deployment ${field('$.detail.deploymentId')} of ${field('$.detail.deploymentGroup')} (platform release ${props.release}). https://${region}.console.aws.amazon.com/codesuite/codedeploy/deployments/${field('$.detail.deploymentId')}?region=${region}`,
          ),
        }),
      ],
    });
    new events.Rule(this, 'CloudFormationRule', {
      ruleName: this.name('stack-status'),
      description: `Status changes of the stack ${Stack.of(this).stackName} to the deployments topic`,
      eventPattern: {
        source: ['aws.cloudformation'],
        detailType: ['CloudFormation Stack Status Change'],
        resources: [Aws.STACK_ID],
      },
      targets: [
        new targets.SnsTopic(props.deploymentsTopic, {
          message: events.RuleTargetInput.fromText(
            `[${props.stage}] CloudFormation ${field('$.detail.status-details.status')}: stack ${Stack.of(this).stackName} (platform release ${props.release}). https://${region}.console.aws.amazon.com/cloudformation/home?region=${region}#/stacks/stackinfo?stackId=${field('$.detail.stack-id')}`,
          ),
        }),
      ],
    });
  }
}
