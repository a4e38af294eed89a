import { ALL_FUNCTIONS, functionId, platformFor, statementsOf, synthPlatform } from './helpers';

type Resource = { Type: string; Properties: any; DeletionPolicy?: string };

const resourcesOf = (stage: 'dev' | 'staging' | 'prod') =>
  platformFor(stage).template.toJSON().Resources as Record<string, Resource>;
const ofType = (resources: Record<string, Resource>, type: string) =>
  Object.entries(resources).filter(([, r]) => r.Type === type);
const topicId = (resources: Record<string, Resource>, suffix: string) =>
  ofType(resources, 'AWS::SNS::Topic').find(
    ([, r]) => r.Properties.TopicName === `security-assistant-prod-${suffix}`,
  )![0];
/** Every metric name an alarm watches, directly or through metric math. */
const metricNames = (alarm: Resource): string[] => [
  ...(alarm.Properties.MetricName ? [alarm.Properties.MetricName] : []),
  ...(alarm.Properties.Metrics ?? [])
    .filter((m: any) => m.MetricStat)
    .map((m: any) => m.MetricStat.Metric.MetricName),
];

describe('PlatformMonitoring in prod', () => {
  const resources = resourcesOf('prod');
  const alarms = ofType(resources, 'AWS::CloudWatch::Alarm');
  const gating = new Set(
    ofType(resources, 'AWS::CodeDeploy::DeploymentGroup').flatMap(([, g]) =>
      g.Properties.AlarmConfiguration.Alarms.map((a: { Name: { Ref: string } }) => a.Name.Ref),
    ),
  );
  const alerts = { Ref: topicId(resources, 'alerts') };
  const warnings = { Ref: topicId(resources, 'warnings') };

  test('alarms on 5xx, latency, queue age and depth, throttles and errors', () => {
    const watched = new Set(alarms.flatMap(([, a]) => metricNames(a)));
    for (const name of [
      '5XXError',
      'Latency',
      'ApproximateAgeOfOldestMessage',
      'ApproximateNumberOfMessagesVisible',
      'Throttles',
      'Errors',
      'Duration',
    ]) {
      expect(watched).toContain(name);
    }
    // an error rate and a throttle alarm for every function
    for (const fn of ALL_FUNCTIONS) {
      const names = alarms.map(([, a]) => a.Properties.AlarmName);
      expect(names).toContain(`security-assistant-prod-${fn}-error-rate`);
      expect(names).toContain(`security-assistant-prod-${fn}-throttles`);
    }
  });

  test('gives every alarm but the deployment gates a description and an action: critical to alerts, warnings to warnings', () => {
    for (const [id, alarm] of alarms) {
      const { AlarmDescription, AlarmActions, OKActions } = alarm.Properties;
      expect(AlarmDescription.length).toBeGreaterThan(20);
      if (gating.has(id) && !AlarmActions) {
        expect(alarm.Properties.AlarmName).toMatch(/new-version-error-rate$/);
        continue;
      }
      const topic = AlarmDescription.startsWith('[critical]') ? alerts : warnings;
      expect(AlarmDescription).toMatch(/^\[(critical|warning)\]/);
      expect(AlarmActions).toEqual([topic]);
      expect(OKActions).toEqual([topic]);
    }
  });

  test('sets the thresholds the runbook names', () => {
    const byName = Object.fromEntries(
      alarms.map(([, a]) => [a.Properties.AlarmName.replace('security-assistant-prod-', ''), a]),
    );
    expect(byName['api-5xx-rate'].Properties.Threshold).toBe(5);
    expect(byName['api-p99-latency'].Properties).toMatchObject({
      Threshold: 2000,
      ExtendedStatistic: 'p99',
    });
    expect(byName['oldest-message-age'].Properties.Threshold).toBe(1200);
    expect(byName['queue-depth'].Properties).toMatchObject({
      Threshold: 1000,
      Period: 300,
      EvaluationPeriods: 2,
    });
    expect(byName['dead-letters'].Properties.Threshold).toBe(0);
    expect(byName['dead-letters-critical'].Properties.Threshold).toBe(5);
    // 80 % of the processor's 15-minute timeout
    expect(byName['processor-duration'].Properties.Threshold).toBe(720_000);
  });

  test('has an operations and a health dashboard', () => {
    const dashboards = ofType(resources, 'AWS::CloudWatch::Dashboard').map(([, d]) => d);
    expect(dashboards.map((d) => d.Properties.DashboardName).sort()).toEqual([
      'security-assistant-prod-health',
      'security-assistant-prod-operations',
    ]);
    const body = (name: string) =>
      JSON.stringify(
        dashboards.find((d) => d.Properties.DashboardName === `security-assistant-prod-${name}`)!
          .Properties.DashboardBody,
      );
    for (const metric of ['Invocations', 'Errors', 'Duration', '5XXError', '4XXError', 'p99']) {
      expect(body('operations')).toContain(metric);
    }
    for (const metric of [
      'JobsSubmitted',
      'JobsCompleted',
      'JobsFailed',
      'StageDuration',
      'ModelInputTokens',
      'ModelCostUsd',
    ]) {
      expect(body('health')).toContain(metric);
    }
  });

  test('saves Logs Insights queries over every function log group', () => {
    const queries = ofType(resources, 'AWS::Logs::QueryDefinition').map(([, q]) => q.Properties);
    expect(queries.map((q) => q.Name).sort()).toEqual([
      'security-assistant-prod/failed-jobs',
      'security-assistant-prod/job-trail',
      'security-assistant-prod/model-rate-limits',
      'security-assistant-prod/slow-stages',
    ]);
    for (const query of queries) {
      expect(query.LogGroupNames).toHaveLength(ALL_FUNCTIONS.length);
    }
  });

  test('guards cost with a monthly budget and a cost anomaly subscription to the alerts topic', () => {
    const [[, budget]] = ofType(resources, 'AWS::Budgets::Budget');
    expect(budget.Properties.Budget).toMatchObject({
      BudgetType: 'COST',
      TimeUnit: 'MONTHLY',
      BudgetLimit: { Amount: 1000, Unit: 'USD' },
    });
    for (const n of budget.Properties.NotificationsWithSubscribers) {
      expect(n.Subscribers).toEqual([{ SubscriptionType: 'SNS', Address: alerts }]);
    }
    expect(ofType(resources, 'AWS::CE::AnomalyMonitor')).toHaveLength(1);
    const [[, subscription]] = ofType(resources, 'AWS::CE::AnomalySubscription');
    expect(subscription.Properties.Subscribers).toEqual([{ Type: 'SNS', Address: alerts }]);
  });

  test('lets Budgets and Cost Anomaly Detection publish to the alerts topic', () => {
    const policies = ofType(resources, 'AWS::SNS::TopicPolicy').filter(([, p]) =>
      JSON.stringify(p.Properties.Topics).includes(alerts.Ref),
    );
    const text = JSON.stringify(policies);
    expect(text).toContain('budgets.amazonaws.com');
    expect(text).toContain('costalerts.amazonaws.com');
  });

  test('sends CodeDeploy and CloudFormation state changes to the deployments topic, naming stage, release and console', () => {
    const rules = ofType(resources, 'AWS::Events::Rule').map(([, r]) => r.Properties);
    const sources = rules.map((r) => r.EventPattern.source[0]).sort();
    expect(sources).toEqual(['aws.cloudformation', 'aws.codedeploy']);
    const deployments = { Ref: topicId(resources, 'deployments') };
    for (const rule of rules) {
      const [target] = rule.Targets;
      expect(target.Arn).toEqual(deployments);
      const template = JSON.stringify(target.InputTransformer.InputTemplate);
      expect(template).toContain('[prod]');
      expect(template).toContain('platform release');
      expect(template).toContain('console.aws.amazon.com');
    }
    const codedeploy = rules.find((r) => r.EventPattern.source[0] === 'aws.codedeploy')!;
    expect(codedeploy.EventPattern.detail.application).toEqual([
      { Ref: expect.stringContaining('DeploymentApplication') },
    ]);
  });
});

describe('PlatformMonitoring by stage and props', () => {
  test('gives dev a minimal set: error rates, API 5xx and dead letters', () => {
    const names = ofType(resourcesOf('dev'), 'AWS::CloudWatch::Alarm')
      .map(([, a]) => a.Properties.AlarmName as string)
      .filter((n) => !n.endsWith('new-version-error-rate'))
      .sort();
    expect(names).toEqual(
      [
        ...ALL_FUNCTIONS.map((f) => `security-assistant-dev-${f}-error-rate`),
        'security-assistant-dev-api-5xx-rate',
        'security-assistant-dev-dead-letters',
      ].sort(),
    );
  });

  test('creates no anomaly monitor outside prod unless asked, and none in prod when turned off', () => {
    expect(ofType(resourcesOf('staging'), 'AWS::CE::AnomalyMonitor')).toHaveLength(0);
    const off = synthPlatform({ stage: 'prod', costAnomalyDetection: false }).template;
    off.resourceCountIs('AWS::CE::AnomalyMonitor', 0);
    off.resourceCountIs('AWS::CE::AnomalySubscription', 0);
    const on = synthPlatform({
      stage: 'staging',
      costAnomalyDetection: true,
      monthlyBudgetUsd: 75,
    }).template;
    on.resourceCountIs('AWS::CE::AnomalyMonitor', 1);
    on.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: { BudgetLimit: { Amount: 75, Unit: 'USD' } },
    });
  });

  test("watches only the stage's own tagged cost: never a DIMENSIONAL monitor, which an account holds one of", () => {
    const { template } = platformFor('prod');
    template.resourceCountIs('AWS::CE::AnomalyMonitor', 1);
    template.hasResourceProperties('AWS::CE::AnomalyMonitor', {
      MonitorType: 'CUSTOM',
      MonitorSpecification: JSON.stringify({
        Tags: { Key: 'Environment', Values: ['prod'], MatchOptions: ['EQUALS'] },
      }),
    });
    expect(JSON.stringify(template.toJSON())).not.toContain('DIMENSIONAL');
  });

  test('subscribes an existing monitor instead of creating one when given its ARN', () => {
    const arn = 'arn:aws:ce::111122223333:anomalymonitor/0a1b2c3d-services';
    const { template } = synthPlatform({ stage: 'prod', costAnomalyMonitorArn: arn });
    template.resourceCountIs('AWS::CE::AnomalyMonitor', 0);
    template.hasResourceProperties('AWS::CE::AnomalySubscription', { MonitorArnList: [arn] });
    expect(() => synthPlatform({ stage: 'prod', costAnomalyMonitorArn: 'services' })).toThrow(
      /costAnomalyMonitorArn must be an anomaly monitor ARN .* \(given 'services'\)/,
    );
  });

  test('subscribes the given emails to the alerts, warnings and deployments topics', () => {
    const { template } = synthPlatform({
      stage: 'staging',
      notificationEmails: ['ops@example.com'],
    });
    const subscriptions = Object.values(template.findResources('AWS::SNS::Subscription'));
    expect(subscriptions).toHaveLength(3);
    for (const s of subscriptions) {
      expect(s.Properties).toMatchObject({ Protocol: 'email', Endpoint: 'ops@example.com' });
    }
  });

  test('refuses a budget that is not a positive amount and an unknown alarm level', () => {
    expect(() => synthPlatform({ stage: 'dev', monthlyBudgetUsd: 0 })).toThrow(
      /monthlyBudgetUsd must be a positive number \(given 0\)/,
    );
    expect(() => synthPlatform({ stage: 'dev', alarmLevel: 'loud' })).toThrow(
      /alarmLevel must be minimal or full \(given loud\)/,
    );
  });

  test('watches the platform functions by name', () => {
    const { template } = platformFor('prod');
    const alarm = Object.values(
      template.findResources('AWS::CloudWatch::Alarm', {
        Properties: { AlarmName: 'security-assistant-prod-processor-throttles' },
      }),
    )[0];
    expect(alarm.Properties.Dimensions).toEqual([
      { Name: 'FunctionName', Value: { Ref: functionId(template, 'prod', 'processor') } },
    ]);
  });
});

describe('Slack delivery', () => {
  const topics = (resources: Record<string, Resource>) =>
    ofType(resources, 'AWS::SNS::Topic').map(([id]) => ({ Ref: id }));

  test('with a webhook parameter, subscribes a notifier function to the three topics', () => {
    const { template } = synthPlatform({
      stage: 'staging',
      slack: { webhookUrlParameterName: '/ops/slack-webhook' },
    });
    const resources = template.toJSON().Resources as Record<string, Resource>;
    const notifier = functionId(template, 'staging' as any, 'notifier');
    expect(resources[notifier].Properties.Environment.Variables).toMatchObject({
      SLACK_WEBHOOK_PARAMETER: '/ops/slack-webhook',
      STAGE: 'staging',
    });
    const subscriptions = ofType(resources, 'AWS::SNS::Subscription').map(([, s]) => s.Properties);
    expect(subscriptions.map((s) => s.TopicArn)).toEqual(expect.arrayContaining(topics(resources)));
    expect(subscriptions).toHaveLength(3);
    for (const s of subscriptions) {
      expect(s).toMatchObject({
        Protocol: 'lambda',
        Endpoint: { 'Fn::GetAtt': [notifier, 'Arn'] },
      });
    }
    expect(JSON.stringify(statementsOf(template, notifier))).toContain(
      'parameter/ops/slack-webhook',
    );
  });

  test('with a workspace and channel, delivers the three topics through AWS Chatbot', () => {
    const { template } = synthPlatform({
      stage: 'prod',
      slack: { workspaceId: 'T0123456', channelId: 'C0123456' },
    });
    const resources = template.toJSON().Resources as Record<string, Resource>;
    const [[, channel]] = ofType(resources, 'AWS::Chatbot::SlackChannelConfiguration');
    expect(channel.Properties).toMatchObject({
      SlackWorkspaceId: 'T0123456',
      SlackChannelId: 'C0123456',
      ConfigurationName: 'security-assistant-prod-notifications',
    });
    expect(channel.Properties.SnsTopicArns).toEqual(expect.arrayContaining(topics(resources)));
    expect(
      ofType(resources, 'AWS::Lambda::Function').map(([, f]) => f.Properties.FunctionName),
    ).not.toContain('security-assistant-prod-notifier');
  });

  test('refuses both, neither, or half of the Chatbot ids, and a relative parameter name', () => {
    const message =
      /slack needs either workspaceId and channelId \(AWS Chatbot\) or webhookUrlParameterName/;
    for (const slack of [
      {},
      { workspaceId: 'T1' },
      { workspaceId: 'T1', channelId: 'C1', webhookUrlParameterName: '/a/b' },
    ]) {
      expect(() => synthPlatform({ stage: 'dev', slack })).toThrow(message);
    }
    expect(() =>
      synthPlatform({ stage: 'dev', slack: { webhookUrlParameterName: 'hook' } }),
    ).toThrow(
      "slack.webhookUrlParameterName must be an absolute SSM parameter name like /a/b (given 'hook')",
    );
  });
});
