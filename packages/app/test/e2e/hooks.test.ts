import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { startLocalPlatform, type RunningPlatform } from './support/local-platform';
import {
  componentsAnswer,
  errorAnswer,
  startModelStandIn,
  type ModelStandIn,
} from '../../../functions/test/support/model-stand-in';

jest.setTimeout(120_000);

// The pre-traffic hook's built bundle, run in a node process of its own (as Lambda would load
// it) against the local platform: it
// probes the real status handler through the platform's Lambda Invoke endpoint and checks the
// emulator's table, bucket and queue. CodeDeploy's PutLifecycleEventHookExecutionStatus, which
// moto lacks, goes to a stand-in that records the reports (or refuses them).
const PRE_TRAFFIC = resolve(__dirname, '../../../deploy-hooks/dist/pre-traffic/index.mjs');
const POST_TRAFFIC = resolve(__dirname, '../../../deploy-hooks/dist/post-traffic/index.mjs');
const ACCOUNT_ARN = 'arn:aws:lambda:us-east-1:123456789012:function';
/** Loads the hook bundle and calls it with a CodeDeploy event and a context with time left. */
const RUNNER = `
  const { handler } = await import(process.env.HOOK_BUNDLE);
  const deadline = Date.now() + Number(process.env.HOOK_REMAINING_MS);
  const event = { DeploymentId: 'd-LOCAL1', LifecycleEventHookExecutionId: process.env.HOOK_EXECUTION };
  try {
    const status = await handler(event, { getRemainingTimeInMillis: () => deadline - Date.now() });
    console.log(JSON.stringify({ status }));
  } catch (err) {
    console.log(JSON.stringify({ error: err.message }));
  }
`;

let platform: RunningPlatform;
let model: ModelStandIn;
let modelFails = false;
let codedeploy: Server;
let codedeployUrl: string;
let hanging: Server;
let hangingUrl: string;
let reports: { status: string; id: string }[] = [];
let refuse = false;
let runs = 0;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  // The model (Gemini's API, stood in) answers a door and a camera, or, when a case wants
  // the synthetic job to fail, refuses the API key.
  model = await startModelStandIn(() =>
    modelFails
      ? errorAnswer(403)
      : componentsAnswer([
          { type: 'door', label: 'SYN-D1', page: 1, confidence: 0.9 },
          { type: 'camera', label: 'SYN-CAM1', page: 1, confidence: 0.9 },
        ]),
  );
  platform = await startLocalPlatform(
    { GEMINI_API_KEY: 'hooks-test-key', GEMINI_BASE_URL: model.baseUrl },
    90_000,
    ['--analyser', 'gemini'],
  );
  codedeploy = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (refuse) {
        res.writeHead(500, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: 'InternalFailure', message: 'stand-in refuses' }));
        return;
      }
      const input = JSON.parse(body);
      reports.push({ status: input.status, id: input.lifecycleEventHookExecutionId });
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(
        JSON.stringify({ lifecycleEventHookExecutionId: input.lifecycleEventHookExecutionId }),
      );
    });
  });
  codedeployUrl = await listen(codedeploy);
  // a Lambda endpoint that takes the request and never answers: the target hangs
  hanging = createServer(() => undefined);
  hangingUrl = await listen(hanging);
});

afterAll(async () => {
  platform?.kill();
  await model?.close();
  hanging?.closeAllConnections();
  for (const server of [codedeploy, hanging]) {
    await new Promise((r) => server?.close(r));
  }
});

beforeEach(() => {
  reports = [];
  refuse = false;
  modelFails = false;
});

/**
 * Runs the hook with `remainingMs` left in its invocation; its outcome (a status, or the error
 * that failed the invocation) and how long it took.
 */
function runPreTrafficHook(
  remainingMs: number,
  env: Record<string, string> = {},
): Promise<HookRun> {
  return runHook(PRE_TRAFFIC, remainingMs, {
    TARGET_FUNCTION_VERSION_ARN: `${ACCOUNT_ARN}:security-assistant-dev-status:1`,
    ...env,
  });
}

interface HookRun {
  readonly status?: string;
  readonly error?: string;
  readonly execution: string;
  readonly ms: number;
  /** The hook's own log lines (Powertools JSON). */
  readonly logs: Record<string, any>[];
}

async function runHook(
  bundle: string,
  remainingMs: number,
  env: Record<string, string>,
): Promise<HookRun> {
  const { info } = platform;
  const execution = `exec-${++runs}`;
  const started = Date.now();
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    ['--input-type=module', '-e', RUNNER],
    {
      env: {
        PATH: process.env.PATH,
        HOOK_BUNDLE: bundle,
        HOOK_REMAINING_MS: String(remainingMs),
        HOOK_EXECUTION: execution,
        AWS_REGION: info.region,
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_ENDPOINT_URL: info.awsEndpoint,
        AWS_ENDPOINT_URL_DYNAMODB: info.endpoints.dynamodb,
        AWS_ENDPOINT_URL_SQS: info.endpoints.sqs,
        AWS_ENDPOINT_URL_S3: info.endpoints.s3,
        AWS_ENDPOINT_URL_LAMBDA: info.lambdaEndpoint,
        AWS_ENDPOINT_URL_CODEDEPLOY: codedeployUrl,
        AWS_ENDPOINT_URL_CLOUDWATCH: info.awsEndpoint,
        AWS_MAX_ATTEMPTS: '2',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        STAGE: 'dev',
        TABLE_NAME: info.tableName,
        BUCKET_NAME: info.bucketName,
        QUEUE_URL: info.queueUrl,
        ...env,
      },
    },
  );
  // the outcome is stdout's last line; the hook logs JSON to both streams (errors to stderr)
  const outcome = JSON.parse(stdout.trim().split('\n').pop()!);
  const logs = `${stdout}\n${stderr}`
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
  return { ...outcome, execution, ms: Date.now() - started, logs };
}

describe('the pre-traffic hook on the local platform', () => {
  it('probes the real status handler and the emulated resources, and reports Succeeded', async () => {
    const run = await runPreTrafficHook(60_000);

    expect(run.status).toBe('Succeeded');
    expect(reports).toEqual([{ status: 'Succeeded', id: run.execution }]);
  });

  it('reports Failed when the table is missing', async () => {
    const run = await runPreTrafficHook(60_000, {
      TABLE_NAME: 'security-assistant-dev-no-such-table',
    });

    expect(run.status).toBe('Failed');
    expect(reports).toEqual([{ status: 'Failed', id: run.execution }]);
  });

  it('reports Failed before its deadline when the target hangs', async () => {
    // 9 s left: 4 s for the checks, 5 s kept back for the report
    const run = await runPreTrafficHook(9_000, { AWS_ENDPOINT_URL_LAMBDA: hangingUrl });

    expect(run.status).toBe('Failed');
    expect(run.ms).toBeLessThan(9_000);
    expect(reports).toEqual([{ status: 'Failed', id: run.execution }]);
  });

  it('fails the invocation, so Lambda retries it, when CodeDeploy refuses the report', async () => {
    refuse = true;

    const run = await runPreTrafficHook(60_000);

    expect(run.status).toBeUndefined();
    expect(run.error).toMatch(/could not report Succeeded/);
    expect(reports).toEqual([]);
  });

  it('reports Failed when the version it is given does not exist', async () => {
    const run = await runPreTrafficHook(60_000, {
      TARGET_FUNCTION_VERSION_ARN: `${ACCOUNT_ARN}:security-assistant-dev-nothing:1`,
    });

    expect(run.status).toBe('Failed');
    expect(reports).toEqual([{ status: 'Failed', id: run.execution }]);
  });
});

describe('the post-traffic hook on the local platform', () => {
  const processorAlias = `${ACCOUNT_ARN}:security-assistant-dev-processor:live`;
  const runPostTrafficHook = (env: Record<string, string> = {}) =>
    runHook(POST_TRAFFIC, 60_000, {
      TARGET_FUNCTION_ALIAS_ARN: processorAlias,
      SYNTHETIC_SUBMIT_FUNCTION_ARN: `${ACCOUNT_ARN}:security-assistant-dev-process-drawing:live`,
      SYNTHETIC_STATUS_FUNCTION_ARN: `${ACCOUNT_ARN}:security-assistant-dev-status:live`,
      MAX_ERROR_RATE_PERCENT: '10',
      ...env,
    });
  const checkOf = (run: HookRun, name: string) =>
    run.logs.find((l) => l.check?.name === name)?.check ?? {};
  const clients = () => {
    const config = {
      region: platform.info.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    };
    return {
      dynamodb: new DynamoDBClient({ ...config, endpoint: platform.info.endpoints.dynamodb }),
      s3: new S3Client({ ...config, endpoint: platform.info.endpoints.s3, forcePathStyle: true }),
      cloudwatch: new CloudWatchClient({ ...config, endpoint: platform.info.awsEndpoint }),
    };
  };
  /** What the platform still holds of synthetic jobs: records, and objects under a job id. */
  async function syntheticLeftovers(jobId: string): Promise<string[]> {
    const { dynamodb, s3 } = clients();
    const { Items = [] } = await dynamodb.send(
      new ScanCommand({ TableName: platform.info.tableName }),
    );
    const { Contents = [] } = await s3.send(
      new ListObjectsV2Command({ Bucket: platform.info.bucketName }),
    );
    return [
      ...Items.filter((i) => i.job_id.S === jobId).map((i) => `record ${i.job_id.S}`),
      ...Contents.filter((c) => c.Key!.includes(jobId)).map((c) => `object ${c.Key}`),
    ];
  }
  const jobIdIn = (text: string) => /synthetic job (\S+)/.exec(text)?.[1] ?? 'none';

  it('runs a synthetic job through the real handlers, removes its data, and reports Succeeded', async () => {
    const run = await runPostTrafficHook();

    expect(run.status).toBe('Succeeded');
    expect(reports).toEqual([{ status: 'Succeeded', id: run.execution }]);
    const synthetic = checkOf(run, 'synthetic-job');
    expect(synthetic.note).toMatch(
      /completed in .* s with 2 components; removed its record and \d+ objects/,
    );
    // no calls to the processor's version 1 in the emulator's CloudWatch: nothing to judge
    expect(checkOf(run, 'new-version-metrics').note).toMatch(
      /version 1 of .*: no calls, nothing to judge/,
    );
    expect(await syntheticLeftovers(jobIdIn(synthetic.note))).toEqual([]);
  });

  it('reports Failed when the synthetic job fails, and still removes its data', async () => {
    modelFails = true;

    const run = await runPostTrafficHook();

    expect(run.status).toBe('Failed');
    expect(reports).toEqual([{ status: 'Failed', id: run.execution }]);
    const synthetic = checkOf(run, 'synthetic-job');
    expect(synthetic.error).toMatch(/synthetic job \S+ failed after .* s: MODEL_AUTH: /);
    expect(await syntheticLeftovers(jobIdIn(synthetic.error))).toEqual([]);
  });

  it('reports Failed when the new version failed too many calls over the bake time', async () => {
    // the processor's version 1, as the alias metrics name it: 3 of 10 calls failed a minute ago
    const { cloudwatch } = clients();
    const minuteAgo = new Date(Date.now() - 60_000);
    const dimensions = [
      { Name: 'FunctionName', Value: 'security-assistant-dev-processor' },
      { Name: 'Resource', Value: 'security-assistant-dev-processor:live' },
      { Name: 'ExecutedVersion', Value: '1' },
    ];
    await cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: 'AWS/Lambda',
        MetricData: [
          { MetricName: 'Invocations', Dimensions: dimensions, Value: 10, Timestamp: minuteAgo },
          { MetricName: 'Errors', Dimensions: dimensions, Value: 3, Timestamp: minuteAgo },
        ],
      }),
    );

    const run = await runPostTrafficHook();

    expect(run.status).toBe('Failed');
    expect(checkOf(run, 'new-version-metrics').error).toMatch(
      /version 1 of security-assistant-dev-processor, last 10 min: 30.0 % of 10 calls failed \(limit 10 %\)/,
    );
    // the synthetic job itself still passed
    expect(checkOf(run, 'synthetic-job').note).toMatch(/completed/);
  });
});
