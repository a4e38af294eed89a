import { SecurityAssistantPlatform } from '@security-assistant/constructs';
import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from './environments';

export interface PlatformStackProps extends StackProps {
  /** Which environment this stack deploys. */
  readonly environment: EnvironmentConfig;
}

/** One environment's stack: the platform construct and nothing else. */
export class PlatformStack extends Stack {
  public readonly platform: SecurityAssistantPlatform;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, { ...props, stackName: props.environment.stackName });
    this.platform = new SecurityAssistantPlatform(this, 'Platform', {
      ...props.environment.overrides,
      stage: props.environment.stage,
    });
  }
}
