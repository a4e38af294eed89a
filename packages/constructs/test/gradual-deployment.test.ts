import { Match } from 'aws-cdk-lib/assertions';
import {
  ALL_FUNCTIONS,
  Statement,
  actionsOf,
  functionId,
  platformFor,
  statementsOf,
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
        AlarmConfiguration: { Enabled: true, Alarms: [expect.anything()] },
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

  test('alarms on an alias error rate above 10 %', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 5);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'security-assistant-prod-processor-error-rate',
      Threshold: 10,
      ComparisonOperator: 'GreaterThanThreshold',
      Metrics: Match.arrayWith([
        Match.objectLike({
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({
              MetricName: 'Errors',
              Dimensions: Match.arrayWith([{ Name: 'Resource', Value: Match.anyValue() }]),
            }),
          }),
        }),
      ]),
    });
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
});
