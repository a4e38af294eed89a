import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { ApiCaller } from '@security-assistant/constructs';
import { ApiServer } from './api-server';
import { resourcesOfType, type CfnTemplate, type Resolver } from './cfn';
import {
  clientConfig,
  createEmulatorResources,
  EMULATOR_CREDENTIALS,
  EMULATOR_PROCESSES,
  SEPARATE_SERVICES,
  type SeparateService,
} from './emulator-resources';
import { SqsEventSource } from './event-source';
import { startFaultProxy, type FaultProxy, type InjectedFaults } from './fault-proxy';
import { functionBehind, loadFunctions } from './functions';
import { LambdaInvokeServer } from './lambda-server';
import { synthesizeLocalTemplate } from './template';

// tools/moto-server.cjs is shared with the jest setup of the handler packages.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startMotoServer } = require('../../../../tools/moto-server.cjs') as {
  startMotoServer(options?: { port?: number }): Promise<{ url: string; stop(): Promise<void> }>;
};

export interface LocalPlatformOptions {
  /** API port on 127.0.0.1; 0 picks a free one. */
  readonly apiPort: number;
  /** Emulator port on 127.0.0.1; 0 picks a free one. */
  readonly emulatorPort?: number;
  /** The first caller's key (clients send it in `x-api-key`); random when not given. */
  readonly apiKey?: string;
  /**
   * The API's callers, as the construct's `callers` prop: each gets a key of its own.
   * @default - the construct's default: one caller, `default`
   */
  readonly callers?: ApiCaller[];
  /** Region the emulator pretends to be in. */
  readonly region?: string;
  /** Pollers per event source mapping. */
  readonly concurrency?: number;
  /** Extra environment per function name (e.g. the processor's test-only fault settings). */
  readonly functionEnv?: Record<string, Record<string, string>>;
  /** The processor's analyser, as the construct's `analyser` prop. @default 'offline' */
  readonly analyser?: 'offline' | 'gemini';
  /** What the emulator's model key parameter holds (`GEMINI_API_KEY` for gemini). */
  readonly modelApiKey?: string;
  /** Errors injected between the functions and the emulator (`LOCAL_INJECT_FAULTS`). */
  readonly faults?: InjectedFaults;
  /**
   * `per-service`: DynamoDB, SQS and S3 each in an emulator process of their own, reached
   * through the SDK's per-service endpoint variables (`AWS_ENDPOINT_URL_<SERVICE>`); `single`:
   * one emulator for everything, as a single `AWS_ENDPOINT_URL` (`LOCAL_EMULATORS`).
   * @default 'per-service'
   */
  readonly emulators?: 'per-service' | 'single';
}

/** What a client of the running platform needs; printed on the READY line. */
export interface LocalPlatformInfo {
  readonly apiUrl: string;
  /** The first enabled caller's key. */
  readonly apiKey: string;
  /** Every caller's key, by caller name (revoked ones included: they get 403). */
  readonly callers: Record<string, { key: string; enabled: boolean }>;
  /** The emulator of SNS, SSM and every service without a process of its own. */
  readonly awsEndpoint: string;
  /** The emulators of DynamoDB, SQS, SNS and S3 (each the awsEndpoint with `single` emulators). */
  readonly endpoints: Record<SeparateService, string>;
  /** Lambda's Invoke API for the local functions (the deploy hooks' target). */
  readonly lambdaEndpoint: string;
  readonly region: string;
  readonly tableName: string;
  readonly bucketName: string;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
  readonly alertTopicArn: string;
}

export interface LocalPlatform {
  readonly info: LocalPlatformInfo;
  stop(): Promise<void>;
}

/**
 * Starts the whole platform on 127.0.0.1: moto server with the resources the construct
 * defines for `dev`, the REST API, and the SQS event sources, all running the real bundled
 * handlers in this process.
 */
export async function startLocalPlatform(options: LocalPlatformOptions): Promise<LocalPlatform> {
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const template = synthesizeLocalTemplate({
    analyser: options.analyser,
    callers: options.callers,
  });
  // DynamoDB, SQS with SNS, and S3 each in an emulator process of their own, so the Python
  // interpreter lock of one does not serialize every call (figures: bench/README.md).
  const separate = (options.emulators ?? 'per-service') === 'per-service' ? EMULATOR_PROCESSES : [];
  const [moto, ...own] = await Promise.all([
    startMotoServer({ port: options.emulatorPort }),
    ...separate.map(() => startMotoServer()),
  ]);
  const services: Partial<Record<SeparateService, string>> = Object.fromEntries(
    separate.flatMap((served, i) => served.map((s) => [s, own[i].url])),
  );
  const endpoints = Object.fromEntries(
    SEPARATE_SERVICES.map((s) => [s, services[s] ?? moto.url]),
  ) as Record<SeparateService, string>;
  const sources: SqsEventSource[] = [];
  let api: ApiServer | undefined;
  let lambdaServer: LambdaInvokeServer | undefined;
  let proxy: FaultProxy | undefined;
  // Workers first (all at once, so none polls a stopped emulator), then the API, then moto.
  const stop = async () => {
    await Promise.all(sources.map((s) => s.stop()));
    await api?.close();
    await lambdaServer?.close();
    if (proxy) {
      // one structured line, as the functions log, so tests and operators can count them
      const { dynamodbThrottle, s3Error } = proxy.injected;
      console.log(
        JSON.stringify({
          level: 'INFO',
          service: 'local-fault-proxy',
          message: 'faults injected',
          dynamodb_throttles: dynamodbThrottle,
          s3_errors: s3Error,
        }),
      );
      await proxy.close();
    }
    await Promise.all([moto, ...own].map((m) => m.stop()));
  };
  try {
    const emulator = { endpoint: moto.url, services, region };
    const resolver = await createEmulatorResources(template, emulator, options.modelApiKey);
    // the functions reach the emulator through the fault proxy when faults are asked for
    proxy = options.faults
      ? await startFaultProxy({ default: moto.url, ...services }, options.faults)
      : undefined;
    const functions = await loadFunctions(
      template,
      resolver,
      {
        AWS_ENDPOINT_URL: proxy?.url ?? moto.url,
        // the SDK's service-specific endpoint variables
        ...Object.fromEntries(
          SEPARATE_SERVICES.map((s) => [
            `AWS_ENDPOINT_URL_${s.toUpperCase()}`,
            // SQS goes straight to its emulator: no SQS faults are injected, and the SDK sends
            // SQS calls to the queue URL's host anyway (warning on every call otherwise)
            s === 'sqs' ? endpoints[s] : (proxy?.url ?? endpoints[s]),
          ]),
        ),
        AWS_REGION: region,
        AWS_DEFAULT_REGION: region,
        AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
      },
      options.functionEnv,
    );

    const keys = callerKeys(template, resolver, options.apiKey);
    const apiKeys = new Map(keys.map(({ key, keyId, enabled }) => [key, { keyId, enabled }]));
    const apiKey = keys.find((k) => k.enabled)?.key ?? '';
    api = new ApiServer({
      template,
      resolver,
      functions,
      apiKeys,
      port: options.apiPort,
      // the API's OpenAPI document, as the construct package ships it
      openApi: readFileSync(require.resolve('@security-assistant/constructs/openapi.json'), 'utf8'),
    });
    const apiUrl = await api.listen();
    lambdaServer = new LambdaInvokeServer(functions);
    const lambdaEndpoint = await lambdaServer.listen();

    const sqs = new SQSClient(clientConfig(emulator, 'sqs'));
    const queueFeeding = new Map<string, string>();
    for (const [id, props] of resourcesOfType(template, 'AWS::Lambda::EventSourceMapping')) {
      const fn = functionBehind(template, resolver, functions, props.FunctionName);
      const [queueId] = resolver.references(props.EventSourceArn);
      if (!fn || template.Resources[queueId]?.Type !== 'AWS::SQS::Queue') {
        throw new Error(`event source mapping ${id} is not an SQS queue feeding a known function`);
      }
      const source = new SqsEventSource({
        sqs,
        queueUrl: resolver.resolve({ Ref: queueId }),
        queueArn: resolver.resolve(props.EventSourceArn),
        region,
        fn,
        batchSize: Number(props.BatchSize ?? 10),
        reportBatchItemFailures: (props.FunctionResponseTypes ?? []).includes(
          'ReportBatchItemFailures',
        ),
        concurrency: options.concurrency ?? 4,
      });
      source.start();
      queueFeeding.set(fn.name, resolver.resolve({ Ref: queueId }));
      sources.push(source);
    }

    // Name the resources as the functions see them, so the info cannot point elsewhere.
    const setting = (name: string) => {
      const value = [...functions.values()].map((f) => f.environment[name]).find(Boolean);
      if (!value) throw new Error(`no function of the template is given ${name}`);
      return value;
    };
    const info: LocalPlatformInfo = {
      apiUrl,
      apiKey,
      // a caller rotating its key (two versions) shows its newest
      callers: Object.fromEntries(
        keys.map(({ caller, key, enabled }) => [caller, { key, enabled }]),
      ),
      awsEndpoint: moto.url,
      endpoints,
      lambdaEndpoint,
      region,
      tableName: setting('TABLE_NAME'),
      bucketName: setting('BUCKET_NAME'),
      queueUrl: setting('QUEUE_URL'),
      deadLetterQueueUrl: queueFeeding.get('dlq-processor') ?? '',
      alertTopicArn: setting('ALERT_TOPIC_ARN'),
    };
    return { info, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * A value for every API key of the template (the first one `apiKey` when given, else random),
 * with its caller (from the key's description) and the id the functions know it by: its Ref,
 * as CALLERS has it.
 */
function callerKeys(
  template: CfnTemplate,
  resolver: Resolver,
  apiKey: string | undefined,
): Array<{ caller: string; key: string; keyId: string; enabled: boolean }> {
  return resourcesOfType(template, 'AWS::ApiGateway::ApiKey').map(([logicalId, props], i) => ({
    caller: /caller (\S+)$/.exec(String(props.Description ?? ''))?.[1] ?? logicalId,
    key: (i === 0 ? apiKey : undefined) ?? randomBytes(20).toString('hex'),
    keyId: resolver.resolve({ Ref: logicalId }),
    enabled: props.Enabled !== false,
  }));
}
