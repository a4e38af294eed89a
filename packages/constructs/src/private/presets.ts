import { Duration, RemovalPolicy, Tags } from 'aws-cdk-lib';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';

/** The deployment environments the platform knows. */
export type Stage = 'dev' | 'staging' | 'prod';

/** Every stage, in promotion order. */
export const STAGES: readonly Stage[] = ['dev', 'staging', 'prod'];

/** Whether `value` names a stage; props take a plain string so Python callers pass one too. */
export function isStage(value: string): value is Stage {
  return (STAGES as readonly string[]).includes(value);
}

/** The values a stage starts from; every one can be overridden through the platform props. */
export interface StagePreset {
  /** Memory of the API functions (process-drawing, status, health) and the dlq-processor, in MB. */
  readonly apiMemorySize: number;
  /** Timeout of the API functions; API Gateway gives up after 29 seconds anyway. */
  readonly apiTimeout: Duration;
  /** Memory of the processor, in MB. */
  readonly processorMemorySize: number;
  /** Timeout of the processor. */
  readonly processorTimeout: Duration;
  /** Retention of every function's log group. */
  readonly logRetention: logs.RetentionDays;
  /**
   * What happens to the table, bucket, topics, keys and log groups when they leave the stack.
   * Kept data uses RETAIN_ON_UPDATE_OR_DELETE (`DeletionPolicy: RetainExceptOnCreate`): a
   * first create that rolls back deletes them, so the retry finds no fixed name taken.
   */
  readonly removalPolicy: RemovalPolicy;
  /** Point-in-time recovery of the jobs table. */
  readonly pointInTimeRecovery: boolean;
  /** Versioning of the drawings bucket. */
  readonly bucketVersioned: boolean;
  /** Provisioned concurrency of each API function's `live` alias; 0 for none. */
  readonly provisionedConcurrency: number;
  /** How CodeDeploy shifts traffic to a new version. */
  readonly deploymentConfig: codedeploy.ILambdaDeploymentConfig;
  /**
   * Whether functions run with `--enable-source-maps`. Only dev: it costs cold-start time,
   * and the maps are published apart from the Lambda assets.
   */
  readonly sourceMaps: boolean;
  /** `minimal` (error rates, API 5xx, dead letters) or `full` (the whole alarm catalogue). */
  readonly alarmLevel: 'minimal' | 'full';
  /** Monthly cost budget, in USD. */
  readonly monthlyBudgetUsd: number;
  /** Cost Anomaly Detection of the stage's own (tagged) cost: a CUSTOM monitor and a subscription. */
  readonly costAnomalyDetection: boolean;
  /** An AWS WAF web ACL on the API stage (rate per IP, managed rule groups, body size). */
  readonly waf: boolean;
  /**
   * Most processor invocations the SQS event source runs at once (2..1000). It bounds the
   * model calls in flight and leaves the account's concurrency to the API
   * (docs/decisions/0012-first-deployment.md).
   */
  readonly processorMaxConcurrency: number;
}

/** The presets: dev is small and disposable, staging is production-like, prod is full size. */
export const STAGE_PRESETS: Readonly<Record<Stage, StagePreset>> = {
  dev: {
    apiMemorySize: 256,
    apiTimeout: Duration.seconds(10),
    processorMemorySize: 1024,
    processorTimeout: Duration.minutes(5),
    logRetention: logs.RetentionDays.ONE_WEEK,
    removalPolicy: RemovalPolicy.DESTROY,
    pointInTimeRecovery: false,
    bucketVersioned: false,
    provisionedConcurrency: 0,
    deploymentConfig: codedeploy.LambdaDeploymentConfig.ALL_AT_ONCE,
    sourceMaps: true,
    alarmLevel: 'minimal',
    monthlyBudgetUsd: 50,
    costAnomalyDetection: false,
    waf: false,
    processorMaxConcurrency: 2,
  },
  staging: {
    apiMemorySize: 512,
    apiTimeout: Duration.seconds(29),
    processorMemorySize: 3008,
    processorTimeout: Duration.minutes(15),
    logRetention: logs.RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    pointInTimeRecovery: true,
    bucketVersioned: true,
    provisionedConcurrency: 0,
    deploymentConfig: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
    sourceMaps: false,
    alarmLevel: 'full',
    monthlyBudgetUsd: 200,
    costAnomalyDetection: false,
    waf: false,
    processorMaxConcurrency: 5,
  },
  prod: {
    apiMemorySize: 1024,
    apiTimeout: Duration.seconds(29),
    processorMemorySize: 3008,
    processorTimeout: Duration.minutes(15),
    logRetention: logs.RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    pointInTimeRecovery: true,
    bucketVersioned: true,
    provisionedConcurrency: 2,
    deploymentConfig: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
    sourceMaps: false,
    alarmLevel: 'full',
    monthlyBudgetUsd: 1000,
    costAnomalyDetection: true,
    waf: true,
    processorMaxConcurrency: 10,
  },
};

/** The tag naming a resource's stage: the cost guards count the costs it carries. */
export const COST_TAG = 'Environment';

/** The tags every platform resource carries. */
export function tagPlatform(scope: IConstruct, stage: string): void {
  Tags.of(scope).add('Project', 'SecurityDesignAssistant');
  Tags.of(scope).add(COST_TAG, stage);
}
