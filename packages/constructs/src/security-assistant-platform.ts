import { Duration, RemovalPolicy, Tags } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lambdaEventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { AlertTopic } from './alert-topic';
import { DrawingBucket } from './drawing-bucket';
import { GradualDeployment } from './gradual-deployment';
import { JobTable } from './job-table';
import { PlatformApi } from './platform-api';
import { PLATFORM_RUNTIME, PlatformFunction, PlatformFunctionProps } from './platform-function';
import { STAGE_PRESETS, Stage } from './presets';
import { artifactPath, hasArtifact, locatePackage } from './private/artifacts';
import { validatePlatformProps } from './private/validation';
import { ProcessingQueue } from './processing-queue';

/** Properties of the {@link SecurityAssistantPlatform}; every optional value overrides the stage preset. */
export interface SecurityAssistantPlatformProps {
  /** The environment; selects the preset every other value starts from. */
  readonly stage: Stage;
  /**
   * Memory of the API functions and the dlq-processor, in MB (128..10240).
   * @default 256 in dev, 512 in staging, 1024 in prod
   */
  readonly apiMemorySize?: number;
  /**
   * Memory of the processor, in MB (128..10240).
   * @default 1024 in dev, 3008 in staging and prod
   */
  readonly processorMemorySize?: number;
  /**
   * Timeout of the processor, at most 15 minutes.
   * @default 5 minutes in dev, 15 minutes in staging and prod
   */
  readonly processorTimeout?: Duration;
  /**
   * Visibility timeout of the processing queue, at least the processor timeout.
   * @default - the larger of the processor timeout and 30 minutes
   */
  readonly queueVisibilityTimeout?: Duration;
  /**
   * Retention of every log group.
   * @default one week in dev, one month in staging, one year in prod
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * What happens to the table, buckets, key and log groups when they leave the stack.
   * @default RemovalPolicy.DESTROY in dev, RemovalPolicy.RETAIN in staging and prod
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Point-in-time recovery of the jobs table.
   * @default false in dev, true in staging and prod
   */
  readonly pointInTimeRecovery?: boolean;
  /**
   * Versioning of the drawings bucket.
   * @default false in dev, true in staging and prod
   */
  readonly bucketVersioned?: boolean;
  /**
   * Provisioned concurrency of each API function's `live` alias; 0 for none.
   * @default 2 in prod, 0 otherwise
   */
  readonly provisionedConcurrency?: number;
  /**
   * How CodeDeploy shifts traffic to new versions.
   * @default LambdaDeploymentConfig.ALL_AT_ONCE in dev, CANARY_10PERCENT_5MINUTES in staging and prod
   */
  readonly deploymentConfig?: codedeploy.ILambdaDeploymentConfig;
  /**
   * Largest drawing accepted through the API, in bytes (API Gateway sends it to Lambda
   * base64-encoded, inside its 10 MB payload limit).
   * @default 4194304 (4 MiB)
   */
  readonly maxUploadBytes?: number;
  /**
   * Name of the SSM SecureString holding the model API key.
   * @default `/security-assistant/<stage>/model-api-key`
   */
  readonly modelApiKeyParameterName?: string;
  /**
   * Drawing analyser the processor uses: `offline` reads the PDF text layer, `gemini` calls the model.
   * @default 'offline'
   */
  readonly analyser?: 'offline' | 'gemini';
  /**
   * Where failed jobs are announced.
   * @default - an encrypted topic named `security-assistant-<stage>-alerts`
   */
  readonly alertTopic?: sns.ITopic;
}

/** The traffic-bearing functions, by name. */
export type PlatformFunctionName =
  'process-drawing' | 'status' | 'health' | 'processor' | 'dlq-processor';

/** What differs between the five functions; the rest is shared. */
type FunctionSpec = Pick<
  PlatformFunctionProps,
  'description' | 'environment' | 'memorySize' | 'timeout' | 'provisionedConcurrency'
>;

const FUNCTIONS_PACKAGE = '@security-assistant/functions';
const HOOKS_PACKAGE = '@security-assistant/deploy-hooks';
const LAYER_PACKAGE = '@security-assistant/layer-common';
const DEFAULT_MAX_UPLOAD_BYTES = 4 * 1024 * 1024;
/** Processing messages stay hidden at least this long, whatever the processor timeout. */
const MIN_VISIBILITY_SECONDS = 30 * 60;

/**
 * The Security Assistant Platform: REST API, jobs table, drawings bucket, processing queue
 * with DLQ, alert topic and five Lambda functions deployed gradually through CodeDeploy.
 *
 * It deploys the prebuilt bundles of `@security-assistant/functions` and
 * `@security-assistant/deploy-hooks` and the layer of `@security-assistant/layer-common`.
 *
 * @example
 * new SecurityAssistantPlatform(stack, 'Platform', { stage: 'staging' });
 */
export class SecurityAssistantPlatform extends Construct {
  /** The stage this platform serves. */
  public readonly stage: Stage;
  /** The jobs table. */
  public readonly table: dynamodb.Table;
  /** Drawings and results. */
  public readonly bucket: s3.Bucket;
  /** Jobs waiting for the processor. */
  public readonly queue: sqs.Queue;
  /** Messages that failed three receives; drained by the dlq-processor. */
  public readonly deadLetterQueue: sqs.Queue;
  /** Where failed jobs are announced. */
  public readonly alertTopic: sns.ITopic;
  /** The REST API. */
  public readonly api: apigateway.RestApi;
  /** The API key of the usage plan. */
  public readonly apiKey: apigateway.IApiKey;
  /** The shared layer built from `@security-assistant/layer-common`. */
  public readonly layer: lambda.LayerVersion;
  /** The functions, by name. */
  public readonly functions: Readonly<Record<PlatformFunctionName, lambda.Function>>;
  /** The `live` alias of every function, by name. */
  public readonly aliases: Readonly<Record<PlatformFunctionName, lambda.Alias>>;
  /** The CodeDeploy deployment group of every function, by name. */
  public readonly deploymentGroups: Readonly<
    Record<PlatformFunctionName, codedeploy.LambdaDeploymentGroup>
  >;

  constructor(scope: Construct, id: string, props: SecurityAssistantPlatformProps) {
    super(scope, id);
    validatePlatformProps(props);
    const stage = props.stage;
    const preset = STAGE_PRESETS[stage];
    const name = (suffix: string) => `security-assistant-${stage}-${suffix}`;
    const removalPolicy = props.removalPolicy ?? preset.removalPolicy;
    const logRetention = props.logRetention ?? preset.logRetention;
    const processorTimeout = props.processorTimeout ?? preset.processorTimeout;
    this.stage = stage;

    Tags.of(this).add('Project', 'SecurityDesignAssistant');
    Tags.of(this).add('Environment', stage);

    const functionsPackage = locatePackage(this, FUNCTIONS_PACKAGE);
    const hooksPackage = locatePackage(this, HOOKS_PACKAGE);
    const layerPackage = locatePackage(this, LAYER_PACKAGE);
    const code = (folder: string) =>
      lambda.Code.fromAsset(artifactPath(functionsPackage, `dist/${folder}`));

    this.layer = new lambda.LayerVersion(this, 'CommonLayer', {
      layerVersionName: name('common'),
      description: `${layerPackage.name}@${layerPackage.version}`,
      code: lambda.Code.fromAsset(artifactPath(layerPackage, 'layer')),
      compatibleArchitectures: [lambda.Architecture.ARM_64],
      compatibleRuntimes: [PLATFORM_RUNTIME],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const jobTable = new JobTable(this, 'Jobs', {
      tableName: name('jobs'),
      pointInTimeRecovery: props.pointInTimeRecovery ?? preset.pointInTimeRecovery,
      removalPolicy,
    });
    const drawings = new DrawingBucket(this, 'Drawings', {
      removalPolicy,
      versioned: props.bucketVersioned ?? preset.bucketVersioned,
    });
    const processing = new ProcessingQueue(this, 'Processing', {
      queueName: name('processing'),
      visibilityTimeout:
        props.queueVisibilityTimeout ??
        Duration.seconds(Math.max(processorTimeout.toSeconds(), MIN_VISIBILITY_SECONDS)),
    });
    const ownTopic = props.alertTopic
      ? undefined
      : new AlertTopic(this, 'Alerts', { topicName: name('alerts'), removalPolicy });
    this.table = jobTable.table;
    this.bucket = drawings.bucket;
    this.queue = processing.queue;
    this.deadLetterQueue = processing.deadLetterQueue;
    this.alertTopic = props.alertTopic ?? ownTopic!.topic;

    const modelApiKey = ssm.StringParameter.fromSecureStringParameterAttributes(
      this,
      'ModelApiKey',
      {
        parameterName:
          props.modelApiKeyParameterName ?? `/security-assistant/${stage}/model-api-key`,
      },
    );
    const env = {
      STAGE: stage,
      SERVICE_VERSION: functionsPackage.version,
      TABLE_NAME: this.table.tableName,
      BUCKET_NAME: this.bucket.bucketName,
      QUEUE_URL: this.queue.queueUrl,
      ALERT_TOPIC_ARN: this.alertTopic.topicArn,
      MODEL_API_KEY_PARAMETER: modelApiKey.parameterName,
      MAX_UPLOAD_BYTES: String(props.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES),
      ANALYSER: props.analyser ?? 'offline',
    };
    const pick = (...keys: (keyof typeof env)[]) =>
      Object.fromEntries(
        ['STAGE', 'SERVICE_VERSION', ...keys].map((k) => [k, env[k as keyof typeof env]]),
      );

    const apiSettings = {
      memorySize: props.apiMemorySize ?? preset.apiMemorySize,
      timeout: preset.apiTimeout,
      provisionedConcurrency: props.provisionedConcurrency ?? preset.provisionedConcurrency,
    };
    const specs: Record<PlatformFunctionName, FunctionSpec> = {
      'process-drawing': {
        ...apiSettings,
        description: 'POST /process-drawing: stores a drawing and queues its job',
        environment: pick('TABLE_NAME', 'BUCKET_NAME', 'QUEUE_URL', 'MAX_UPLOAD_BYTES'),
      },
      status: {
        ...apiSettings,
        description: 'GET /status/{job_id}: reports a job and presigns its result',
        environment: pick('TABLE_NAME', 'BUCKET_NAME'),
      },
      health: {
        ...apiSettings,
        description: 'GET /health: version and stage',
        environment: pick(),
      },
      processor: {
        description: 'Runs the processing stages of a queued job',
        environment: pick(
          'TABLE_NAME',
          'BUCKET_NAME',
          'QUEUE_URL',
          'MODEL_API_KEY_PARAMETER',
          'ANALYSER',
        ),
        memorySize: props.processorMemorySize ?? preset.processorMemorySize,
        timeout: processorTimeout,
      },
      'dlq-processor': {
        description: 'Marks dead-lettered jobs failed and raises an alert',
        environment: pick('TABLE_NAME', 'ALERT_TOPIC_ARN'),
        memorySize: props.apiMemorySize ?? preset.apiMemorySize,
        timeout: Duration.seconds(30),
      },
    };
    const fns = {} as Record<PlatformFunctionName, PlatformFunction>;
    for (const [fnName, spec] of Object.entries(specs) as [PlatformFunctionName, FunctionSpec][]) {
      fns[fnName] = new PlatformFunction(this, pascal(fnName), {
        ...spec,
        functionName: name(fnName),
        code: code(fnName),
        layer: this.layer,
        logRetention,
        removalPolicy,
        alias: true,
      });
    }

    // Least privilege, one role per function.
    jobTable.grantCreateJob(fns['process-drawing'].role);
    drawings.grantWriteDrawings(fns['process-drawing'].role);
    this.queue.grantSendMessages(fns['process-drawing'].role);
    jobTable.grantReadJob(fns.status.role);
    drawings.grantReadResults(fns.status.role);
    jobTable.grantUpdateJob(fns.processor.role);
    drawings.grantProcessJobs(fns.processor.role);
    this.queue.grantSendMessages(fns.processor.role);
    iam.Grant.addToPrincipal({
      grantee: fns.processor.role,
      actions: ['ssm:GetParameter'],
      resourceArns: [modelApiKey.parameterArn],
    });
    jobTable.grantUpdateJob(fns['dlq-processor'].role);
    if (ownTopic) {
      ownTopic.grantPublish(fns['dlq-processor'].role);
    } else {
      this.alertTopic.grantPublish(fns['dlq-processor'].role);
    }

    const alias = (fnName: PlatformFunctionName) => fns[fnName].alias!;
    alias('processor').addEventSource(
      new lambdaEventSources.SqsEventSource(this.queue, {
        batchSize: 1,
        reportBatchItemFailures: true,
      }),
    );
    alias('dlq-processor').addEventSource(
      new lambdaEventSources.SqsEventSource(this.deadLetterQueue, {
        batchSize: 1,
        reportBatchItemFailures: true,
      }),
    );

    const platformApi = new PlatformApi(this, 'Api', {
      apiName: name('api'),
      stageName: stage,
      processDrawing: alias('process-drawing'),
      status: alias('status'),
      health: alias('health'),
      logRetention,
      removalPolicy,
    });
    this.api = platformApi.api;
    this.apiKey = platformApi.apiKey;

    const application = new codedeploy.LambdaApplication(this, 'DeploymentApplication', {
      applicationName: name('functions'),
    });
    const postTraffic = hasArtifact(hooksPackage, 'dist/post-traffic')
      ? lambda.Code.fromAsset(artifactPath(hooksPackage, 'dist/post-traffic'))
      : undefined;
    const preTraffic = lambda.Code.fromAsset(artifactPath(hooksPackage, 'dist/pre-traffic'));
    const groups = {} as Record<PlatformFunctionName, codedeploy.LambdaDeploymentGroup>;
    for (const fnName of Object.keys(fns) as PlatformFunctionName[]) {
      const deployment = new GradualDeployment(this, `${pascal(fnName)}Deployment`, {
        application,
        deploymentGroupName: name(fnName),
        alias: alias(fnName),
        deploymentConfig: props.deploymentConfig ?? preset.deploymentConfig,
        preTrafficCode: preTraffic,
        postTrafficCode: postTraffic,
        layer: this.layer,
        logRetention,
        removalPolicy,
        hookEnvironment: {
          STAGE: stage,
          SERVICE_VERSION: hooksPackage.version,
          TABLE_NAME: this.table.tableName,
          BUCKET_NAME: this.bucket.bucketName,
          QUEUE_URL: this.queue.queueUrl,
        },
      });
      const hookRole = deployment.preTrafficHook.role;
      jobTable.grantDescribe(hookRole);
      drawings.grantHeadBucket(hookRole);
      iam.Grant.addToPrincipal({
        grantee: hookRole,
        actions: ['sqs:GetQueueAttributes'],
        resourceArns: [this.queue.queueArn],
      });
      groups[fnName] = deployment.deploymentGroup;
    }

    this.functions = mapValues(fns, (f) => f.function);
    this.aliases = mapValues(fns, (f) => f.alias!);
    this.deploymentGroups = groups;
  }
}

/** `dlq-processor` → `DlqProcessor`: construct ids are PascalCase. */
function pascal(kebab: string): string {
  return kebab.replace(/(^|-)([a-z])/g, (_, _dash: string, letter: string) => letter.toUpperCase());
}

function mapValues<K extends string, A, B>(record: Record<K, A>, f: (value: A) => B): Record<K, B> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v as A)])) as Record<K, B>;
}
