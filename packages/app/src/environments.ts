import type { SecurityAssistantPlatformProps } from '@security-assistant/constructs';

export const STAGES = ['dev', 'staging', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

/** One deployment of the platform. */
export interface EnvironmentConfig {
  readonly stage: Stage;
  /** CloudFormation stack name; the deploy/diff tasks name it too. */
  readonly stackName: string;
  /** Preset overrides from CDK context (`security-assistant:<stage>`), if any. */
  readonly overrides: Partial<Omit<SecurityAssistantPlatformProps, 'stage'>>;
}

/** Reads a context value; the CDK App and tests both provide this. */
export type ContextReader = (key: string) => unknown;

/**
 * The three environments. Account and region are never named here: the CLI supplies them
 * from the caller's credentials (CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION), and offline
 * synthesis produces environment-agnostic templates.
 */
export function environments(context: ContextReader): EnvironmentConfig[] {
  return STAGES.map((stage) => {
    const overrides = context(`security-assistant:${stage}`) ?? {};
    if (typeof overrides !== 'object' || Array.isArray(overrides)) {
      throw new Error(
        `context security-assistant:${stage} must be an object of preset overrides (given ${JSON.stringify(overrides)})`,
      );
    }
    return { stage, stackName: `SecurityAssistant-${stage}`, overrides };
  });
}
