import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import { ApiCaller } from './platform-api';
import { IPlatformData, PlatformBaseProps } from './platform-data';

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

/** Properties of the `PlatformService`. */
export interface PlatformServiceProps extends PlatformServiceOptions {
  /** The stateful part the functions work on, in this stack or another of the same environment. */
  readonly data: IPlatformData;
}
