import { parseArgs } from 'node:util';
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

const USAGE = `Usage: node packages/app/lib/local/main.js [--port 3000] [--emulator-port 0] [--api-key KEY]

Runs the Security Assistant Platform on 127.0.0.1 with no AWS account: moto server with the
dev stack's table, queues, bucket, topic and parameters, the REST API and the SQS workers,
all running the real bundled handlers. Ctrl-C stops everything.

Environment: LOCAL_API_KEY (a fixed API key), AWS_REGION (the emulator's region),
TEST_FAULT_CLIENT_NAME / TEST_FAULT_STAGE (tests only: fail one client's jobs at a stage).`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.PORT ?? '3000' },
      'emulator-port': { type: 'string', default: '0' },
      'api-key': { type: 'string', default: process.env.LOCAL_API_KEY },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const faultEnv = Object.fromEntries(
    Object.entries(process.env).filter(([k, v]) => k.startsWith('TEST_FAULT_') && v !== undefined),
  ) as Record<string, string>;

  const platform = await startLocalPlatform({
    apiPort: Number(values.port),
    emulatorPort: Number(values['emulator-port']),
    apiKey: values['api-key'],
    functionEnv: { processor: faultEnv },
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
Security Assistant Platform is running locally (stage dev, AWS emulator: moto)

  API       ${info.apiUrl}
  API key   ${info.apiKey}
  Emulator  ${info.awsEndpoint}  (table ${info.tableName}, bucket ${info.bucketName})

Submit a drawing and follow its job:

  ${curl} -F drawing_file=@plan.pdf -F client_name="Acme Security" -F project_name="HQ refit" ${info.apiUrl}/process-drawing
  ${curl} ${info.apiUrl}/status/<job_id>
  curl -s ${info.apiUrl}/health

Press Ctrl-C to stop.`);
  console.log(`${READY_MARKER} ${JSON.stringify(info)}`);
}

main().catch((err) => {
  console.error(`The local platform could not start: ${(err as Error).message}`);
  process.exit(1);
});
