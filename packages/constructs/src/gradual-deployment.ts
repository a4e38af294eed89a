import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { PlatformFunction } from './platform-function';
import { aliasArnOf } from './private/alias-arn';
import { acknowledge } from './private/nag';
import { ratePercent } from './private/rate';

const CODEDEPLOY_LAMBDA_POLICY = 'AWSCodeDeployRoleForLambdaLimited';

/** A hook reports to CodeDeploy well within this; CodeDeploy itself waits up to an hour. */
const HOOK_TIMEOUT = Duration.minutes(5);

/** Properties of a {@link GradualDeployment}. */
export interface GradualDeploymentProps {
  /** The CodeDeploy application the group belongs to. */
  readonly application: codedeploy.ILambdaApplication;
  /** Name of the deployment group; the hooks are named after it. */
  readonly deploymentGroupName: string;
  /** The alias that CodeDeploy shifts from the old version to the new one. */
  readonly alias: lambda.Alias;
  /** How traffic shifts. */
  readonly deploymentConfig: codedeploy.ILambdaDeploymentConfig;
  /** The pre-traffic hook bundle (deploy-hooks `dist/pre-traffic`). */
  readonly preTrafficCode: lambda.Code;
  /**
   * The post-traffic hook bundle (deploy-hooks `dist/post-traffic`).
   * @default - no post-traffic hook
   */
  readonly postTrafficCode?: lambda.Code;
  /**
   * Environment of the hooks; TARGET_FUNCTION_VERSION_ARN (pre-traffic) or
   * TARGET_FUNCTION_ALIAS_ARN (post-traffic) is added.
   */
  readonly hookEnvironment: Record<string, string>;
  /** The shared layer, used by the hooks too. */
  readonly layer: lambda.ILayerVersion;
  /** Log retention of the hooks. */
  readonly logRetention: logs.RetentionDays;
  /**
   * What happens to the hooks' log groups when they leave the stack.
   * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Run the hooks with `--enable-source-maps`.
   * @default false
   */
  readonly sourceMaps?: boolean;
  /**
   * Error rate of the new version, in percent, above which the deployment rolls back.
   * @default 10
   */
  readonly errorRateThreshold?: number;
  /**
   * Highest p99 duration of the new version over the bake time, in milliseconds, that the
   * post-traffic hook accepts.
   * @default - no latency limit
   */
  readonly maxP99DurationMs?: number;
  /**
   * Have the post-traffic hook run a synthetic job end to end through these two aliases
   * (the hook environment must name the table and bucket, and its role may remove jobs).
   * @default - no synthetic job
   */
  readonly syntheticJob?: SyntheticJobTargets;
  /**
   * More alarms that roll the deployment back while they fire (API 5xx for the API
   * functions, dead letters for the processor).
   * @default - only the new version's error rate
   */
  readonly rollbackAlarms?: cloudwatch.IAlarm[];
}

/** The aliases a post-traffic hook's synthetic job goes through. */
export interface SyntheticJobTargets {
  /** ARN of the alias that takes submissions (`process-drawing`'s `live`). */
  readonly submitAliasArn: string;
  /** ARN of the alias that answers job status (`status`'s `live`). */
  readonly statusAliasArn: string;
}

/** Period of the gating alarm: the shortest Lambda metrics have. */
const GATING_ALARM_PERIOD = Duration.minutes(1);

/**
 * Gradual deployment of one aliased function: a CodeDeploy deployment group that rolls back
 * on failure, on a stopped deployment and when the new version's error-rate alarm (or one of
 * the extra rollback alarms) fires, with a
 * pre-traffic hook (and a post-traffic hook when one is built) that may invoke exactly the
 * new version.
 */
export class GradualDeployment extends Construct {
  /** The deployment group. */
  public readonly deploymentGroup: codedeploy.LambdaDeploymentGroup;
  /** Fires when the error rate of the version being deployed exceeds the threshold. */
  public readonly errorRateAlarm: cloudwatch.Alarm;
  /** Validates the new version before traffic shifts. */
  public readonly preTrafficHook: PlatformFunction;
  /** Validates the new version after traffic shifted, when a post-traffic bundle exists. */
  public readonly postTrafficHook?: PlatformFunction;

  constructor(scope: Construct, id: string, props: GradualDeploymentProps) {
    super(scope, id);
    const version = props.alias.version;
    const hook = (
      hookId: string,
      suffix: string,
      code: lambda.Code,
      target: Record<string, string>,
    ) => {
      const fn = new PlatformFunction(this, hookId, {
        functionName: `${props.deploymentGroupName}-${suffix}`,
        description: `CodeDeploy ${suffix} hook of ${props.deploymentGroupName}`,
        code,
        layer: props.layer,
        memorySize: 256,
        timeout: HOOK_TIMEOUT,
        logRetention: props.logRetention,
        removalPolicy: props.removalPolicy,
        sourceMaps: props.sourceMaps,
        environment: { ...props.hookEnvironment, ...target },
      });
      iam.Grant.addToPrincipal({
        grantee: fn.role,
        actions: ['lambda:InvokeFunction'],
        resourceArns: Object.values(target),
      });
      return fn;
    };
    // The pre-traffic hook probes the version being deployed; the post-traffic hook probes
    // the alias once traffic has shifted to it. Each may invoke exactly that ARN.
    this.preTrafficHook = hook('PreTrafficHook', 'pre-traffic', props.preTrafficCode, {
      TARGET_FUNCTION_VERSION_ARN: version.functionArn,
    });
    if (props.postTrafficCode) {
      const aliasArn = aliasArnOf(props.alias);
      this.postTrafficHook = hook('PostTrafficHook', 'post-traffic', props.postTrafficCode, {
        TARGET_FUNCTION_ALIAS_ARN: aliasArn,
        ...(props.syntheticJob && {
          SYNTHETIC_SUBMIT_FUNCTION_ARN: props.syntheticJob.submitAliasArn,
          SYNTHETIC_STATUS_FUNCTION_ARN: props.syntheticJob.statusAliasArn,
        }),
      });
      // It also judges the new version's own metrics over the bake time: which version the
      // alias serves (GetAlias), and its errors and p99 duration (GetMetricData).
      const env = this.postTrafficHook.function;
      env.addEnvironment('MAX_ERROR_RATE_PERCENT', String(props.errorRateThreshold ?? 10));
      if (props.maxP99DurationMs !== undefined) {
        env.addEnvironment('MAX_P99_DURATION_MS', String(props.maxP99DurationMs));
      }
      iam.Grant.addToPrincipal({
        grantee: this.postTrafficHook.role,
        actions: ['lambda:GetAlias'],
        resourceArns: [props.alias.version.lambda.functionArn, aliasArn],
      });
      iam.Grant.addToPrincipal({
        grantee: this.postTrafficHook.role,
        actions: ['cloudwatch:GetMetricData'],
        resourceArns: ['*'],
      });
      acknowledge(
        this.postTrafficHook.role,
        'AwsSolutions-IAM5[Resource::*]',
        "Active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, and reading the new version's metrics cloudwatch:GetMetricData: none supports resource-level permissions.",
      );
    }

    // The new version's own calls (the alias metrics' ExecutedVersion dimension): a canary
    // that fails every call is 100 % here, where the whole alias would show about 10 %.
    const fn = version.lambda;
    const ofNewVersion = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/Lambda',
        metricName,
        dimensionsMap: {
          FunctionName: fn.functionName,
          Resource: `${fn.functionName}:${props.alias.aliasName}`,
          ExecutedVersion: version.version,
        },
        statistic: 'Sum',
        period: GATING_ALARM_PERIOD,
      });
    const threshold = props.errorRateThreshold ?? 10;
    const errorRate = ratePercent(
      ofNewVersion('Errors'),
      ofNewVersion('Invocations'),
      GATING_ALARM_PERIOD,
      'Error rate of the new version (%)',
    );
    this.errorRateAlarm = errorRate.createAlarm(this, 'ErrorRateAlarm', {
      alarmName: `${props.deploymentGroupName}-new-version-error-rate`,
      alarmDescription: `Gates the deployment of ${props.deploymentGroupName}: more than ${threshold} % of the calls to the version being deployed fail (alias metrics, ExecutedVersion). CodeDeploy rolls back while it fires.`,
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // CodeDeploy's own role. The L2 would grant it invoke on `<hook>:*` as well as on the hook;
    // CodeDeploy only invokes the unqualified hook, so the group gets the role without policy
    // updates and the exact grants are made here.
    const serviceRole = new iam.Role(this, 'ServiceRole', {
      assumedBy: new iam.ServicePrincipal('codedeploy.amazonaws.com'),
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName(`service-role/${CODEDEPLOY_LAMBDA_POLICY}`),
      ],
    });
    acknowledge(
      serviceRole,
      `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/${CODEDEPLOY_LAMBDA_POLICY}]`,
      'AWSCodeDeployRoleForLambdaLimited is the AWS-maintained policy CodeDeploy needs to shift Lambda alias traffic and read alarms; it grants no data access.',
    );
    for (const hookFunction of [this.preTrafficHook, this.postTrafficHook]) {
      if (hookFunction) {
        iam.Grant.addToPrincipal({
          grantee: serviceRole,
          actions: ['lambda:InvokeFunction'],
          resourceArns: [hookFunction.function.functionArn],
        });
      }
    }

    this.deploymentGroup = new codedeploy.LambdaDeploymentGroup(this, 'DeploymentGroup', {
      application: props.application,
      role: serviceRole.withoutPolicyUpdates(),
      deploymentGroupName: props.deploymentGroupName,
      alias: props.alias,
      deploymentConfig: props.deploymentConfig,
      alarms: [this.errorRateAlarm, ...(props.rollbackAlarms ?? [])],
      preHook: this.preTrafficHook.function,
      postHook: this.postTrafficHook?.function,
      autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
    });
  }
}
