import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { PROCESSING_STAGES } from '@security-assistant/layer-common';
import {
  createTestPlatform,
  documents,
  emptyPlatform,
  getObject,
  lambdaContext,
  loadHandler,
  setJobAttributes,
  type TestPlatform,
} from '../support/aws';
import { apiEvent, bodyOf, type ApiHandler } from '../support/http';
import { submitDrawing, type SqsHandler } from '../support/jobs';
import { drawingPdf, SAMPLE_LABELS } from '../support/pdfs';

let platform: TestPlatform;
let submit: ApiHandler;
let processor: SqsHandler;
let status: ApiHandler;
let pdf: Buffer;

beforeAll(async () => {
  platform = await createTestPlatform();
  submit = loadHandler('../../src/process-drawing/handler', platform.env);
  processor = loadHandler('../../src/processor/handler', platform.env);
  status = loadHandler('../../src/status/handler', platform.env);
  pdf = await drawingPdf(SAMPLE_LABELS);
});

afterEach(() => emptyPlatform(platform));

const getStatus = (jobId: string, apiKeyId?: string) =>
  status(
    apiEvent({
      method: 'GET',
      path: `/status/${jobId}`,
      pathParameters: { job_id: jobId },
      apiKeyId,
    }),
  );

describe('GET /status/{job_id}', () => {
  test('reports a queued job', async () => {
    const { jobId } = await submitDrawing(submit, platform, pdf);

    const response = await getStatus(jobId);

    expect(response.statusCode).toBe(200);
    const body = bodyOf(response);
    expect(body).toEqual({
      job_id: jobId,
      status: 'queued',
      client_name: 'Acme Security',
      project_name: 'HQ refit',
      created_at: expect.any(String),
      updated_at: expect.any(String),
      stages_completed: [],
      current_stage: null,
      last_checkpoint: null,
    });
  });

  test('gives a completed job its summary and a download URL that serves the result', async () => {
    // Given a processed job
    const { jobId, event } = await submitDrawing(submit, platform, pdf);
    await processor(event, lambdaContext());

    // When its status is asked for
    const response = await getStatus(jobId);

    // Then it is completed, with the summary
    expect(response.statusCode).toBe(200);
    const body = bodyOf(response);
    expect(body).toMatchObject({
      status: 'completed',
      stages_completed: [...PROCESSING_STAGES],
      current_stage: null,
      result: { total_components: 7, download_expires_in: 3600 },
    });
    expect(body.error).toBeUndefined();
    // links, never storage keys
    expect(body.result.result_key).toBeUndefined();
    expect(body.result.csv_key).toBeUndefined();

    // And the presigned URLs, valid for an hour, download exactly the stored JSON and CSV
    for (const [link, key] of [
      [body.result.download_url, `results/${jobId}/components.json`],
      [body.result.csv_download_url, `results/${jobId}/schedule.csv`],
    ]) {
      const url = new URL(link);
      expect(url.searchParams.get('X-Amz-Expires')).toBe('3600');
      const download = await fetch(url);
      expect(download.status).toBe(200);
      const stored = await getObject(platform.bucketName, key);
      expect(Buffer.from(await download.arrayBuffer()).equals(stored)).toBe(true);
    }
  });

  test('gives a failed job its error', async () => {
    const { jobId } = await submitDrawing(submit, platform, pdf);
    await setJobAttributes(platform.tableName, jobId, {
      status: 'failed',
      error: { code: 'PDF_ENCRYPTED', message: 'the drawing is encrypted' },
    });

    const body = bodyOf(await getStatus(jobId));

    expect(body).toMatchObject({
      status: 'failed',
      error: { code: 'PDF_ENCRYPTED', message: 'the drawing is encrypted' },
    });
    expect(body.result).toBeUndefined();
  });

  test("answers another caller's job exactly as one that does not exist", async () => {
    const { jobId } = await submitDrawing(submit, platform, pdf);

    const other = await getStatus(jobId, 'key-b');
    const admin = await getStatus(jobId, 'key-admin');

    expect(other.statusCode).toBe(404);
    expect(bodyOf(other)).toEqual({
      error: { code: 'JOB_NOT_FOUND', message: `job ${jobId} does not exist` },
    });
    // an admin reads only jobs from before owners existed, not other callers' jobs
    expect(admin.statusCode).toBe(404);
    expect((await getStatus(jobId)).statusCode).toBe(200);
  });

  test('a job from before owners existed is read by the admin caller and nobody else', async () => {
    const { jobId } = await submitDrawing(submit, platform, pdf);
    await documents.send(
      new UpdateCommand({
        TableName: platform.tableName,
        Key: { job_id: jobId },
        UpdateExpression: 'REMOVE #owner, submitted_by',
        ExpressionAttributeNames: { '#owner': 'owner' },
      }),
    );

    expect((await getStatus(jobId, 'key-admin')).statusCode).toBe(200);
    expect((await getStatus(jobId)).statusCode).toBe(404);
    expect((await getStatus(jobId, 'key-b')).statusCode).toBe(404);
  });

  test('answers 404 JOB_NOT_FOUND for an unknown job', async () => {
    const response = await getStatus('job_1700000000000_0123456789ab');

    expect(response.statusCode).toBe(404);
    expect(bodyOf(response)).toEqual({
      error: {
        code: 'JOB_NOT_FOUND',
        message: expect.stringContaining('job_1700000000000_0123456789ab'),
      },
    });
  });

  test.each(['nope', 'job_123_abc', "job_1700000000000_0123456789ab' OR 1=1"])(
    'answers 400 INVALID_JOB_ID for %s',
    async (jobId) => {
      const response = await getStatus(jobId);

      expect(response.statusCode).toBe(400);
      expect(bodyOf(response).error.code).toBe('INVALID_JOB_ID');
    },
  );

  // API Gateway passes path parameters through as the client sent them
  test.each(['%', '%%', '%ZZ', '%FF', '%C0%AF', '%ED%A0%80', '%E0%A4%A'])(
    'answers 400 INVALID_JOB_ID, never a 5xx, for malformed percent-encoding %s',
    async (raw) => {
      const response = await getStatus(raw);

      expect(response.statusCode).toBe(400);
      expect(bodyOf(response).error).toEqual({
        code: 'INVALID_JOB_ID',
        message: expect.stringContaining('is not a job id'),
      });
    },
  );

  test('decodes a percent-encoded job id before looking it up', async () => {
    const response = await getStatus('job%5F1700000000000_0123456789ab');

    expect(response.statusCode).toBe(404);
    expect(bodyOf(response).error.code).toBe('JOB_NOT_FOUND');
  });

  test('answers 400 INVALID_JOB_ID when the path parameter is missing', async () => {
    const response = await status(apiEvent({ method: 'GET', path: '/status/' }));

    expect(response.statusCode).toBe(400);
    expect(bodyOf(response).error.code).toBe('INVALID_JOB_ID');
  });
});
