import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ROUTES, type Integration } from './private/api-contract';
import { gatewaySchema } from './private/gateway-schema';
import { acknowledge } from './private/nag';

const GATEWAY_ERROR_TEMPLATE =
  '{"error":{"code":"$context.error.responseType","message":$context.error.messageString}}';

/**
 * A named consumer of the API: a team or an integration. Each has its own API key in its own
 * usage plan, and sees only the jobs it created.
 */
export interface ApiCaller {
  /** Lower-case letters, digits and dashes, at most 40; names the key and the usage plan. */
  readonly name: string;
  /**
   * The client names it may submit drawings for (403 CLIENT_NOT_ALLOWED otherwise).
   * @default - any client
   */
  readonly clients?: string[];
  /**
   * Steady-state requests per second of its key.
   * @default 50
   */
  readonly rateLimit?: number;
  /**
   * Burst of requests of its key.
   * @default 100
   */
  readonly burstLimit?: number;
  /**
   * Requests its key may make per day.
   * @default - no quota
   */
  readonly quotaPerDay?: number;
  /**
   * Under `authorization: 'iam'`: the IAM users or roles that act as this caller (an assumed
   * role's sessions are its role). Not used with API keys.
   * @default - none
   */
  readonly principalArns?: string[];
  /**
   * Reads the jobs created before jobs had owners (nobody else can).
   * @default false
   */
  readonly admin?: boolean;
  /**
   * The versions of its key that exist, to rotate it without a gap: deploy `[1, 2]` (a new
   * key, both work), hand the new one over, then deploy `[2]` (the old one is deleted). Its
   * jobs stay its own throughout: they belong to the caller, not the key.
   * @default [1]
   */
  readonly keyVersions?: number[];
  /**
   * Whether its key is accepted; false revokes it (API Gateway answers 403) and keeps its
   * jobs for when it is enabled again.
   * @default true
   */
  readonly enabled?: boolean;
}

/** The caller when none are configured: the single key the platform always had. */
const DEFAULT_CALLER: ApiCaller = { name: 'default', admin: true };

/** The post-traffic hook's synthetic job: a caller of its own, never reachable by a key. */
const SYNTHETIC_CALLER = {
  name: 'synthetic',
  keyIds: ['synthetic-job'],
  clients: ['synthetic'],
};

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
   * The API's callers, each with its own key and usage plan (or IAM principals).
   * @default - one caller, `default`, which also reads jobs from before owners existed
   */
  readonly callers?: ApiCaller[];
  /**
   * How callers authenticate: `apiKey` (a key per caller in `x-api-key`) or `iam` (SigV4
   * signed requests from the callers' `principalArns`, for callers inside AWS).
   * @default 'apiKey'
   */
  readonly authorization?: string;
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
 * multipart uploads, and on every route but `/health` a key and usage plan per caller (or
 * IAM authorization).
 */
export class PlatformApi extends Construct {
  /** Body of every error API Gateway answers on its own; `messageString` is already quoted. */
  public static readonly GATEWAY_ERROR_TEMPLATE = GATEWAY_ERROR_TEMPLATE;

  /** The REST API. */
  public readonly api: apigateway.RestApi;
  /** The first caller's key (clients send it in `x-api-key`); none under IAM authorization. */
  public readonly apiKey?: apigateway.IApiKey;
  /** The first caller's usage plan; none under IAM authorization. */
  public readonly usagePlan?: apigateway.UsagePlan;
  /** Every caller's key, by caller name (empty under IAM authorization). */
  public readonly apiKeys: { [caller: string]: apigateway.IApiKey } = {};
  /**
   * What the API functions know of the callers (their `CALLERS` environment): names, key ids,
   * principals, clients; the synthetic job's caller included.
   */
  public readonly callersConfig: string;
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
    // Parameters are checked here (a missing Content-Type never reaches a function); bodies
    // are checked by the functions, whose codes name the field (MISSING_FIELD, INVALID_UPLOAD_ID)
    // where API Gateway would say BAD_REQUEST_BODY. The models describe them (docs/decisions/0015).
    const validator = this.api.addRequestValidator('RequestValidator', {
      requestValidatorName: `${props.apiName}-validator`,
      validateRequestParameters: true,
      validateRequestBody: false,
    });
    const functions: Record<Integration, lambda.IFunction> = {
      processDrawing: props.processDrawing,
      status: props.status,
      health: props.health,
    };
    const iam = props.authorization === 'iam';
    const secured = iam
      ? { authorizationType: apigateway.AuthorizationType.IAM }
      : { apiKeyRequired: true };
    const models = new Map<string, apigateway.IModel>();
    for (const route of ROUTES) {
      const requestModels: Record<string, apigateway.IModel> = {};
      for (const [contentType, { model, schema }] of Object.entries(route.body ?? {})) {
        if (!model) continue;
        if (!models.has(model)) {
          models.set(
            model,
            this.api.addModel(`${model}Model`, {
              contentType,
              modelName: model,
              schema: { schema: apigateway.JsonSchemaVersion.DRAFT4, ...gatewaySchema(schema) },
            }),
          );
        }
        requestModels[contentType] = models.get(model)!;
      }
      const integration = new apigateway.LambdaIntegration(functions[route.integration]);
      const parameters = route.parameters.map((p) => [
        `method.request.${p.in === 'query' ? 'querystring' : p.in}.${p.name}`,
        p.required,
      ]);
      this.api.root.resourceForPath(route.path).addMethod(route.method, integration, {
        ...(route.authenticated ? secured : { apiKeyRequired: false }),
        operationName: route.operationId,
        requestValidator: validator,
        ...(parameters.length && { requestParameters: Object.fromEntries(parameters) }),
        ...(Object.keys(requestModels).length && { requestModels }),
      });
    }

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

    const callers = props.callers?.length ? props.callers : [DEFAULT_CALLER];
    const keyIds: Record<string, string[]> = {};
    for (const caller of iam ? [] : callers) {
      // the default caller keeps the ids and names of the platform's one key: no new key value
      const legacy = caller.name === DEFAULT_CALLER.name;
      const suffix = legacy ? '' : `-${caller.name}`;
      const idSuffix = legacy ? '' : pascal(caller.name);
      const plan = this.api.addUsagePlan(`UsagePlan${idSuffix}`, {
        name: `${props.apiName}${suffix}-usage-plan`,
        throttle: { rateLimit: caller.rateLimit ?? 50, burstLimit: caller.burstLimit ?? 100 },
        quota: caller.quotaPerDay
          ? { limit: caller.quotaPerDay, period: apigateway.Period.DAY }
          : undefined,
        apiStages: [{ api: this.api, stage: this.api.deploymentStage }],
      });
      // Keys of their own, not bound to the stage (the usage plan binds them): the functions
      // read their ids, and the stage depends on the functions. Version 1 keeps the id and
      // name the caller's key always had; a rotation adds the next version, then drops the old.
      const keys = (caller.keyVersions ?? [1]).map((version) => {
        const v = version === 1 ? '' : `V${version}`;
        const key = new apigateway.ApiKey(this.api, `ApiKey${idSuffix}${v}`, {
          apiKeyName: `${props.apiName}${suffix}-key${v ? `-v${version}` : ''}`,
          description: `Security Assistant API caller ${caller.name}`,
          enabled: caller.enabled ?? true,
        });
        plan.addApiKey(key);
        return key;
      });
      const key = keys[keys.length - 1];
      this.apiKeys[caller.name] = key;
      keyIds[caller.name] = keys.map((k) => k.keyId);
      this.apiKey ??= key;
      this.usagePlan ??= plan;
    }
    this.callersConfig = Stack.of(this).toJsonString([
      ...callers.map((c) => ({
        name: c.name,
        ...(iam ? { principals: c.principalArns ?? [] } : { keyIds: keyIds[c.name] }),
        ...(c.clients ? { clients: c.clients } : {}),
        ...(c.admin ? { admin: true } : {}),
      })),
      SYNTHETIC_CALLER,
    ]);

    const acknowledgements: [string, string][] = [
      [
        'AwsSolutions-APIG4',
        'Routes are authenticated with a key per caller (or IAM), as the platform specifies; /health is public on purpose for smoke tests.',
      ],
      [
        'AwsSolutions-APIG2',
        "API Gateway validates every route's required parameters; JSON bodies are validated by the functions before anything is written, which answer with the failing field's code (MISSING_FIELD, INVALID_UPLOAD_ID) where model validation would answer a generic BAD_REQUEST_BODY. The request models describe the bodies (docs/decisions/0015).",
      ],
      [
        'AwsSolutions-COG4',
        'The platform authenticates callers with API keys in usage plans, or IAM, not Cognito user pools.',
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

/** `team-a` → `TeamA`, for construct ids. */
function pascal(name: string): string {
  return name.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}
