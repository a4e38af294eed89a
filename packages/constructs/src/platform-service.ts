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
import { PlatformApi } from './platform-api';
import { PlatformFunction, PlatformFunctionProps } from './platform-function';
import { PlatformMonitoring } from './platform-monitoring';
import { PlatformServiceProps, SlackDelivery } from './platform-service-props';
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
