import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { PROCESSING_STAGES } from '@security-assistant/layer-common';
import {
  createTestPlatform,
  emptyPlatform,
  getJob,
  lambdaContext,
  loadHandler,
  receiveOne,
  sqsEventOf,
  type TestPlatform,
} from '../support/aws';
import { emfLinesOf } from '../support/emf';
import type { ApiHandler } from '../support/http';
import { submitDrawing, type SqsHandler } from '../support/jobs';
import {
  componentsAnswer,
  errorAnswer,
  startModelStandIn,
  type ModelStandIn,
} from '../support/model-stand-in';
import { drawingPdf } from '../support/pdfs';

const KEY = 'gemini-test-key';
const ssm = new SSMClient({});

let platform: TestPlatform;
let submit: ApiHandler;
let standIn: ModelStandIn | undefined;

beforeAll(async () => {
  platform = await createTestPlatform();
  submit = loadHandler('../../src/process-drawing/handler', platform.env);
  await ssm.send(
    new PutParameterCommand({
      Name: platform.env.MODEL_API_KEY_PARAMETER,
      Type: 'SecureString',
      Value: KEY,
      Overwrite: true,
    }),
  );
});

afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
  await emptyPlatform(platform);
});

/** Submits a drawing and receives its message from the real queue (a real receipt handle). */
async function queuedJob(clientName = 'Acme Security') {
  const { jobId, event } = await submitDrawing(
    submit,
    platform,
    await drawingPdf([['DOOR D-1']]),
    clientName,
  );
  // submitDrawing drained the message; put the job back on the queue and receive it for real
  const { SQSClient, SendMessageCommand } = await import('@aws-sdk/client-sqs');
  await new SQSClient({}).send(
    new SendMessageCommand({ QueueUrl: platform.queueUrl, MessageBody: event.Records[0].body }),
  );
  const message = await receiveOne(platform.queueUrl, 30);
  return { jobId, event: sqsEventOf(message!) };
}

const visibleNow = async () => (await receiveOne(platform.queueUrl, 0)) !== undefined;

describe('fast retries', () => {
  test('a transient failure comes back after RETRY_DELAYS_SECONDS, not the visibility timeout', async () => {
    const processor = loadHandler<SqsHandler>('../../src/processor/handler', {
      ...platform.env,
      TEST_FAULT_CLIENT_NAME: 'Flaky',
      RETRY_DELAYS_SECONDS: '2,60',
    });
    delete process.env.TEST_FAULT_CLIENT_NAME;
    delete process.env.RETRY_DELAYS_SECONDS;
    const { event } = await queuedJob('Flaky');

    const response = await processor(event, lambdaContext());

    expect(response.batchItemFailures).toHaveLength(1);
    // hidden for the first delay (2 s), not the 30 s the receive set …
    expect(await visibleNow()).toBe(false);
    await new Promise((r) => setTimeout(r, 2500));
    // … then back
    expect(await visibleNow()).toBe(true);
  });
});

describe('the gemini analyser in the processor', () => {
  function geminiProcessor(extra: Record<string, string> = {}) {
    const processor = loadHandler<SqsHandler>('../../src/processor/handler', {
      ...platform.env,
      ANALYSER: 'gemini',
      MODEL_NAME: 'gemini-test-model',
      GEMINI_BASE_URL: standIn!.baseUrl,
      ...extra,
    });
    for (const name of ['ANALYSER', 'MODEL_NAME', 'GEMINI_BASE_URL', ...Object.keys(extra)]) {
      delete process.env[name];
    }
    return processor;
  }

  test('completes the job with exactly the model’s components after a 429 and a 503, with the key from SSM', async () => {
    standIn = await startModelStandIn([
      errorAnswer(429, { headers: { 'retry-after': '1' } }),
      errorAnswer(503, { headers: { 'retry-after': '0' } }),
      componentsAnswer(
        [
          { type: 'camera', label: 'CAM-7', page: 1, confidence: 0.8 },
          { type: 'door', label: 'D-9', page: 1, confidence: 0.95 },
        ],
        { promptTokenCount: 2000, candidatesTokenCount: 120 },
      ),
    ]);
    const processor = geminiProcessor();
    const { jobId, event } = await queuedJob();
    const { result: response, emf } = await emfLinesOf(() => processor(event, lambdaContext()));

    expect(response).toEqual({ batchItemFailures: [] });
    // the tokens, the job and its stages are reported as EMF metrics
    expect(emf).toContainEqual(
      expect.objectContaining({
        stage: 'dev',
        ModelInputTokens: 2000,
        ModelOutputTokens: 120,
        JobsCompleted: 1,
        JobDuration: expect.any(Number),
      }),
    );
    // a duration for each processing stage, by stage
    const stages = emf.filter((l) => 'StageDuration' in l).map((l) => l.processing_stage);
    expect(stages.sort()).toEqual([...PROCESSING_STAGES].sort());
    const job = await getJob(platform.tableName, jobId);
    expect(job).toMatchObject({
      status: 'completed',
      result: {
        total_components: 2,
        counts_by_type: { camera: 1, door: 1 },
        model_usage: { model: 'gemini-test-model', input_tokens: 2000, output_tokens: 120 },
      },
    });
    expect(standIn.requests).toHaveLength(3);
    expect(standIn.requests.every((r) => r.headers['x-goog-api-key'] === KEY)).toBe(true);
    expect(standIn.requests[0].path).toBe('/v1beta/models/gemini-test-model:generateContent');
    expect(standIn.requests[1].at - standIn.requests[0].at).toBeGreaterThanOrEqual(1000);
  });

  test('a wait longer than it may spend goes back to the queue with the model’s delay', async () => {
    standIn = await startModelStandIn([errorAnswer(429, { headers: { 'retry-after': '120' } })]);
    const processor = geminiProcessor();
    const { jobId, event } = await queuedJob();

    const response = await processor(event, lambdaContext());

    expect(response.batchItemFailures).toHaveLength(1);
    expect(await getJob(platform.tableName, jobId)).toMatchObject({
      status: 'processing',
      stages_completed: ['validation', 'pdf_processing'],
    });
    expect(await visibleNow()).toBe(false); // hidden for the 120 s asked, not retried at once
    expect(standIn.requests).toHaveLength(1);
  });

  test('a refused key fails the job at once with MODEL_AUTH', async () => {
    standIn = await startModelStandIn([errorAnswer(403)]);
    const processor = geminiProcessor();
    const { jobId, event } = await queuedJob();

    const response = await processor(event, lambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(await getJob(platform.tableName, jobId)).toMatchObject({
      status: 'failed',
      error: { code: 'MODEL_AUTH' },
    });
  });
});
