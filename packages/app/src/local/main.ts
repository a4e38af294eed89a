import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ApiCaller } from '@security-assistant/constructs';
import { parseFaults } from './fault-proxy';
import { startLocalPlatform } from './platform';

// Every bundled SDK client warns that SDK releases from 2027 need Node 22 (Lambda runs
// Node 24); locally that is one fact, so say it once.
const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
let sdkNodeWarningShown = false;
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  if (String(warning).startsWith('NodeVersionSupportWarning')) {
    if (sdkNodeWarningShown) return;
    sdkNodeWarningShown = true;
  }
  emitWarning(warning, ...rest);
}) as typeof process.emitWarning;

/** Printed before the JSON that tests and scripts read. */
export const READY_MARKER = 'LOCAL_PLATFORM_READY';

const USAGE = `Usage: node packages/app/lib/local/main.js [--port 3000] [--emulator-port 0] [--api-key KEY] [--analyser offline|gemini]
       [--callers team-a,team-b | --callers-file callers.json]

Runs the Security Assistant Platform on 127.0.0.1 with no AWS account: moto server with the
dev stack's table, queues, bucket, topic and parameters, the REST API and the SQS workers,
all running the real bundled handlers. Ctrl-C stops everything.

--callers names the API's callers: each gets a key of its own and sees only its own jobs.
--callers-file reads them from JSON as the construct's callers prop takes them, e.g.
[{"name":"team-a"},{"name":"integrator","clients":["Acme"]},{"name":"old","enabled":false}]
(enabled false: a revoked key, answered 403). Without either: one caller, default.

--analyser gemini sends drawings to Gemini: the key comes from GEMINI_API_KEY (the emulator's
SSM parameter is seeded with it), the endpoint from GEMINI_BASE_URL (default: Google's) and
the model from MODEL_NAME (default gemini-2.5-flash).

Environment: LOCAL_API_KEY (a fixed API key), AWS_REGION (the emulator's region),
TEST_FAULT_CLIENT_NAME / TEST_FAULT_STAGE (tests only: fail one client's jobs at a stage),
RETRY_DELAYS_SECONDS (the processor's retry delays; locally 1,1,1),
LOCAL_EMULATORS (per-service, the default: DynamoDB, SQS with SNS, and S3 each in an emulator
process of its own; single: one emulator for every service),
LOCAL_INJECT_FAULTS (e.g. dynamodb-throttle=0.05,s3-500=0.05: errors injected between the
functions and the emulator), TEST_FAULT_CRASH_RATE (tests only: the processor fails this share
of stages after their work, before their checkpoint).`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.PORT ?? '3000' },
      'emulator-port': { type: 'string', default: '0' },
      'api-key': { type: 'string', default: process.env.LOCAL_API_KEY },
      analyser: { type: 'string', default: 'offline' },
      callers: { type: 'string' },
      'callers-file': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const analyser = values.analyser;
  if (analyser !== 'offline' && analyser !== 'gemini') {
    throw new Error(`--analyser must be offline or gemini (given ${analyser})`);
  }
  const modelApiKey = process.env.GEMINI_API_KEY;
  if (analyser === 'gemini' && !modelApiKey) {
    throw new Error('--analyser gemini needs the model key in GEMINI_API_KEY');
  }
  const processorEnv = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k, v]) =>
        (k.startsWith('TEST_FAULT_') ||
          ['GEMINI_BASE_URL', 'MODEL_NAME', 'RETRY_DELAYS_SECONDS'].includes(k)) &&
        v !== undefined,
    ),
  ) as Record<string, string>;

  const platform = await startLocalPlatform({
    apiPort: Number(values.port),
    emulatorPort: Number(values['emulator-port']),
    apiKey: values['api-key'],
    callers: parseCallers(values.callers, values['callers-file']),
    analyser,
    modelApiKey,
    faults: parseFaults(process.env.LOCAL_INJECT_FAULTS),
    emulators: parseEmulators(process.env.LOCAL_EMULATORS),
    // retries a second apart rather than the deployed 10 s, 1 min, 5 min
    functionEnv: { processor: { RETRY_DELAYS_SECONDS: '1,1,1', ...processorEnv } },
  });
  const { info } = platform;

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the local platform…`);
    platform.stop().then(
      () => process.exit(0),
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  const curl = `curl -s -H "x-api-key: ${info.apiKey}"`;
  console.log(`
Security Assistant Platform is running locally (stage dev, analyser ${analyser}, AWS emulator: moto)

  API       ${info.apiUrl}  (OpenAPI document: ${info.apiUrl}/openapi.json)
  API keys  ${Object.entries(info.callers)
    .map(([name, c]) => `${name}: ${c.key}${c.enabled ? '' : ' (revoked: 403)'}`)
    .join('\n            ')}
  Emulator  ${info.awsEndpoint}  (SSM: parameters)
            ${info.endpoints.dynamodb}  (DynamoDB: table ${info.tableName})
            ${info.endpoints.sqs}  (SQS and SNS: queue, dead-letter queue, topics)
            ${info.endpoints.s3}  (S3: bucket ${info.bucketName})
  Lambda    ${info.lambdaEndpoint}  (Invoke API of the local functions, for the deploy hooks)

Submit a drawing and follow its job:

  ${curl} -F drawing_file=@plan.pdf -F client_name="Acme Security" -F project_name="HQ refit" ${info.apiUrl}/process-drawing
  ${curl} ${info.apiUrl}/status/<job_id>
  curl -s ${info.apiUrl}/health

Press Ctrl-C to stop.`);
  console.log(`${READY_MARKER} ${JSON.stringify(info)}`);
}

function parseCallers(names?: string, file?: string): ApiCaller[] | undefined {
  if (names && file) throw new Error('give --callers or --callers-file, not both');
  if (file) {
    const callers = JSON.parse(readFileSync(file, 'utf8'));
    if (!Array.isArray(callers)) throw new Error(`${file} must hold a JSON list of callers`);
    return callers;
  }
  return names
    ?.split(',')
    .map((name) => name.trim())
    .filter(Boolean)
    .map((name) => ({ name }));
}

function parseEmulators(value: string | undefined): 'per-service' | 'single' {
  if (value === undefined || value === '' || value === 'per-service') return 'per-service';
  if (value === 'single') return 'single';
  throw new Error(`LOCAL_EMULATORS must be per-service or single (given ${value})`);
}

main().catch((err) => {
  console.error(`The local platform could not start: ${(err as Error).message}`);
  process.exit(1);
});
