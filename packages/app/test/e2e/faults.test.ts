import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { Api } from './support/api';
import { drawingPdf } from './support/drawings';
import { startLocalPlatform, type RunningPlatform } from './support/local-platform';
import {
  componentsAnswer,
  errorAnswer,
  startModelStandIn,
  type ModelStandIn,
} from '../../../functions/test/support/model-stand-in';

/**
 * Nothing lost, nothing half-made: 1 000 jobs at concurrency 50 through the local platform
 * with DynamoDB throttling and S3 500s injected between the functions and the emulator, a
 * model that answers 429 and 503, a processor that crashes after a stage's work and before
 * its checkpoint, and duplicate deliveries. Every accepted job must end completed or failed
 * with a code; none may be stuck or lost, and a duplicate must change nothing.
 */
const JOBS = Number(process.env.FAULT_TEST_JOBS ?? 1000);
const CONCURRENCY = 50;
const STAGES = ['validation', 'pdf_processing', 'drawing_analysis', 'result_generation'];

jest.setTimeout(900_000);

let standIn: ModelStandIn;
let platform: RunningPlatform;
let sqs: SQSClient;
let dynamodb: DynamoDBClient;

beforeAll(async () => {
  // Deterministic chaos: every 7th call is a 429, every 11th a 503, the rest answer.
  standIn = await startModelStandIn((call) =>
    call % 7 === 3
      ? errorAnswer(429, { headers: { 'retry-after': '1' } })
      : call % 11 === 5
        ? errorAnswer(503)
        : componentsAnswer([
            { type: 'door', label: 'D-1', page: 1, confidence: 0.9 },
            { type: 'camera', label: 'CAM-1', page: 1, confidence: 0.8 },
          ]),
  );
  platform = await startLocalPlatform(
    {
      GEMINI_API_KEY: 'fault-test-key',
      GEMINI_BASE_URL: standIn.baseUrl,
      LOCAL_INJECT_FAULTS: 'dynamodb-throttle=0.03,s3-500=0.03',
      TEST_FAULT_CRASH_RATE: '0.05',
    },
    90_000,
    ['--analyser', 'gemini'],
  );
  const config = {
    endpoint: platform.info.awsEndpoint,
    region: platform.info.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  sqs = new SQSClient({ ...config, endpoint: platform.info.endpoints.sqs });
  dynamodb = new DynamoDBClient({ ...config, endpoint: platform.info.endpoints.dynamodb });
});

afterAll(async () => {
  platform?.kill();
  await standIn?.close();
  sqs?.destroy();
  dynamodb?.destroy();
});

async function allJobs(): Promise<Record<string, any>[]> {
  const items: Record<string, any>[] = [];
  let startKey: Record<string, any> | undefined;
  do {
    const page = await dynamodb.send(
      new ScanCommand({ TableName: platform.info.tableName, ExclusiveStartKey: startKey }),
    );
    items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

async function depth(queueUrl: string): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes?.ApproximateNumberOfMessages) +
    Number(Attributes?.ApproximateNumberOfMessagesNotVisible)
  );
}

test(`${JOBS} jobs under injected faults: every one completed or failed with a code, none lost or stuck`, async () => {
  const api = new Api(platform.info);
  const pdf = await drawingPdf(['DOOR D-1', 'CAMERA CAM-1']);
  const accepted: string[] = [];
  const refusals: Record<string, number> = {};
  const started = Date.now();

  // Submit at concurrency 50; a client retries a 5xx, as the API asks it to.
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < JOBS) {
        const n = next++;
        for (let attempt = 1; attempt <= 5; attempt++) {
          const res = await api.submit({ pdf, clientName: 'e2e-faults', projectName: `p${n}` });
          if (res.status === 202) {
            accepted.push(res.body.job_id);
            break;
          }
          const key = `${res.status} ${res.body?.error?.code}`;
          refusals[key] = (refusals[key] ?? 0) + 1;
          expect(res.status).toBeGreaterThanOrEqual(500); // nothing here is the client's fault
        }
      }
    }),
  );
  // Every 10th job is delivered twice.
  const duplicated = accepted.filter((_, i) => i % 10 === 0);
  for (const jobId of duplicated) {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: platform.info.queueUrl,
        MessageBody: JSON.stringify({ job_id: jobId }),
      }),
    );
  }

  // Wait for every job to finish and both queues to drain: a message left in flight (in
  // moto, a deleted message brought back by a concurrent delete) would come back in 30 min.
  let jobs: Record<string, any>[] = [];
  let left = { queue: 0, deadLetterQueue: 0 };
  const deadline = Date.now() + 600_000;
  for (;;) {
    // the queues are cheap to ask; the table is scanned only once they look drained
    left = {
      queue: await depth(platform.info.queueUrl),
      deadLetterQueue: await depth(platform.info.deadLetterQueueUrl),
    };
    const drained = left.queue + left.deadLetterQueue === 0;
    if (drained || Date.now() > deadline) {
      jobs = await allJobs();
      const open = jobs.filter((j) => !['completed', 'failed'].includes(j.status)).length;
      if ((drained && open === 0) || Date.now() > deadline) break;
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
  const seconds = (Date.now() - started) / 1000;

  const byId = new Map(jobs.map((j) => [j.job_id, j]));
  const lost = accepted.filter((id) => !byId.has(id));
  const stuck = jobs.filter((j) => !['completed', 'failed'].includes(j.status));
  const failed = jobs.filter((j) => j.status === 'failed');
  const codes: Record<string, number> = {};
  for (const j of failed) {
    codes[j.error?.code ?? 'NONE'] = (codes[j.error?.code ?? 'NONE'] ?? 0) + 1;
  }
  const calls = standIn.requests.filter((r) => r.path.includes(':generateContent')).length;
  console.log(
    [
      `${accepted.length} jobs accepted (${JOBS} asked; refusals retried: ${JSON.stringify(refusals)})`,
      `${jobs.length - failed.length} completed, ${failed.length} failed ${JSON.stringify(codes)}`,
      `${duplicated.length} duplicate deliveries; ${calls} model calls; ${seconds.toFixed(0)} s`,
    ].join('\n'),
  );

  expect(lost).toEqual([]);
  expect(stuck.map((j) => j.job_id)).toEqual([]);
  expect(left).toEqual({ queue: 0, deadLetterQueue: 0 });
  // no job exists that was not accepted (a refused submission left nothing behind)
  const acceptedIds = new Set(accepted);
  const unexpected = jobs.filter((j) => !acceptedIds.has(j.job_id));
  expect(unexpected.map((j) => `${j.job_id} ${j.status} ${j.project_name}`)).toEqual([]);
  expect(jobs).toHaveLength(accepted.length);
  // a failed job says why
  expect(failed.filter((j) => !j.error?.code || !j.error?.message)).toEqual([]);
  // completed jobs ran each stage exactly once and hold exactly the model's components;
  // duplicates changed nothing
  for (const job of jobs.filter((j) => j.status === 'completed')) {
    expect(job.stages_completed).toEqual(STAGES);
    expect(job.result).toMatchObject({
      total_components: 2,
      counts_by_type: { door: 1, camera: 1 },
    });
  }
  // the faults did happen, and most jobs still completed
  const crashes = platform.logs.filter((l: any) =>
    /crash injected/.test(String(l.error?.message ?? '')),
  ).length;
  await platform.stop(15_000);
  const injected: any = platform.logs.find((l) => l.message === 'faults injected');
  console.log(`injected: ${JSON.stringify(injected)}; ${crashes} processor crashes`);
  expect(injected.dynamodb_throttles).toBeGreaterThan(0);
  expect(injected.s3_errors).toBeGreaterThan(0);
  expect(crashes).toBeGreaterThan(0);
  expect(calls).toBeGreaterThan(accepted.length); // 429s and 503s were retried
  expect(failed.length).toBeLessThan(accepted.length * 0.1);
});
