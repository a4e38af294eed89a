import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { startLocalPlatform, type RunningPlatform } from './support/local-platform';

jest.setTimeout(120_000);

// The pre-traffic hook's built bundle, run in a node process of its own (as Lambda would load
// it) against the local platform: it
// probes the real status handler through the platform's Lambda Invoke endpoint and checks the
// emulator's table, bucket and queue. CodeDeploy's PutLifecycleEventHookExecutionStatus, which
// moto lacks, goes to a stand-in that records the reports (or refuses them).
const PRE_TRAFFIC = resolve(__dirname, '../../../deploy-hooks/dist/pre-traffic/index.mjs');
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
  platform = await startLocalPlatform({});
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
  hanging?.closeAllConnections();
  for (const server of [codedeploy, hanging]) {
    await new Promise((r) => server?.close(r));
  }
});

beforeEach(() => {
  reports = [];
  refuse = false;
});

/**
 * Runs the hook with `remainingMs` left in its invocation; its outcome (a status, or the error
 * that failed the invocation) and how long it took.
 */
async function runPreTrafficHook(
  remainingMs: number,
  env: Record<string, string> = {},
): Promise<{ status?: string; error?: string; execution: string; ms: number }> {
  const { info } = platform;
  const execution = `exec-${++runs}`;
  const started = Date.now();
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--input-type=module', '-e', RUNNER],
    {
      env: {
        PATH: process.env.PATH,
        HOOK_BUNDLE: PRE_TRAFFIC,
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
        AWS_MAX_ATTEMPTS: '2',
        POWERTOOLS_LOG_LEVEL: 'SILENT',
        STAGE: 'dev',
        TABLE_NAME: info.tableName,
        BUCKET_NAME: info.bucketName,
        QUEUE_URL: info.queueUrl,
        TARGET_FUNCTION_VERSION_ARN: `${ACCOUNT_ARN}:security-assistant-dev-status:1`,
        ...env,
      },
    },
  );
  return { ...JSON.parse(stdout.trim().split('\n').pop()!), execution, ms: Date.now() - started };
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
