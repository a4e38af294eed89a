import { isJobId } from '@security-assistant/layer-common';
import {
  createTestPlatform,
  drain,
  emptyPlatform,
  getJob,
  getObject,
  listKeys,
  loadHandler,
  scanJobs,
  type TestPlatform,
} from '../support/aws';
import { emfLinesOf } from '../support/emf';
import { apiEvent, bodyOf, multipart, type ApiHandler, type Part } from '../support/http';
import { drawingPdf } from '../support/pdfs';

const MAX_UPLOAD_BYTES = 64 * 1024;

let platform: TestPlatform;
let handler: ApiHandler;
let pdf: Buffer;

beforeAll(async () => {
  platform = await createTestPlatform();
  handler = loadHandler('../../src/process-drawing/handler', {
    ...platform.env,
    MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
  });
  pdf = await drawingPdf([['DOOR D-101']]);
});

afterEach(() => emptyPlatform(platform));

const validParts = (): Part[] => [
  { name: 'client_name', value: 'Acme Security' },
  { name: 'project_name', value: 'HQ refit' },
  {
    name: 'drawing_file',
    value: pdf,
    filename: '../Level 1 plan.pdf',
    contentType: 'application/pdf',
  },
];

function post(parts: Part[], contentType?: string, apiKeyId?: string | null) {
  const form = multipart(parts);
  return handler(
    apiEvent({
      method: 'POST',
      path: '/process-drawing',
      apiKeyId,
      headers: { 'Content-Type': contentType ?? form.contentType },
      body: form.body,
    }),
  );
}

async function expectNothingWritten(): Promise<void> {
  expect(await scanJobs(platform.tableName)).toEqual([]);
  expect(await listKeys(platform.bucketName)).toEqual([]);
  expect(await drain(platform.queueUrl)).toEqual([]);
}

describe('POST /process-drawing', () => {
  test('stores the drawing, records the job as queued and queues it', async () => {
    // When a valid drawing is submitted
    const { result: response, emf } = await emfLinesOf(() => post(validParts()));

    // Then the job is accepted
    expect(response.statusCode).toBe(202);
    const { job_id: jobId, status } = bodyOf(response);
    expect(status).toBe('queued');
    expect(isJobId(jobId)).toBe(true);

    // And the drawing is stored under the job with a safe name
    const drawingKey = `drawings/${jobId}/Level_1_plan.pdf`;
    expect((await getObject(platform.bucketName, drawingKey)).equals(pdf)).toBe(true);

    // And the job item is queued, with a 30-day expiry
    const job = await getJob(platform.tableName, jobId);
    expect(job).toMatchObject({
      job_id: jobId,
      status: 'queued',
      client_name: 'Acme Security',
      project_name: 'HQ refit',
      drawing_key: drawingKey,
      stages_completed: [],
      // owned by the caller whose key API Gateway found
      owner: 'team-a',
      submitted_by: 'apikey:key-a',
    });
    expect(job!.created_at).toBe(job!.updated_at);
    const ttlDays = (job!.expires_at - Date.parse(job!.created_at) / 1000) / 86_400;
    expect(Math.round(ttlDays)).toBe(30);

    // And exactly one message names it
    const messages = await drain(platform.queueUrl);
    expect(messages.map((m) => JSON.parse(m.Body!))).toEqual([{ job_id: jobId }]);

    // And the job is counted as submitted
    expect(emf).toEqual([expect.objectContaining({ stage: 'dev', JobsSubmitted: 1 })]);
  });

  test('stores an optional context file next to the drawing', async () => {
    const response = await post([
      ...validParts(),
      { name: 'context_file', value: 'door schedule notes', filename: 'notes.txt' },
    ]);

    expect(response.statusCode).toBe(202);
    const { job_id: jobId } = bodyOf(response);
    expect(await listKeys(platform.bucketName, `drawings/${jobId}/`)).toEqual([
      `drawings/${jobId}/Level_1_plan.pdf`,
      `drawings/${jobId}/context/notes.txt`,
    ]);
  });

  test('gives concurrent submissions distinct job ids', async () => {
    const responses = await Promise.all(Array.from({ length: 10 }, () => post(validParts())));

    const ids = responses.map((r) => bodyOf(r).job_id);
    expect(responses.every((r) => r.statusCode === 202)).toBe(true);
    expect(new Set(ids).size).toBe(10);
    expect((await scanJobs(platform.tableName)).length).toBe(10);
  });

  describe('rejects bad input with a 4xx and writes nothing', () => {
    test.each([
      ['drawing_file', 'drawing_file'],
      ['client_name', 'client_name'],
      ['project_name', 'project_name'],
    ])('missing %s → 400 MISSING_FIELD naming it', async (field, named) => {
      const response = await post(validParts().filter((p) => p.name !== field));

      expect(response.statusCode).toBe(400);
      expect(bodyOf(response).error.code).toBe('MISSING_FIELD');
      expect(bodyOf(response).error.message).toContain(named);
      await expectNothingWritten();
    });

    test('a caller limited to some clients submitting for another → 403 CLIENT_NOT_ALLOWED', async () => {
      const response = await post(validParts(), undefined, 'key-b');

      expect(response.statusCode).toBe(403);
      expect(bodyOf(response).error).toEqual({
        code: 'CLIENT_NOT_ALLOWED',
        message: 'caller team-b may not submit for client "Acme Security"',
      });
      await expectNothingWritten();
    });

    test.each([['key-unknown'], [null]])(
      'a key (%s) or request no caller owns → 403 CALLER_UNKNOWN',
      async (apiKeyId) => {
        const response = await post(validParts(), undefined, apiKeyId);

        expect(response.statusCode).toBe(403);
        expect(bodyOf(response).error.code).toBe('CALLER_UNKNOWN');
        await expectNothingWritten();
      },
    );

    test('a blank client name → 400 MISSING_FIELD', async () => {
      const parts = validParts().map((p) =>
        p.name === 'client_name' ? { ...p, value: '   ' } : p,
      );

      const response = await post(parts);

      expect(response.statusCode).toBe(400);
      expect(bodyOf(response).error.code).toBe('MISSING_FIELD');
      await expectNothingWritten();
    });

    test('a file that is not a PDF → 415 NOT_A_PDF', async () => {
      const parts = validParts().map((p) =>
        p.name === 'drawing_file' ? { ...p, value: Buffer.from('PK\u0003\u0004 zip archive') } : p,
      );

      const response = await post(parts);

      expect(response.statusCode).toBe(415);
      expect(bodyOf(response)).toEqual({
        error: { code: 'NOT_A_PDF', message: expect.stringContaining('PDF') },
      });
      await expectNothingWritten();
    });

    test('a body over MAX_UPLOAD_BYTES → 413 PAYLOAD_TOO_LARGE', async () => {
      const parts = validParts().map((p) =>
        p.name === 'drawing_file'
          ? { ...p, value: Buffer.concat([pdf, Buffer.alloc(MAX_UPLOAD_BYTES)]) }
          : p,
      );

      const response = await post(parts);

      expect(response.statusCode).toBe(413);
      expect(bodyOf(response).error.code).toBe('PAYLOAD_TOO_LARGE');
      expect(bodyOf(response).error.message).toContain(String(MAX_UPLOAD_BYTES));
      await expectNothingWritten();
    });

    test.each([['multipart/form-data'], ['text/plain; boundary=x'], ['application/pdf']])(
      'content type %s → 415 UNSUPPORTED_MEDIA_TYPE',
      async (contentType) => {
        const response = await post(validParts(), contentType);

        expect(response.statusCode).toBe(415);
        expect(bodyOf(response).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
        await expectNothingWritten();
      },
    );

    test('no content type and no body → 415 UNSUPPORTED_MEDIA_TYPE', async () => {
      const response = await handler(apiEvent({ method: 'POST', path: '/process-drawing' }));

      expect(response.statusCode).toBe(415);
      await expectNothingWritten();
    });

    test('a body that is not valid multipart → 400 INVALID_MULTIPART', async () => {
      const response = await handler(
        apiEvent({
          method: 'POST',
          path: '/process-drawing',
          headers: { 'content-type': 'multipart/form-data; boundary=abc' },
          body: Buffer.from(
            '--abc\r\nContent-Disposition: form-data; name="client_name"\r\n\r\nAcme',
          ),
        }),
      );

      expect(response.statusCode).toBe(400);
      expect(bodyOf(response).error.code).toBe('INVALID_MULTIPART');
      await expectNothingWritten();
    });
  });

  test('answers 503 and keeps nothing when the queue is unavailable', async () => {
    // Given a handler whose queue does not exist
    const broken = loadHandler<ApiHandler>('../../src/process-drawing/handler', {
      ...platform.env,
      QUEUE_URL: `${platform.queueUrl}-missing`,
    });
    const form = multipart(validParts());

    // When a valid drawing is submitted
    const response = await broken(
      apiEvent({
        method: 'POST',
        path: '/process-drawing',
        headers: { 'content-type': form.contentType },
        body: form.body,
      }),
    );

    // Then the caller is told to retry, and neither the job nor its drawing remains
    expect(response.statusCode).toBe(503);
    expect(bodyOf(response).error.code).toBe('QUEUE_UNAVAILABLE');
    await expectNothingWritten();
  });
});
