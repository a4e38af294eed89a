import { RemovalPolicy } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from './private/nag';

const GATEWAY_ERROR_TEMPLATE =
  '{"error":{"code":"$context.error.responseType","message":$context.error.messageString}}';

/** Properties of the {@link PlatformApi}. */
export interface PlatformApiProps {
  /** Name of the REST API; the API key and usage plan are named after it. */
  readonly apiName: string;
  /** API Gateway stage name (the platform stage). */
  readonly stageName: string;
  /** Serves `POST /process-drawing` and `POST /uploads` (an alias, never `$LATEST`). */
  readonly processDrawing: lambda.IFunction;
  /** Serves `GET /status/{job_id}` and `GET /jobs`. */
  readonly status: lambda.IFunction;
  /** Serves `GET /health`, the only route without an API key. */
  readonly health: lambda.IFunction;
  /** Retention of the access log group. */
  readonly logRetention: logs.RetentionDays;
  /**
   * What happens to the access log group when it leaves the stack.
   * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Steady-state requests per second allowed per API key.
   * @default 50
   */
  readonly throttleRateLimit?: number;
  /**
   * Burst of requests allowed per API key.
   * @default 100
   */
  readonly throttleBurstLimit?: number;
  /**
   * Create the account-wide API Gateway CloudWatch role (`AWS::ApiGateway::Account`). It is an
   * account singleton: enable it in exactly one stack per account and region (execution
   * logging needs it), never in every platform.
   * @default false
   */
  readonly cloudWatchRole?: boolean;
}

/**
 * The REST API: X-Ray tracing, JSON access logs, request validation, binary PDF and
 * multipart uploads, and an API key with a usage plan on every route but `/health`.
 */
export class PlatformApi extends Construct {
  /** Body of every error API Gateway answers on its own; `messageString` is already quoted. */
  public static readonly GATEWAY_ERROR_TEMPLATE = GATEWAY_ERROR_TEMPLATE;

  /** The REST API. */
  public readonly api: apigateway.RestApi;
  /** The key clients send in `x-api-key`. */
  public readonly apiKey: apigateway.IApiKey;
  /** Throttles the API key. */
  public readonly usagePlan: apigateway.UsagePlan;
  /** The access log group. */
  public readonly accessLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: PlatformApiProps) {
    super(scope, id);
    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      logGroupName: `/aws/apigateway/${props.apiName}`,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    this.api = new apigateway.RestApi(this, 'Api', {
      restApiName: props.apiName,
      description: 'Security Assistant Platform: submit drawings and follow their jobs',
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      binaryMediaTypes: ['multipart/form-data', 'application/pdf'],
      cloudWatchRole: props.cloudWatchRole ?? false,
      cloudWatchRoleRemovalPolicy: props.cloudWatchRole
        ? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE
        : undefined,
      deployOptions: {
        stageName: props.stageName,
        tracingEnabled: true,
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        metricsEnabled: true,
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
      },
    });
    const validator = this.api.addRequestValidator('RequestValidator', {
      requestValidatorName: `${props.apiName}-validator`,
      validateRequestParameters: true,
      validateRequestBody: true,
    });
    const integration = (fn: lambda.IFunction) => new apigateway.LambdaIntegration(fn);

    this.api.root
      .addResource('process-drawing')
      .addMethod('POST', integration(props.processDrawing), {
        apiKeyRequired: true,
        requestValidator: validator,
        requestParameters: { 'method.request.header.Content-Type': true },
      });
    this.api.root
      .addResource('status')
      .addResource('{job_id}')
      .addMethod('GET', integration(props.status), {
        apiKeyRequired: true,
        requestValidator: validator,
        requestParameters: { 'method.request.path.job_id': true },
      });
    this.api.root.addResource('uploads').addMethod('POST', integration(props.processDrawing), {
      apiKeyRequired: true,
      requestValidator: validator,
      requestParameters: { 'method.request.header.Content-Type': true },
    });
    this.api.root.addResource('jobs').addMethod('GET', integration(props.status), {
      apiKeyRequired: true,
      requestValidator: validator,
    });
    this.api.root.addResource('health').addMethod('GET', integration(props.health), {
      apiKeyRequired: false,
      requestValidator: validator,
    });

    // Errors raised by API Gateway itself (missing or invalid API key, unknown route, failed
    // request validation, throttling, integration failure) answer in the same
    // {"error": {"code", "message"}} shape as the functions' own errors.
    for (const [responseId, type] of [
      ['Default4xx', apigateway.ResponseType.DEFAULT_4XX],
      ['Default5xx', apigateway.ResponseType.DEFAULT_5XX],
    ] as const) {
      this.api.addGatewayResponse(responseId, {
        type,
        templates: { 'application/json': GATEWAY_ERROR_TEMPLATE },
      });
    }

    this.apiKey = this.api.addApiKey('ApiKey', { apiKeyName: `${props.apiName}-key` });
    this.usagePlan = this.api.addUsagePlan('UsagePlan', {
      name: `${props.apiName}-usage-plan`,
      throttle: {
        rateLimit: props.throttleRateLimit ?? 50,
        burstLimit: props.throttleBurstLimit ?? 100,
      },
      apiStages: [{ api: this.api, stage: this.api.deploymentStage }],
    });
    this.usagePlan.addApiKey(this.apiKey);

    const acknowledgements: [string, string][] = [
      [
        'AwsSolutions-APIG4',
        'Routes are authenticated with an API key and throttled by a usage plan, as the platform specifies; /health is public on purpose for smoke tests.',
      ],
      [
        'AwsSolutions-COG4',
        'The platform authenticates clients with API keys and a usage plan, not Cognito user pools.',
      ],
      [
        'AwsSolutions-APIG3',
        'The usage plan throttles every API key; a WAF web ACL is left to the account owner (it is a per-account cost decision).',
      ],
    ];
    if (props.cloudWatchRole) {
      acknowledgements.push([
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        'API Gateway execution logging needs the account-level CloudWatch role; AmazonAPIGatewayPushToCloudWatchLogs is the AWS-maintained policy for exactly that role.',
      ]);
    }
    for (const [rule, reason] of acknowledgements) {
      acknowledge(this.api, rule, reason);
    }
  }
}
