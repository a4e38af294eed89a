import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from './private/nag';

/** Properties of a {@link PlatformFunction}. */
export interface PlatformFunctionProps {
  /** Physical function name; the log group is `/aws/lambda/<functionName>`. */
  readonly functionName: string;
  /** One-line description shown in the console. */
  readonly description: string;
  /** The prebuilt bundle folder, with `index.mjs` exporting `handler`. */
  readonly code: lambda.Code;
  /** The shared layer. */
  readonly layer: lambda.ILayerVersion;
  /** Memory in MB. */
  readonly memorySize: number;
  /** Timeout. */
  readonly timeout: Duration;
  /** Environment variables (POWERTOOLS_SERVICE_NAME, and NODE_OPTIONS with source maps, are added). */
  readonly environment: Record<string, string>;
  /**
   * Run with `--enable-source-maps`. It costs cold-start time, and the Lambda assets carry no
   * maps (they are published apart), so only development stages want it.
   * @default false
   */
  readonly sourceMaps?: boolean;
  /** Log retention. */
  readonly logRetention: logs.RetentionDays;
  /**
   * What happens to the log group when it leaves the stack.
   * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Publish the current version behind a `live` alias.
   * @default false
   */
  readonly alias?: boolean;
  /**
   * Provisioned concurrency of the `live` alias; 0 for none.
   * @default 0
   */
  readonly provisionedConcurrency?: number;
}

/**
 * One platform Lambda function: arm64, X-Ray active, the shared layer, its own role with no
 * managed policy (log writes are granted on its own log group only) and, optionally, a
 * `live` alias that traffic and CodeDeploy use.
 */
export class PlatformFunction extends Construct {
  /** The runtime every platform function runs on (the bundles target Node.js 22, which it runs). */
  public static readonly RUNTIME = lambda.Runtime.NODEJS_24_X;

  /** The function. */
  public readonly function: lambda.Function;
  /** Its execution role; grants go here. */
  public readonly role: iam.Role;
  /** Its log group. */
  public readonly logGroup: logs.LogGroup;
  /** The `live` alias, when {@link PlatformFunctionProps.alias} is set. */
  public readonly alias?: lambda.Alias;

  constructor(scope: Construct, id: string, props: PlatformFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.functionName}`,
    });
    iam.Grant.addToPrincipal({
      grantee: this.role,
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resourceArns: [this.logGroup.logGroupArn],
    });
    this.function = new lambda.Function(this, 'Function', {
      functionName: props.functionName,
      description: props.description,
      code: props.code,
      handler: 'index.handler',
      runtime: PlatformFunction.RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      tracing: lambda.Tracing.ACTIVE,
      layers: [props.layer],
      role: this.role,
      logGroup: this.logGroup,
      // Versions outlive the deployment that published them, as SAM's do: a rollback after
      // the deployment ended shifts the alias back to a version that still exists.
      currentVersionOptions: { removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE },
      environment: {
        ...props.environment,
        ...(props.sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
        POWERTOOLS_SERVICE_NAME: props.functionName,
      },
    });
    acknowledge(
      this.role,
      'AwsSolutions-IAM5[Resource::*]',
      'Lambda active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions.',
    );
    if (props.alias) {
      const provisioned = props.provisionedConcurrency ?? 0;
      this.alias = new lambda.Alias(this, 'Alias', {
        aliasName: 'live',
        version: this.function.currentVersion,
        provisionedConcurrentExecutions: provisioned > 0 ? provisioned : undefined,
      });
    }
  }
}
