import { Match } from 'aws-cdk-lib/assertions';
import {
  ALL_FUNCTIONS,
  Statement,
  actionsOf,
  functionId,
  platformFor,
  statementsOf,
  synthPlatform,
} from './helpers';

describe('GradualDeployment', () => {
  const { template } = platformFor('prod');
  const resources = template.toJSON().Resources;

  test('gives each aliased function a deployment group with auto-rollback on failure, stop and alarm', () => {
    template.resourceCountIs('AWS::CodeDeploy::DeploymentGroup', 5);
    for (const group of Object.values(template.findResources('AWS::CodeDeploy::DeploymentGroup'))) {
      expect(group.Properties).toMatchObject({
        DeploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
        AutoRollbackConfiguration: {
          Enabled: true,
          Events: expect.arrayContaining([
            'DEPLOYMENT_FAILURE',
            'DEPLOYMENT_STOP_ON_REQUEST',
            'DEPLOYMENT_STOP_ON_ALARM',
          ]),
        },
        AlarmConfiguration: { Enabled: true, Alarms: expect.any(Array) },
      });
    }
  });

  test('shifts traffic all at once in dev and by canary in staging and prod', () => {
    platformFor('dev').template.allResourcesProperties('AWS::CodeDeploy::DeploymentGroup', {
      DeploymentConfigName: 'CodeDeployDefault.LambdaAllAtOnce',
    });
    platformFor('staging').template.allResourcesProperties('AWS::CodeDeploy::DeploymentGroup', {
      DeploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
    });
  });

  /** The alarms (logical id → resource) a function's deployment group rolls back on. */
  const gatingAlarms = (name: string) => {
    const groups = template.findResources('AWS::CodeDeploy::DeploymentGroup', {
      Properties: { DeploymentGroupName: `security-assistant-prod-${name}` },
    });
    const names: { Name: { Ref: string } }[] =
      Object.values(groups)[0].Properties.AlarmConfiguration.Alarms;
    return names.map((n) => resources[n.Name.Ref]);
  };
  const metricsOf = (alarm: any): any[] =>
    (alarm.Properties.Metrics ?? [])
      .filter((m: any) => m.MetricStat)
      .map((m: any) => m.MetricStat.Metric);

  test('gates each deployment on the error rate of the new version, not the diluted alias', () => {
    for (const name of ALL_FUNCTIONS) {
      const [gate] = gatingAlarms(name);
      expect(gate.Properties).toMatchObject({
        Threshold: 10,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmName: `security-assistant-prod-${name}-new-version-error-rate`,
      });
      const versionId = Object.keys(
        template.findResources('AWS::Lambda::Version', {
          Properties: { FunctionName: { Ref: functionId(template, 'prod', name) } },
        }),
      )[0];
      const metrics = metricsOf(gate);
      expect(metrics.map((m) => m.MetricName).sort()).toEqual(['Errors', 'Invocations']);
      for (const metric of metrics) {
        expect(metric.Dimensions).toEqual(
          expect.arrayContaining([
            { Name: 'ExecutedVersion', Value: { 'Fn::GetAtt': [versionId, 'Version'] } },
            { Name: 'Resource', Value: expect.anything() },
          ]),
        );
      }
    }
  });

  test('rolls the API functions back on API 5xx and the processor on dead letters', () => {
    for (const name of ['process-drawing', 'status', 'health']) {
      const names = gatingAlarms(name)
        .flatMap(metricsOf)
        .map((m) => m.MetricName);
      expect(names).toContain('5XXError');
    }
    const processor = gatingAlarms('processor').flatMap((a) => [
      a.Properties.MetricName,
      ...metricsOf(a).map((m) => m.MetricName),
    ]);
    expect(processor).toContain('ApproximateNumberOfMessagesVisible');
    expect(gatingAlarms('dlq-processor')).toHaveLength(1);
  });

  test('retains every published function version, so a rollback has a version to return to', () => {
    const versions = template.findResources('AWS::Lambda::Version');
    expect(Object.keys(versions).length).toBeGreaterThanOrEqual(5);
    for (const version of Object.values(versions)) {
      // deleted only when the create that published it rolls back
      expect(version.DeletionPolicy).toBe('RetainExceptOnCreate');
      expect(version.UpdateReplacePolicy).toBe('Retain');
    }
  });

  test('rolls a version that fails every call back within 5 minutes, in the worst case', () => {
    // From the template: a deployment group's alarm goes to ALARM after Period ×
    // EvaluationPeriods of bad data points. Allowances for what the template cannot show:
    // Lambda metrics reach CloudWatch up to a minute late, CodeDeploy polls the alarms about
    // once a minute, and shifting the alias back takes seconds (30 s allowed).
    const METRIC_DELAY = 60;
    const CODEDEPLOY_POLL = 60;
    const SHIFT_BACK = 30;
    for (const stage of ['staging', 'prod'] as const) {
      const t = platformFor(stage).template.toJSON().Resources;
      for (const group of Object.values(t).filter(
        (r: any) => r.Type === 'AWS::CodeDeploy::DeploymentGroup',
      ) as any[]) {
        const alarms = group.Properties.AlarmConfiguration.Alarms.map(
          (a: { Name: { Ref: string } }) => t[a.Name.Ref].Properties,
        );
        const detection = Math.max(
          ...alarms.map((a: any) => {
            const period =
              a.Period ?? Math.max(...a.Metrics.map((m: any) => m.MetricStat?.Period ?? 0));
            return period * a.EvaluationPeriods;
          }),
        );
        const worstCase = detection + METRIC_DELAY + CODEDEPLOY_POLL + SHIFT_BACK;
        expect(worstCase).toBeLessThan(5 * 60);
      }
    }
  });

  test('runs the pre-traffic hook before every alias update', () => {
    for (const name of ALL_FUNCTIONS) {
      const aliases = template.findResources('AWS::Lambda::Alias', {
        Properties: { FunctionName: { Ref: functionId(template, 'prod', name) } },
      });
      const alias = Object.values(aliases)[0];
      expect(alias.UpdatePolicy.CodeDeployLambdaAliasUpdate.BeforeAllowTrafficHook).toEqual({
        Ref: functionId(template, 'prod', `${name}-pre-traffic`),
      });
    }
  });

  test('points the pre-traffic hook at the new version and lets it invoke exactly that version', () => {
    for (const name of ALL_FUNCTIONS) {
      const hookId = functionId(template, 'prod', `${name}-pre-traffic`);
      const variables = resources[hookId].Properties.Environment.Variables;
      const target = variables.TARGET_FUNCTION_VERSION_ARN;
      const versionId = target.Ref as string;
      expect(resources[versionId].Type).toBe('AWS::Lambda::Version');
      expect(resources[versionId].Properties.FunctionName).toEqual({
        Ref: functionId(template, 'prod', name),
      });
      expect(Object.keys(variables)).toEqual(
        expect.arrayContaining([
          'TABLE_NAME',
          'BUCKET_NAME',
          'QUEUE_URL',
          'STAGE',
          'TARGET_FUNCTION_VERSION_ARN',
        ]),
      );
      const invoke = statementsOf(template, hookId).filter(
        (s: Statement) => s.Action === 'lambda:InvokeFunction',
      );
      expect(invoke).toEqual([expect.objectContaining({ Resource: { Ref: versionId } })]);
    }
  });

  test('lets the pre-traffic hook check table, bucket and queue reachability and report to CodeDeploy', () => {
    const hookId = functionId(template, 'prod', 'status-pre-traffic');
    expect([...new Set(actionsOf(statementsOf(template, hookId)))]).toEqual(
      expect.arrayContaining([
        'dynamodb:DescribeTable',
        's3:ListBucket',
        'sqs:GetQueueAttributes',
        'codedeploy:PutLifecycleEventHookExecutionStatus',
        'lambda:InvokeFunction',
      ]),
    );
  });

  test('lets CodeDeploy invoke the hooks themselves and nothing qualified', () => {
    const codeDeployRoles = template.findResources('AWS::IAM::Role', {
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({ Principal: { Service: 'codedeploy.amazonaws.com' } })],
        },
      },
    });
    expect(Object.keys(codeDeployRoles)).toHaveLength(5);
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      p.Properties.Roles.some((r: { Ref: string }) => r.Ref in codeDeployRoles),
    );
    for (const policy of policies) {
      for (const statement of policy.Properties.PolicyDocument.Statement as Statement[]) {
        expect(statement.Action).toBe('lambda:InvokeFunction');
        expect(JSON.stringify(statement.Resource)).not.toContain('*');
      }
    }
  });

  test('adds a post-traffic hook that probes the alias when deploy-hooks builds one', () => {
    const hookId = functionId(template, 'prod', 'health-post-traffic');
    const target = JSON.stringify(
      resources[hookId].Properties.Environment.Variables.TARGET_FUNCTION_ALIAS_ARN,
    );
    expect(target).toContain(functionId(template, 'prod', 'health'));
    expect(target).toContain(':live');
  });

  test('lets the post-traffic hook judge the new version: its alias and metrics, with its limits', () => {
    for (const name of ALL_FUNCTIONS) {
      const hookId = functionId(template, 'prod', `${name}-post-traffic`);
      const variables = resources[hookId].Properties.Environment.Variables;
      expect(variables.MAX_ERROR_RATE_PERCENT).toBe('10');
      const statements = statementsOf(template, hookId);
      expect(statements).toContainEqual(
        expect.objectContaining({ Action: 'cloudwatch:GetMetricData', Resource: '*' }),
      );
      const getAlias = statements.find((s: Statement) => s.Action === 'lambda:GetAlias');
      expect(JSON.stringify(getAlias?.Resource)).toContain(functionId(template, 'prod', name));
    }
    const limit = (name: string) =>
      resources[functionId(template, 'prod', `${name}-post-traffic`)].Properties.Environment
        .Variables.MAX_P99_DURATION_MS;
    expect(limit('status')).toBe('2000');
    expect(limit('health')).toBe('2000');
    expect(limit('processor')).toBe(String(15 * 60 * 1000 * 0.8));
  });

  test('has the job path run a synthetic job after the shift, through the live aliases, and lets it clean up', () => {
    const liveOf = (name: string) => [functionId(template, 'prod', name), ':live'];
    for (const name of ['process-drawing', 'processor', 'status']) {
      const hookId = functionId(template, 'prod', `${name}-post-traffic`);
      const variables = resources[hookId].Properties.Environment.Variables;
      const submit = JSON.stringify(variables.SYNTHETIC_SUBMIT_FUNCTION_ARN);
      const status = JSON.stringify(variables.SYNTHETIC_STATUS_FUNCTION_ARN);
      for (const part of liveOf('process-drawing')) expect(submit).toContain(part);
      for (const part of liveOf('status')) expect(status).toContain(part);
      const statements = statementsOf(template, hookId);
      // it may invoke exactly those aliases (and its own target), never a wildcard
      const invoke = statements.find((s) => s.Action === 'lambda:InvokeFunction')!;
      expect(JSON.stringify(invoke.Resource)).not.toContain('*');
      const invoked = (invoke.Resource as object[]).map((r) => JSON.stringify(r));
      expect(invoked.every((r) => r.includes(':live'))).toBe(true);
      expect(new Set(invoked.map((r) => /"Fn::GetAtt":\["(\w+)"/.exec(r)?.[1]))).toEqual(
        new Set([name, 'process-drawing', 'status'].map((n) => functionId(template, 'prod', n))),
      );
      expect(actionsOf(statements)).toEqual(
        expect.arrayContaining(['dynamodb:DeleteItem', 's3:DeleteObject', 's3:ListBucket']),
      );
      const deletes = statements.find((s) => s.Action === 's3:DeleteObject')!;
      expect(JSON.stringify(deletes.Resource)).toMatch(/drawings\/\*.*jobs\/\*.*results\/\*/);
    }
    // and none where the synthetic job is turned off
    const off = synthPlatform({ stage: 'prod', syntheticJob: false }).template;
    for (const [hook, fn] of Object.entries(off.findResources('AWS::Lambda::Function'))) {
      expect(fn.Properties.Environment?.Variables?.SYNTHETIC_SUBMIT_FUNCTION_ARN).toBeUndefined();
      if (fn.Properties.FunctionName.endsWith('-post-traffic')) {
        expect(actionsOf(statementsOf(off, hook))).not.toContain('dynamodb:DeleteItem');
      }
    }
    for (const name of ['health', 'dlq-processor']) {
      const hookId = functionId(template, 'prod', `${name}-post-traffic`);
      const variables = resources[hookId].Properties.Environment.Variables;
      expect(variables.SYNTHETIC_SUBMIT_FUNCTION_ARN).toBeUndefined();
      expect(actionsOf(statementsOf(template, hookId))).not.toContain('dynamodb:DeleteItem');
    }
  });
});
