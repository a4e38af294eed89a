import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lambdaEventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { GradualDeployment } from './gradual-deployment';
import { ApiCaller, PlatformApi } from './platform-api';
import { IPlatformData, PlatformBaseProps } from './platform-data';
import { PlatformFunction, PlatformFunctionProps } from './platform-function';
import { PlatformMonitoring } from './platform-monitoring';
import { PlatformWaf } from './platform-waf';
import { aliasArnOf } from './private/alias-arn';
import {
  LAYER_PACKAGE,
  functionAsset,
  functionsVersion,
  hookAsset,
  hooksVersion,
  resolveLayer,
} from './private/assets';
import { acknowledge } from './private/nag';
import { tagPlatform } from './private/presets';
import { validateBaseProps, validateServiceProps } from './private/validation';

/** Settings of the stateless part; each overrides the stage preset. */
export interface PlatformServiceOptions extends PlatformBaseProps {
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
   * Largest drawing accepted through `POST /uploads` and a presigned PUT, in bytes.
   * @default 104857600 (100 MiB)
   */
  readonly maxDrawingSizeBytes?: number;
  /**
   * Name of the SSM SecureString holding the model API key.
   * @default `/security-assistant/<stage>/model-api-key`, or `/<namePrefix>/model-api-key` with a namePrefix
   */
  readonly modelApiKeyParameterName?: string;
  /**
   * Drawing analyser of the processor: `offline` reads the PDF's text layer; `gemini` sends
   * the drawing to Google's Gemini API with the key in `modelApiKeyParameterName`.
   * @default 'offline'
   */
  readonly analyser?: string;
  /**
   * The Gemini model the `gemini` analyser calls.
   * @default 'gemini-2.5-flash'
   */
  readonly modelName?: string;
  /**
   * Tag prefixes the `offline` analyser reads, beyond its own (D door, DC door contact, CR
   * card reader, EB exit button, CAM camera, ML magnetic lock, ES electric strike, PIR
   * motion sensor, IC intercom): prefix (1-5 capital letters) → component type (snake_case),
   * e.g. `{ ACR: 'card_reader', GB: 'glass_break' }`. An entry for one of its own prefixes
   * overrides it; a legend printed on a drawing overrides both for that drawing.
   * @default - the analyser's own prefixes only
   */
  readonly tagVocabulary?: { [prefix: string]: string };
  /**
   * Run the functions with `--enable-source-maps` (the maps are published apart from the
   * Lambda assets; this only helps where they are installed next to the bundles).
   * @default true in dev, false in staging and prod
   */
  readonly sourceMaps?: boolean;
  /**
   * An installed `@security-assistant/layer-common` package folder to deploy as the layer.
   * It must satisfy the range the embedded handler bundles were built against.
   * @default - the copy installed in the app (found from the working directory), else the
   * copy embedded in this package
   */
  readonly layerCommonDirectory?: string;
  /**
   * Create the account's API Gateway CloudWatch role (`AWS::ApiGateway::Account`), which
   * execution logging needs. It is an account-wide singleton: enable it in one stack per
   * account and region only.
   * @default false
   */
  readonly apiGatewayCloudWatchRole?: boolean;
  /**
   * `minimal`: alarms on function error rates, API 5xx and dead letters; `full`: the whole
   * catalogue (throttles, latency, queue age and depth, processor duration, table throttles).
   * @default 'minimal' in dev, 'full' in staging and prod
   */
  readonly alarmLevel?: string;
  /**
   * Monthly cost budget of the environment in USD; AWS Budgets notifies the alerts topic at
   * 80 % and 100 % of it, and when the forecast exceeds it. It counts costs tagged
   * `Environment=<stage>`: activate that cost allocation tag in the account.
   * @default 50 in dev, 200 in staging, 1000 in prod
   */
  readonly monthlyBudgetUsd?: number;
  /**
   * Cost Anomaly Detection with a subscription that notifies the alerts topic. It watches the
   * stage's own cost: a CUSTOM monitor over the `Environment=<stage>` cost allocation tag
   * (activate the tag; `npx projen preflight:<stage>` checks it), or the monitor in
   * `costAnomalyMonitorArn`. It never creates a DIMENSIONAL monitor: an account holds one per
   * dimension, and most already have AWS's default services monitor.
   * @default true in prod, false otherwise
   */
  readonly costAnomalyDetection?: boolean;
  /**
   * An existing Cost Anomaly Detection monitor (for example the account's services monitor)
   * to subscribe the alerts topic to, instead of creating one.
   * @default - a CUSTOM monitor over the stage's `Environment` tag
   */
  readonly costAnomalyMonitorArn?: string;
  /**
   * Most processor invocations the SQS event source runs at once (2..1000): the bound on
   * model calls in flight, and what the processor can take from the account's concurrency.
   * @default 2 in dev, 5 in staging, 10 in prod
   */
  readonly processorMaxConcurrency?: number;
  /**
   * After traffic shifts to a new version of process-drawing, the processor or status, the
   * post-traffic hook runs a synthetic job end to end (a one-page drawing, client
   * `synthetic`, one model call) and rolls back when it fails. Turn it off where the model
   * key is not set up yet or model calls must not be spent on deployments.
   * @default true
   */
  readonly syntheticJob?: boolean;
  /**
   * The API's callers: each a team or integration with its own API key and usage plan (rate,
   * burst, daily quota), optionally limited to some clients; each sees only its own jobs.
   * Adding or removing one is a deploy; see the README for rotating a key.
   * @default - one caller, `default` (the platform's single key), which also reads jobs
   * created before jobs had owners
   */
  readonly callers?: ApiCaller[];
  /**
   * How callers authenticate: `apiKey`, or `iam` (SigV4 from the callers' `principalArns`,
   * for callers inside AWS). Ownership works the same either way.
   * @default 'apiKey'
   */
  readonly authorization?: string;
  /**
   * An AWS WAF web ACL on the API stage: a rate-based rule per IP, AWS managed rule groups,
   * a body-size rule from `maxUploadBytes`; shown on the operations dashboard.
   * @default true in prod, false in dev and staging
   */
  readonly waf?: boolean;
  /**
   * Requests one IP address may make in 5 minutes before the WAF blocks it (10..2 000 000 000).
   * @default 1000
   */
  readonly wafRateLimit?: number;
  /**
   * Email addresses subscribed to the alerts, warnings and deployments topics.
   * @default - none: subscribe the topics (`monitoring.*Topic`) yourself
   */
  readonly notificationEmails?: string[];
  /**
   * Deliver the alerts, warnings and deployments topics to Slack.
   * @default - no Slack delivery
   */
  readonly slack?: SlackDelivery;
}

/** How the platform's notifications reach Slack: AWS Chatbot, or a webhook. */
export interface SlackDelivery {
  /**
   * The Slack workspace (team) id AWS Chatbot is authorized for; with `channelId`.
   * @default - no Chatbot channel
   */
  readonly workspaceId?: string;
  /**
   * The Slack channel id AWS Chatbot posts to; with `workspaceId`.
   * @default - no Chatbot channel
   */
  readonly channelId?: string;
  /**
   * Instead of Chatbot: the name of an SSM SecureString holding a Slack incoming-webhook URL.
   * A small notifier function subscribed to the topics posts each notification to it.
   * @default - no webhook
   */
  readonly webhookUrlParameterName?: string;
}

/** Properties of {@link PlatformService}. */
export interface PlatformServiceProps extends PlatformServiceOptions {
  /** The stateful part the functions work on, in this stack or another of the same environment. */
  readonly data: IPlatformData;
}

/** The traffic-bearing functions, by name. */
const FUNCTION_NAMES = ['process-drawing', 'status', 'health', 'processor', 'dlq-processor'];

/** What differs between the functions; the rest is shared. */
type FunctionSpec = Pick<
  PlatformFunctionProps,
  'description' | 'environment' | 'memorySize' | 'timeout' | 'provisionedConcurrency'
>;

/** The functions behind the REST API. */
const API_FUNCTIONS = ['process-drawing', 'status', 'health'];
/** The functions a job passes through: their post-traffic hooks run a synthetic job. */
const JOB_PATH = ['process-drawing', 'processor', 'status'];
/** p99 latency the API functions are held to, in milliseconds (the API latency alarm's). */
const API_P99_LIMIT_MS = 2000;

const DEFAULT_MAX_UPLOAD_BYTES = 4 * 1024 * 1024;
const DEFAULT_MAX_DRAWING_BYTES = 100 * 1024 * 1024;

/**
 * The stateless part of the Security Assistant Platform: the shared layer, five functions
 * published behind `live` aliases and deployed gradually through CodeDeploy with validation
 * hooks, and the REST API. It deploys the handler bundles embedded in this package and the
 * layer of `@security-assistant/layer-common`.
 *
 * @example
 * new PlatformService(serviceStack, 'Service', { stage: 'staging', data });
 */
export class PlatformService extends Construct {
  /** The stage this service serves. */
  public readonly stage: string;
  /** The REST API. */
  public readonly api: apigateway.RestApi;
  /** The first caller's API key; none under IAM authorization. */
  public readonly apiKey?: apigateway.IApiKey;
  /** Every caller's API key, by caller name (empty under IAM authorization). */
  public readonly apiKeys: { [caller: string]: apigateway.IApiKey };
  /** The shared layer built from `@security-assistant/layer-common`. */
  public readonly layer: lambda.LayerVersion;
  /** The version of `@security-assistant/layer-common` the layer holds. */
  public readonly layerVersion: string;
  /** The functions, by name (`process-drawing`, `status`, `health`, `processor`, `dlq-processor`). */
  public readonly functions: { [name: string]: lambda.Function };
  /** The `live` alias of every function, by name. */
  public readonly aliases: { [name: string]: lambda.Alias };
  /** The CodeDeploy deployment group of every function, by name. */
  public readonly deploymentGroups: { [name: string]: codedeploy.LambdaDeploymentGroup };
  /** Alarms, dashboards, saved queries, cost guards and deployment notifications. */
  public readonly monitoring: PlatformMonitoring;

  constructor(scope: Construct, id: string, props: PlatformServiceProps) {
    super(scope, id);
    const { stage, preset, namePrefix } = validateBaseProps(props);
    validateServiceProps(props);
    const data = props.data;
    const name = (suffix: string) => `${namePrefix}-${suffix}`;
    const removalPolicy = props.removalPolicy ?? preset.removalPolicy;
    const logRetention = props.logRetention ?? preset.logRetention;
    const processorTimeout = props.processorTimeout ?? preset.processorTimeout;
    const sourceMaps = props.sourceMaps ?? preset.sourceMaps;
    this.stage = stage;
    tagPlatform(this, stage);

    const layerSource = resolveLayer(props.layerCommonDirectory);
    this.layerVersion = layerSource.version;
    this.layer = new lambda.LayerVersion(this, 'CommonLayer', {
      layerVersionName: name('common'),
      description: `${LAYER_PACKAGE}@${layerSource.version}`,
      code: lambda.Code.fromAsset(layerSource.layerDir),
      compatibleArchitectures: [lambda.Architecture.ARM_64],
      compatibleRuntimes: [PlatformFunction.RUNTIME],
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });

    const modelApiKey = ssm.StringParameter.fromSecureStringParameterAttributes(
      this,
      'ModelApiKey',
      {
        parameterName:
          props.modelApiKeyParameterName ??
          (props.namePrefix
            ? `/${namePrefix}/model-api-key`
            : `/security-assistant/${stage}/model-api-key`),
      },
    );
    const env = {
      STAGE: stage,
      SERVICE_VERSION: functionsVersion(),
      TABLE_NAME: data.table.tableName,
      BUCKET_NAME: data.bucket.bucketName,
      QUEUE_URL: data.queue.queueUrl,
      ALERT_TOPIC_ARN: data.alertTopic.topicArn,
      MODEL_API_KEY_PARAMETER: modelApiKey.parameterName,
      MAX_UPLOAD_BYTES: String(props.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES),
      MAX_DRAWING_BYTES: String(props.maxDrawingSizeBytes ?? DEFAULT_MAX_DRAWING_BYTES),
      ANALYSER: props.analyser ?? 'offline',
      MODEL_NAME: props.modelName ?? 'gemini-2.5-flash',
      TAG_VOCABULARY: JSON.stringify(props.tagVocabulary ?? {}),
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
    const specs: Record<string, FunctionSpec> = {
      'process-drawing': {
        ...apiSettings,
        description:
          'POST /process-drawing and POST /uploads: takes a drawing in and queues its job',
        environment: pick(
          'TABLE_NAME',
          'BUCKET_NAME',
          'QUEUE_URL',
          'MAX_UPLOAD_BYTES',
          'MAX_DRAWING_BYTES',
        ),
      },
      status: {
        ...apiSettings,
        description: 'GET /status/{job_id} and GET /jobs: reports jobs and presigns results',
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
          'MODEL_NAME',
          'TAG_VOCABULARY',
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
    const fns: Record<string, PlatformFunction> = {};
    for (const fnName of FUNCTION_NAMES) {
      fns[fnName] = new PlatformFunction(this, pascal(fnName), {
        ...specs[fnName],
        functionName: name(fnName),
        code: lambda.Code.fromAsset(functionAsset(fnName)),
        layer: this.layer,
        logRetention,
        removalPolicy,
        sourceMaps,
        alias: true,
      });
    }

    // Least privilege, one role per function.
    data.grantCreateJob(fns['process-drawing'].role);
    data.grantWriteDrawings(fns['process-drawing'].role);
    data.queue.grantSendMessages(fns['process-drawing'].role);
    data.grantReadJob(fns.status.role);
    data.grantReadResults(fns.status.role);
    data.grantListJobs(fns.status.role);
    data.grantUploads(fns['process-drawing'].role);
    data.grantUpdateJob(fns.processor.role);
    data.grantProcessJobs(fns.processor.role);
    data.queue.grantSendMessages(fns.processor.role);
    iam.Grant.addToPrincipal({
      grantee: fns.processor.role,
      actions: ['ssm:GetParameter'],
      resourceArns: [modelApiKey.parameterArn],
    });
    data.grantUpdateJob(fns['dlq-processor'].role);
    data.grantPublishAlerts(fns['dlq-processor'].role);

    const alias = (fnName: string) => fns[fnName].alias!;
    alias('processor').addEventSource(
      new lambdaEventSources.SqsEventSource(data.queue, {
        batchSize: 1,
        reportBatchItemFailures: true,
        maxConcurrency: props.processorMaxConcurrency ?? preset.processorMaxConcurrency,
      }),
    );
    alias('dlq-processor').addEventSource(
      new lambdaEventSources.SqsEventSource(data.deadLetterQueue, {
        batchSize: 1,
        reportBatchItemFailures: true,
        // dead letters are rare; two at a time (the least SQS allows) is plenty
        maxConcurrency: 2,
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
      cloudWatchRole: props.apiGatewayCloudWatchRole ?? false,
      callers: props.callers,
      authorization: props.authorization,
    });
    this.api = platformApi.api;
    this.apiKey = platformApi.apiKey;
    this.apiKeys = platformApi.apiKeys;
    // the API functions tell callers apart by the key ids (or principals) of CALLERS
    for (const fnName of ['process-drawing', 'status']) {
      fns[fnName].function.addEnvironment('CALLERS', platformApi.callersConfig);
    }
    const waf =
      (props.waf ?? preset.waf)
        ? new PlatformWaf(this, 'Waf', {
            name: name('api-waf'),
            api: this.api,
            rateLimitPer5Minutes: props.wafRateLimit ?? 1000,
            maxBodyBytes: props.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
          })
        : undefined;
    if (!waf) {
      acknowledge(
        this.api,
        'AwsSolutions-APIG3',
        'This stage runs without the WAF web ACL (waf: false); the usage plans throttle every key.',
      );
    }

    const application = new codedeploy.LambdaApplication(this, 'DeploymentApplication', {
      applicationName: name('functions'),
    });
    this.monitoring = new PlatformMonitoring(this, 'Monitoring', {
      stage,
      namePrefix,
      release: functionsVersion(),
      functions: mapValues(fns, (f) => f.function),
      processorTimeout,
      api: this.api,
      queue: data.queue,
      deadLetterQueue: data.deadLetterQueue,
      table: data.table,
      alertTopic: data.alertTopic,
      warningsTopic: data.warningsTopic,
      deploymentsTopic: data.deploymentsTopic,
      logGroups: Object.values(fns).map((f) => f.logGroup),
      deploymentApplication: application,
      alarmLevel: props.alarmLevel ?? preset.alarmLevel,
      monthlyBudgetUsd: props.monthlyBudgetUsd ?? preset.monthlyBudgetUsd,
      costAnomalyDetection: props.costAnomalyDetection ?? preset.costAnomalyDetection,
      costAnomalyMonitorArn: props.costAnomalyMonitorArn,
      notificationEmails: props.notificationEmails,
    });
    if (waf) this.monitoring.operationsDashboard.addWidgets(waf.widget());
    if (props.slack) {
      this.deliverToSlack(
        props.slack,
        [data.alertTopic, data.warningsTopic, data.deploymentsTopic],
        {
          name,
          layer: this.layer,
          logRetention,
          removalPolicy,
          environment: { STAGE: stage, SERVICE_VERSION: functionsVersion() },
        },
      );
    }
    // Besides the new version's error rate, the API functions roll back on API 5xx and the
    // processor on dead letters.
    const rollbackAlarms: Record<string, cloudwatch.IAlarm[]> = {
      'process-drawing': [this.monitoring.apiErrorsAlarm],
      status: [this.monitoring.apiErrorsAlarm],
      health: [this.monitoring.apiErrorsAlarm],
      processor: [this.monitoring.deadLettersAlarm],
    };
    const runsSyntheticJob = (fnName: string) =>
      (props.syntheticJob ?? true) && JOB_PATH.includes(fnName);
    const preTraffic = lambda.Code.fromAsset(hookAsset('pre-traffic'));
    const postTraffic = lambda.Code.fromAsset(hookAsset('post-traffic'));
    const groups: Record<string, codedeploy.LambdaDeploymentGroup> = {};
    for (const fnName of FUNCTION_NAMES) {
      const deployment = new GradualDeployment(this, `${pascal(fnName)}Deployment`, {
        application,
        deploymentGroupName: name(fnName),
        alias: alias(fnName),
        deploymentConfig: props.deploymentConfig ?? preset.deploymentConfig,
        rollbackAlarms: rollbackAlarms[fnName],
        // the post-traffic hook's latency limit: the API's, else 80 % of the timeout
        maxP99DurationMs: API_FUNCTIONS.includes(fnName)
          ? API_P99_LIMIT_MS
          : Math.round(specs[fnName].timeout.toMilliseconds() * 0.8),
        preTrafficCode: preTraffic,
        postTrafficCode: postTraffic,
        // The functions a job passes through also prove, after the shift, that a job does.
        syntheticJob: runsSyntheticJob(fnName)
          ? {
              submitAliasArn: aliasArnOf(alias('process-drawing')),
              statusAliasArn: aliasArnOf(alias('status')),
            }
          : undefined,
        layer: this.layer,
        logRetention,
        removalPolicy,
        sourceMaps,
        hookEnvironment: {
          STAGE: stage,
          SERVICE_VERSION: hooksVersion(),
          TABLE_NAME: data.table.tableName,
          BUCKET_NAME: data.bucket.bucketName,
          QUEUE_URL: data.queue.queueUrl,
        },
      });
      if (deployment.postTrafficHook && runsSyntheticJob(fnName)) {
        data.grantRemoveJobs(deployment.postTrafficHook.role);
      }
      const hookRole = deployment.preTrafficHook.role;
      data.grantDescribeTable(hookRole);
      data.grantHeadBucket(hookRole);
      iam.Grant.addToPrincipal({
        grantee: hookRole,
        actions: ['sqs:GetQueueAttributes'],
        resourceArns: [data.queue.queueArn],
      });
      groups[fnName] = deployment.deploymentGroup;
    }

    this.functions = mapValues(fns, (f) => f.function);
    this.aliases = mapValues(fns, (f) => f.alias!);
    this.deploymentGroups = groups;
  }

  /** AWS Chatbot on the topics, or a notifier function posting them to a webhook. */
  private deliverToSlack(
    slack: SlackDelivery,
    topics: sns.ITopic[],
    fn: {
      name: (suffix: string) => string;
      layer: lambda.ILayerVersion;
      logRetention: logs.RetentionDays;
      removalPolicy: RemovalPolicy;
      environment: Record<string, string>;
    },
  ): void {
    const unique = [...new Set(topics)];
    if (slack.workspaceId && slack.channelId) {
      new chatbot.SlackChannelConfiguration(this, 'SlackChannel', {
        slackChannelConfigurationName: fn.name('notifications'),
        slackWorkspaceId: slack.workspaceId,
        slackChannelId: slack.channelId,
        notificationTopics: unique,
        loggingLevel: chatbot.LoggingLevel.ERROR,
      });
      return;
    }
    const parameter = ssm.StringParameter.fromSecureStringParameterAttributes(
      this,
      'SlackWebhook',
      {
        parameterName: slack.webhookUrlParameterName!,
      },
    );
    const notifier = new PlatformFunction(this, 'Notifier', {
      functionName: fn.name('notifier'),
      description: 'Posts the alerts, warnings and deployments topics to a Slack webhook',
      code: lambda.Code.fromAsset(functionAsset('notifier')),
      layer: fn.layer,
      memorySize: 256,
      timeout: Duration.seconds(30),
      logRetention: fn.logRetention,
      removalPolicy: fn.removalPolicy,
      environment: { ...fn.environment, SLACK_WEBHOOK_PARAMETER: parameter.parameterName },
    });
    iam.Grant.addToPrincipal({
      grantee: notifier.role,
      actions: ['ssm:GetParameter'],
      resourceArns: [parameter.parameterArn],
    });
    // Explicit subscriptions: the topics' construct ids are alike ("Topic"), which the L2
    // LambdaSubscription would name its subscriptions after.
    unique.forEach((topic, i) => {
      notifier.function.addPermission(`FromTopic${i}`, {
        principal: new iam.ServicePrincipal('sns.amazonaws.com'),
        sourceArn: topic.topicArn,
      });
      new sns.Subscription(this, `SlackNotifierSubscription${i}`, {
        topic,
        protocol: sns.SubscriptionProtocol.LAMBDA,
        endpoint: notifier.function.functionArn,
      });
    });
  }
}

/** `dlq-processor` → `DlqProcessor`: construct ids are PascalCase. */
function pascal(kebab: string): string {
  return kebab.replace(/(^|-)([a-z])/g, (_, _dash: string, letter: string) => letter.toUpperCase());
}

function mapValues<A, B>(record: Record<string, A>, f: (value: A) => B): Record<string, B> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));
}
