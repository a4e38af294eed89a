import { randomBytes } from 'node:crypto';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  createTestPlatform,
  drain,
  emptyPlatform,
  getJob,
  getObject,
  listKeys,
  loadHandler,
  s3,
  scanJobs,
  type TestPlatform,
} from '../support/aws';
import { apiEvent, bodyOf, type ApiHandler } from '../support/http';
import { drawingPdf } from '../support/pdfs';

const MAX_DRAWING_BYTES = 10 * 1024 * 1024;

let platform: TestPlatform;
let handler: ApiHandler;

beforeAll(async () => {
  platform = await createTestPlatform();
  handler = loadHandler('../../src/process-drawing/handler', {
    ...platform.env,
    MAX_DRAWING_BYTES: String(MAX_DRAWING_BYTES),
  });
});

afterEach(() => emptyPlatform(platform));

function postJson(
  path: string,
  body: unknown,
  contentType = 'application/json',
  apiKeyId?: string,
) {
  return handler(
    apiEvent({
      method: 'POST',
      path,
      apiKeyId,
      headers: { 'Content-Type': contentType },
      body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
    }),
  );
}

/** A valid drawing padded to about `bytes` with an unreferenced, uncompressed stream. */
async function largeDrawing(bytes: number): Promise<Buffer> {
  const pdf = await drawingPdf([['DOOR D-801', 'CAMERA CAM-81']]);
  const text = pdf.toString('latin1');
  const at = text.lastIndexOf('xref');
  const padding = `999 0 obj\n<< /Length ${bytes} >>\nstream\n`;
  // appended as an incremental section, so the original cross-reference stays valid
  return Buffer.concat([
    pdf,
    Buffer.from(padding),
    randomBytes(bytes),
    Buffer.from(`\nendstream\nendobj\n% ${at}\n%%EOF\n`),
  ]);
}

async function upload(pdf: Buffer, filename = 'Big plan.pdf'): Promise<string> {
  const created = await postJson('/uploads', {
    filename,
    content_type: 'application/pdf',
    size_bytes: pdf.length,
  });
  expect(created.statusCode).toBe(201);
  const { upload_id: uploadId, upload_url: url, headers, method } = bodyOf(created);
  const put = await fetch(url, { method, headers, body: pdf });
  expect(put.status).toBe(200);
  return uploadId;
}

describe('POST /uploads', () => {
  test("an upload is its caller's: another caller submitting it gets 404, as if it did not exist", async () => {
    const uploadId = await upload(await largeDrawing(5_000_000));
    const submission = { upload_id: uploadId, client_name: 'Acme', project_name: 'b' };

    const other = await postJson('/process-drawing', submission, 'application/json', 'key-b');
    const own = await postJson('/process-drawing', submission);

    expect(other.statusCode).toBe(404);
    expect(bodyOf(other).error.code).toBe('UPLOAD_NOT_FOUND');
    expect(own.statusCode).toBe(202);
  });

  test('answers a presigned PUT bound to the type, the length and the file name', async () => {
    const response = await postJson('/uploads', {
      filename: '../Level 1/plan.pdf',
      content_type: 'application/pdf',
      size_bytes: 8_000_000,
    });

    expect(response.statusCode).toBe(201);
    const body = bodyOf(response);
    expect(body).toEqual({
      upload_id: expect.stringMatching(/^upl_[0-9a-f]{32}$/),
      upload_url: expect.stringContaining(`/uploads/${body.upload_id}.pdf?`),
      method: 'PUT',
      headers: {
        'content-type': 'application/pdf',
        'content-length': '8000000',
        'x-amz-meta-filename': 'plan.pdf',
        'x-amz-meta-owner': 'team-a',
      },
      expires_in: 3600,
    });
    const signed = new URL(body.upload_url).searchParams.get('X-Amz-SignedHeaders');
    expect(signed).toBe('content-length;content-type;host;x-amz-meta-filename;x-amz-meta-owner');
    // nothing is stored until the client uploads
    expect(await listKeys(platform.bucketName)).toEqual([]);
  });

  test.each([
    ['not JSON', '{"filename":', 'application/json', 400, 'INVALID_JSON'],
    ['a JSON array', '[]', 'application/json', 400, 'INVALID_JSON'],
    ['form data', 'a=b', 'application/x-www-form-urlencoded', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    [
      'no filename',
      { content_type: 'application/pdf', size_bytes: 10 },
      undefined,
      400,
      'MISSING_FIELD',
    ],
    [
      'a numeric filename',
      { filename: 7, content_type: 'application/pdf', size_bytes: 10 },
      undefined,
      400,
      'INVALID_FIELD',
    ],
    [
      'an image',
      { filename: 'a.png', content_type: 'image/png', size_bytes: 10 },
      undefined,
      415,
      'NOT_A_PDF',
    ],
    [
      'no size',
      { filename: 'a.pdf', content_type: 'application/pdf' },
      undefined,
      400,
      'INVALID_FIELD',
    ],
    [
      'size 0',
      { filename: 'a.pdf', content_type: 'application/pdf', size_bytes: 0 },
      undefined,
      400,
      'INVALID_FIELD',
    ],
    [
      'a fractional size',
      { filename: 'a.pdf', content_type: 'application/pdf', size_bytes: 1.5 },
      undefined,
      400,
      'INVALID_FIELD',
    ],
    [
      'size as text',
      { filename: 'a.pdf', content_type: 'application/pdf', size_bytes: '10' },
      undefined,
      400,
      'INVALID_FIELD',
    ],
    [
      'over the limit',
      { filename: 'a.pdf', content_type: 'application/pdf', size_bytes: MAX_DRAWING_BYTES + 1 },
      undefined,
      413,
      'PAYLOAD_TOO_LARGE',
    ],
  ])('refuses %s', async (_, body, contentType, status, code) => {
    const response = await postJson('/uploads', body, contentType);

    expect(response.statusCode).toBe(status);
    expect(bodyOf(response)).toEqual({ error: { code, message: expect.any(String) } });
  });
});

describe('POST /process-drawing with JSON naming an upload', () => {
  test('an 8 MB drawing goes up through the URL and becomes a queued job with its metadata', async () => {
    const pdf = await largeDrawing(8 * 1024 * 1024);
    const uploadId = await upload(pdf);

    const response = await postJson('/process-drawing', {
      upload_id: uploadId,
      client_name: 'Acme Security',
      project_name: 'HQ',
    });

    expect(response.statusCode).toBe(202);
    const { job_id: jobId } = bodyOf(response);
    const job = await getJob(platform.tableName, jobId);
    expect(job).toMatchObject({ status: 'queued', drawing_key: `drawings/${jobId}/Big_plan.pdf` });
    expect((await getObject(platform.bucketName, job!.drawing_key)).equals(pdf)).toBe(true);
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: platform.bucketName, Key: job!.drawing_key }),
    );
    expect(head.Metadata).toEqual({ 'job-id': jobId, client: 'Acme Security', stage: 'submitted' });
    expect((await drain(platform.queueUrl)).map((m) => JSON.parse(m.Body!))).toEqual([
      { job_id: jobId },
    ]);
  });

  test.each([
    ['no upload_id', { client_name: 'a', project_name: 'b' }, 400, 'MISSING_FIELD'],
    [
      'a malformed upload_id',
      { upload_id: 'upl_../../x', client_name: 'a', project_name: 'b' },
      400,
      'INVALID_UPLOAD_ID',
    ],
    [
      'an upload_id of the wrong type',
      { upload_id: 12, client_name: 'a', project_name: 'b' },
      400,
      'INVALID_UPLOAD_ID',
    ],
    [
      'an upload nothing was sent to',
      { upload_id: `upl_${'0'.repeat(32)}`, client_name: 'a', project_name: 'b' },
      404,
      'UPLOAD_NOT_FOUND',
    ],
    [
      'no client_name',
      { upload_id: `upl_${'0'.repeat(32)}`, project_name: 'b' },
      400,
      'MISSING_FIELD',
    ],
  ])('refuses %s and writes nothing', async (_, body, status, code) => {
    const response = await postJson('/process-drawing', body);

    expect(response.statusCode).toBe(status);
    expect(bodyOf(response)).toEqual({ error: { code, message: expect.any(String) } });
    expect(await scanJobs(platform.tableName)).toEqual([]);
    expect(await listKeys(platform.bucketName)).toEqual([]);
  });

  test('refuses an upload that is not a PDF with 415, leaving only the upload', async () => {
    const uploadId = `upl_${'a'.repeat(32)}`;
    await s3.send(
      new PutObjectCommand({
        Bucket: platform.bucketName,
        Key: `uploads/${uploadId}.pdf`,
        Body: 'PK\u0003\u0004 a zip file',
        Metadata: { owner: 'team-a' },
      }),
    );

    const response = await postJson('/process-drawing', {
      upload_id: uploadId,
      client_name: 'a',
      project_name: 'b',
    });

    expect(response.statusCode).toBe(415);
    expect(bodyOf(response).error.code).toBe('NOT_A_PDF');
    expect(await scanJobs(platform.tableName)).toEqual([]);
    expect(await listKeys(platform.bucketName)).toEqual([`uploads/${uploadId}.pdf`]);
  });
});
