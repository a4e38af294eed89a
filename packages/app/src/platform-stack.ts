import {
  IPlatformData,
  PlatformData,
  PlatformDataProps,
  PlatformService,
  PlatformServiceOptions,
} from '@security-assistant/constructs';
import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from './environments';

export interface PlatformStackProps extends StackProps {
  /** Which environment this stack deploys. */
  readonly environment: EnvironmentConfig;
}

/** The props of each part for an environment: its stage plus the context overrides. */
export function platformProps(
  scope: Construct,
  environment: EnvironmentConfig,
): { data: PlatformDataProps; service: PlatformServiceOptions } {
  const { alertTopicArn, ...overrides } = environment.overrides;
  const alertTopic = alertTopicArn
    ? sns.Topic.fromTopicArn(scope, 'AlertTopic', alertTopicArn)
    : undefined;
  const props = { ...overrides, stage: environment.stage };
  return { data: { ...props, alertTopic }, service: props };
}

/** An environment's stateful part: table, bucket, queues and topic, which outlive any release. */
export class DataStack extends Stack {
  public readonly data: PlatformData;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, { ...props, stackName: props.environment.dataStackName });
    this.data = new PlatformData(this, 'Data', platformProps(this, props.environment).data);
  }
}

export interface ServiceStackProps extends PlatformStackProps {
  /** The environment's stateful part, in its data stack. */
  readonly data: IPlatformData;
}

/**
 * An environment's stateless part: layer, functions, API and their gradual deployment. A code
 * change deploys this stack only. Its outputs name the API for smoke tests.
 */
export class ServiceStack extends Stack {
  public readonly service: PlatformService;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, { ...props, stackName: props.environment.serviceStackName });
    this.service = new PlatformService(this, 'Service', {
      ...platformProps(this, props.environment).service,
      data: props.data,
    });
    new CfnOutput(this, 'ApiUrl', {
      description: 'Base URL of the REST API stage',
      value: this.service.api.url,
    });
    if (this.service.apiKey) {
      new CfnOutput(this, 'ApiKeyId', {
        description:
          "Id of the first caller's API key (aws apigateway get-api-key --include-value --api-key <id>)",
        value: this.service.apiKey.keyId,
      });
      new CfnOutput(this, 'CallerKeyIds', {
        description: "Each caller's API key id, by caller name (JSON)",
        value: this.toJsonString(
          Object.fromEntries(Object.entries(this.service.apiKeys).map(([n, k]) => [n, k.keyId])),
        ),
      });
    }
  }
}

/**
 * Account-wide settings, deployed once per account and region whatever the number of
 * environments in it: API Gateway's CloudWatch role, which execution logging needs. Keeping
 * it out of the environment stacks stops them from overwriting each other's setting.
 */
export class AccountStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    const role = new iam.Role(this, 'ApiGatewayCloudWatchRole', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: 'Lets API Gateway write execution logs to CloudWatch Logs in this account',
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName(
          'service-role/AmazonAPIGatewayPushToCloudWatchLogs',
        ),
      ],
    });
    new apigateway.CfnAccount(this, 'ApiGatewayAccount', { cloudWatchRoleArn: role.roleArn });
  }
}
