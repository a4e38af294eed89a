import { randomBytes, randomUUID } from 'node:crypto';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { Api, type ApiResponse } from './support/api';
import { badInputs } from './support/bad-inputs';
import { contract } from './support/contract';
import { drawingPdf } from './support/drawings';
import {
  answers,
  eventually,
  startLocalPlatform,
  type LogLine,
  type RunningPlatform,
} from './support/local-platform';
import { hostileRequests, postStreaming, rawRequest } from './support/raw-http';
import { flateBombPdf, manyStreamsPdf } from '../../../functions/test/support/hostile-pdfs';

jest.setTimeout(180_000);

const STAGES = ['validation', 'pdf_processing', 'drawing_analysis', 'result_generation'];
const STATUS_ORDER = ['queued', 'processing', 'completed'];
const JOB_ID = /^job_\d{13}_[0-9a-f]{12}$/;
const REDELIVERED = 'processing failed; the message will be redelivered';
/**
 * What the local server answers to requests HTTP cannot parse, before any route: API
 * Gateway's edge refuses those itself, outside the API's contract.
 */
const PARSER_REFUSALS = ['BAD_REQUEST', 'REQUEST_HEADER_FIELDS_TOO_LARGE'];
/** Jobs of this client throw a transient error in drawing_analysis, every time. */
const FAULTY_CLIENT = `e2e-faulty-${randomUUID()}`;

let platform: RunningPlatform;
let api: Api;
let sqs: SQSClient;
let sns: SNSClient;
let dynamodb: DynamoDBClient;

beforeAll(async () => {
  platform = await startLocalPlatform({
    TEST_FAULT_CLIENT_NAME: FAULTY_CLIENT,
    TEST_FAULT_STAGE: 'drawing_analysis',
  });
  const { awsEndpoint: endpoint, region } = platform.info;
  const clientConfig = {
    endpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  api = new Api(platform.info);
  sqs = new SQSClient({ ...clientConfig, endpoint: platform.info.endpoints.sqs });
  sns = new SNSClient({ ...clientConfig, endpoint: platform.info.endpoints.sns });
  dynamodb = new DynamoDBClient({ ...clientConfig, endpoint: platform.info.endpoints.dynamodb });
});

afterAll(() => {
  // The last test stops the platform on purpose; this only cleans up after a failed run.
  platform?.kill();
  for (const client of [sqs, sns, dynamodb]) client?.destroy();
});

async function jobCount(): Promise<number> {
  let count = 0;
  let startKey: Record<string, any> | undefined;
  do {
    const page = await dynamodb.send(
      new ScanCommand({
        TableName: platform.info.tableName,
        Select: 'COUNT',
        ExclusiveStartKey: startKey,
      }),
    );
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return count;
}

/** [visible, in flight] messages of a queue. */
async function queueDepth(queueUrl: string): Promise<[number, number]> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return [
    Number(Attributes?.ApproximateNumberOfMessages),
    Number(Attributes?.ApproximateNumberOfMessagesNotVisible),
  ];
}

/** Waits (briefly) for both queues to drain, then asserts they hold nothing at all. */
async function expectBothQueuesEmpty(): Promise<void> {
  const queues = [platform.info.queueUrl, platform.info.deadLetterQueueUrl];
  const depths = async () => Promise.all(queues.map(queueDepth));
  await eventually(
    'both queues to be empty',
    async () => ((await depths()).flat().every((n) => n === 0) ? true : undefined),
    15_000,
  ).catch(() => undefined);
  expect(await depths()).toEqual([
    [0, 0],
    [0, 0],
  ]);
}

function expectError(res: ApiResponse, status: number, code?: string): void {
  expect({ status: res.status, body: res.body }).toEqual({
    status,
    body: {
      error: { code: code ?? expect.stringMatching(/\S/), message: expect.any(String) },
    },
  });
}

async function statusOf(jobId: string): Promise<any> {
  const res = await api.status(jobId);
  expect(res.status).toBe(200);
  return res.body;
}

function untilFinished(jobId: string): Promise<any> {
  return eventually(`job ${jobId} to finish`, async () => {
    const job = await statusOf(jobId);
    return ['completed', 'failed'].includes(job.status) ? job : undefined;
  });
}

/** The processor's one outcome line per message it received for the job. */
const receivesOf = (jobId: string): LogLine[] =>
  platform.logs.filter(
    (l) =>
      l.service === 'processor' &&
      // job_id, not correlation_id: locally, concurrent invocations share one module's logger
      l.job_id === jobId &&
      (l.message === REDELIVERED || l.message === 'message handled'),
  );

describe('the local platform', () => {
  it('answers GET /health without an API key', async () => {
    const res = await api.health();

    expect(res).toEqual({
      status: 200,
      body: expect.objectContaining({
        status: 'ok',
        version: expect.any(String),
        stage: expect.any(String),
      }),
    });
  });

  describe('given a malformed or unauthorised request', () => {
    let pdf: Buffer;
    let jobsBefore: number;

    beforeAll(async () => {
      pdf = await drawingPdf(['DOOR D-900']);
    });

    beforeEach(async () => {
      jobsBefore = await jobCount();
    });

    afterEach(async () => {
      // Then nothing was written: no job item and no queued message.
      expect(await jobCount()).toBe(jobsBefore);
      expect(await queueDepth(platform.info.queueUrl)).toEqual([0, 0]);
    });

    const valid = () => ({ pdf, clientName: 'Acme', projectName: 'HQ' });

    it('rejects a body that is neither multipart/form-data nor JSON with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
      const res = await api.request('POST', '/process-drawing', {
        headers: { 'content-type': 'text/plain' },
        body: 'client_name=Acme',
      });

      expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('rejects JSON without an upload_id with 400 MISSING_FIELD', async () => {
      const res = await api.request('POST', '/process-drawing', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_name: 'Acme', project_name: 'HQ' }),
      });

      expectError(res, 400, 'MISSING_FIELD');
    });

    it.each([
      ['drawing_file', { pdf: undefined }],
      ['client_name', { clientName: undefined }],
      ['project_name', { projectName: undefined }],
    ])('rejects a submission without %s with 400 MISSING_FIELD', async (field, missing) => {
      const res = await api.submit({ ...valid(), ...missing });

      expectError(res, 400, 'MISSING_FIELD');
      expect(res.body.error.message).toContain(field);
    });

    it('rejects a drawing_file that is not a PDF with 415 NOT_A_PDF', async () => {
      const res = await api.submit({
        ...valid(),
        pdf: Buffer.from('these bytes are a plain text file, not a drawing\n'),
      });

      expectError(res, 415, 'NOT_A_PDF');
    });

    it('rejects a status request for something that is not a job id with 400 INVALID_JOB_ID', async () => {
      expectError(await api.status('not-a-job-id'), 400, 'INVALID_JOB_ID');
    });

    it('answers a status request for an unknown job with 404 JOB_NOT_FOUND', async () => {
      const unknown = `job_${Date.now()}_${randomBytes(6).toString('hex')}`;

      expectError(await api.status(unknown), 404, 'JOB_NOT_FOUND');
    });

    it.each([
      ['no API key', null],
      ['a wrong API key', 'not-the-key'],
    ])('refuses a valid submission with %s with 403', async (_, key) => {
      expectError(await api.submit(valid(), key), 403);
    });

    it.each([
      ['no API key', null],
      ['a wrong API key', 'not-the-key'],
    ])('refuses a status request with %s with 403', async (_, key) => {
      const unknown = `job_${Date.now()}_${randomBytes(6).toString('hex')}`;

      expectError(await api.status(unknown, key), 403);
    });
  });

  it('given a drawing naming doors, readers and cameras, completes the job with exactly those components', async () => {
    // Given
    const pdf = await drawingPdf([
      'DOOR D-101',
      'CARD READER CR-01',
      'EXIT BUTTON EB-01',
      'DOOR CONTACT DC-01',
      'NOTE: ALL CABLING IN CONTAINMENT',
      'DOOR D-102',
      'CARD READER CR-02',
      'CAMERA CAM-01',
      'CAMERA CAM-02',
    ]);
    const expected = [
      { id: 'D-101', type: 'door' },
      { id: 'CR-01', type: 'card_reader' },
      { id: 'EB-01', type: 'exit_button' },
      { id: 'DC-01', type: 'door_contact' },
      { id: 'D-102', type: 'door' },
      { id: 'CR-02', type: 'card_reader' },
      { id: 'CAM-01', type: 'camera' },
      { id: 'CAM-02', type: 'camera' },
    ];

    // When
    const submitted = await api.submit({
      pdf,
      filename: 'level-1.pdf',
      clientName: 'Acme Security',
      projectName: 'Head Office',
    });
    expect(submitted.status).toBe(202);
    expect(submitted.body).toEqual({ job_id: expect.stringMatching(JOB_ID), status: 'queued' });
    const jobId: string = submitted.body.job_id;
    const seen: any[] = [];
    const job = await eventually(
      'the job to complete',
      async () => {
        const view = await statusOf(jobId);
        seen.push(view);
        return view.status === 'completed' || view.status === 'failed' ? view : undefined;
      },
      60_000,
      25,
    );

    // Then: every snapshot moves forward through queued → processing → completed …
    const ranks = seen.map((v) => STATUS_ORDER.indexOf(v.status));
    expect(ranks.every((r) => r >= 0)).toBe(true);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    // … with stages_completed always a prefix of the stages, and only ever growing.
    for (const view of seen) {
      expect(view.stages_completed).toEqual(STAGES.slice(0, view.stages_completed.length));
    }
    const lengths = seen.map((v) => v.stages_completed.length);
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b));

    expect(job).toMatchObject({
      job_id: jobId,
      status: 'completed',
      client_name: 'Acme Security',
      project_name: 'Head Office',
      stages_completed: STAGES,
      created_at: expect.any(String),
      updated_at: expect.any(String),
      result: {
        total_components: 8,
        counts_by_type: { door: 2, card_reader: 2, exit_button: 1, door_contact: 1, camera: 2 },
        download_url: expect.stringMatching(/^http/),
        csv_download_url: expect.stringMatching(/^http/),
        download_expires_in: 3600,
      },
    });
    expect(job.error).toBeUndefined();
    expect(job.result.result_key).toBeUndefined();

    // And the download URLs serve the result and the schedule from the local bucket.
    const download = await fetch(job.result.download_url);
    expect(download.status).toBe(200);
    const result = (await download.json()) as any;
    expect(result).toMatchObject({ job_id: jobId, total_components: 8 });
    expect(result.components.map(({ id, type }: any) => ({ id, type }))).toEqual(expected);
    const csv = await (await fetch(job.result.csv_download_url)).text();
    expect(csv.split('\r\n')[0]).toBe('id,type,page,x,y');
    expect(csv).toMatch(/\r\nCAM-02,camera,\d,[\d.]+,[\d.]+\r\n/);
    // every component is placed on its page
    for (const component of result.components) {
      expect(component.places[0]).toEqual({
        page: component.page,
        x: expect.any(Number),
        y: expect.any(Number),
      });
    }
  });

  it('takes an 8 MB drawing through POST /uploads, a PUT and a JSON POST /process-drawing, and completes it', async () => {
    // Given a valid drawing padded to 8 MB (over the 4 MiB a request may carry)
    const small = await drawingPdf(['DOOR D-801', 'CAMERA CAM-81']);
    const pdf = Buffer.concat([
      small,
      Buffer.from(`999 0 obj\n<< /Length ${8 * 1024 * 1024} >>\nstream\n`),
      randomBytes(8 * 1024 * 1024),
      Buffer.from('\nendstream\nendobj\n%%EOF\n'),
    ]);

    // When it is uploaded through a presigned URL and submitted by its upload id
    const created = await api.createUpload({
      filename: 'big.pdf',
      content_type: 'application/pdf',
      size_bytes: pdf.length,
    });
    expect(created.status).toBe(201);
    const put = await fetch(created.body.upload_url, {
      method: created.body.method,
      headers: created.body.headers,
      body: pdf,
    });
    expect(put.status).toBe(200);
    const submitted = await api.submitUpload({
      upload_id: created.body.upload_id,
      client_name: 'e2e-uploads',
      project_name: 'Big',
    });
    expect(submitted.status).toBe(202);

    // Then the job completes with the drawing's components
    const job = await untilFinished(submitted.body.job_id);
    expect(job).toMatchObject({ status: 'completed', result: { total_components: 2 } });

    // And a second submission of an upload id nothing was sent to is a 404 in the error shape
    const missing = await api.submitUpload({
      upload_id: `upl_${'0'.repeat(32)}`,
      client_name: 'a',
      project_name: 'b',
    });
    expectError(missing, 404, 'UPLOAD_NOT_FOUND');
  });

  it('lists a client’s jobs a page at a time with next_token, and refuses a bogus status', async () => {
    const client = `e2e-list-${randomUUID()}`;
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      const res = await api.submit({
        pdf: await drawingPdf([`DOOR D-${n}`]),
        clientName: client,
        projectName: `p${n}`,
      });
      ids.push(res.body.job_id);
    }

    const listed: string[] = [];
    let token: string | null = null;
    do {
      const page: ApiResponse = await api.listJobs({
        client_name: client,
        limit: 1,
        ...(token && { next_token: token }),
      });
      expect(page.status).toBe(200);
      expect(page.body.jobs.length).toBeLessThanOrEqual(1);
      listed.push(...page.body.jobs.map((j: any) => j.job_id));
      token = page.body.next_token;
    } while (token);

    expect([...listed].sort()).toEqual([...ids].sort());
    expect(listed).toEqual([...listed].sort().reverse()); // newest first (ids start with the time)
    expectError(await api.request('GET', '/jobs?status=bogus'), 400, 'INVALID_PARAMETER');
  });

  it('given a drawing whose analysis fails every time, receives it 3 times, dead-letters it, fails the job and alerts', async () => {
    // Given: our own queue subscribed to the alert topic, before anything is submitted
    const { QueueUrl: alertQueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: `e2e-alerts-${randomUUID()}` }),
    );
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: alertQueueUrl, AttributeNames: ['QueueArn'] }),
    );
    await sns.send(
      new SubscribeCommand({
        TopicArn: platform.info.alertTopicArn,
        Protocol: 'sqs',
        Endpoint: Attributes!.QueueArn,
      }),
    );

    // When
    const submitted = await api.submit({
      pdf: await drawingPdf(['DOOR D-201', 'CAMERA CAM-09']),
      clientName: FAULTY_CLIENT,
      projectName: 'Doomed',
    });
    expect(submitted.status).toBe(202);
    const jobId: string = submitted.body.job_id;

    // Then the operators hear of it …
    const alert = await eventually('the alert', async () => {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: alertQueueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
        }),
      );
      return Messages.map((m) => JSON.parse(m.Body!)).find(
        (n) => JSON.parse(n.Message).job_id === jobId,
      );
    });
    expect(alert.Subject).toContain(jobId);
    expect(JSON.parse(alert.Message)).toMatchObject({
      job_id: jobId,
      code: 'PROCESSING_FAILED',
      reason: expect.stringMatching(/\S/),
    });

    // … the job is failed with a reason, after the stages before the faulty one …
    const job = await untilFinished(jobId);
    expect(job).toMatchObject({
      status: 'failed',
      stages_completed: ['validation', 'pdf_processing'],
      // The reason names the stage the job got stuck after.
      error: { code: 'PROCESSING_FAILED', message: expect.stringContaining('pdf_processing') },
    });
    expect(job.result).toBeUndefined();

    // … after exactly 3 receives, each redelivered, then the dead-letter queue …
    await expectBothQueuesEmpty();
    const receives = receivesOf(jobId);
    expect(receives.map((l) => l.message)).toEqual([REDELIVERED, REDELIVERED, REDELIVERED]);
    // Both are ERROR lines, written to the same stream, so their order is the order of events.
    const deadLettered = platform.logs.findIndex(
      (l) => l.service === 'dlq-processor' && l.job_id === jobId,
    );
    expect(deadLettered).toBeGreaterThan(platform.logs.indexOf(receives[2]));
  });

  it('given 50 drawings submitted at once, completes all 50 as distinct jobs and leaves no message behind', async () => {
    // Given: drawing i names door D-(1000+i) and i % 4 cameras
    const drawings = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        drawingPdf([
          `DOOR D-${1000 + i}`,
          ...Array.from({ length: i % 4 }, (__, c) => `CAMERA CAM-${c + 1}`),
        ]),
      ),
    );

    // When
    const submitted = await Promise.all(
      drawings.map((pdf, i) =>
        api.submit({ pdf, clientName: 'Load Test', projectName: `Drawing ${i}` }),
      ),
    );

    // Then
    expect(submitted.map((r) => r.status)).toEqual(Array(50).fill(202));
    const jobIds = submitted.map((r) => r.body.job_id as string);
    expect(new Set(jobIds).size).toBe(50);

    const finished = new Map<string, any>();
    await eventually(
      'all 50 jobs to finish',
      async () => {
        const pending = jobIds.filter((id) => !finished.has(id));
        const views = await Promise.all(pending.map(statusOf));
        for (const view of views) {
          if (view.status === 'completed' || view.status === 'failed') {
            finished.set(view.job_id, view);
          }
        }
        return finished.size === 50 ? true : undefined;
      },
      90_000,
      500,
    );
    jobIds.forEach((id, i) => {
      expect(finished.get(id)).toMatchObject({
        status: 'completed',
        project_name: `Drawing ${i}`,
        result: { total_components: 1 + (i % 4) },
      });
    });
    await expectBothQueuesEmpty();
  });

  it('given a corpus of malformed and hostile raw HTTP requests, never answers a 5xx and answers errors in shape', async () => {
    const port = Number(new URL(platform.info.apiUrl).port);
    const stage = new URL(platform.info.apiUrl).pathname.replace(/\//g, '');
    const before = await jobCount();
    const problems: string[] = [];
    for (const [name, request] of hostileRequests(stage, platform.info.apiKey)) {
      const response = await rawRequest(port, request);
      if (response.status === 0 || response.status >= 500) {
        problems.push(`${name}: ${response.status} ${response.body.slice(0, 120)}`);
        continue;
      }
      // HEAD answers carry no body; every other error answer is {"error":{"code","message"}}
      if (response.status >= 400 && !request.startsWith('HEAD ')) {
        const error = (() => {
          try {
            return JSON.parse(response.body).error;
          } catch {
            return undefined;
          }
        })();
        if (typeof error?.code !== 'string' || typeof error?.message !== 'string') {
          problems.push(
            `${name}: ${response.status} not in the error shape: ${response.body.slice(0, 120)}`,
          );
        } else if (!PARSER_REFUSALS.includes(error.code)) {
          // it reached the API: its answer is the document's
          const [method, target] = request.split(' ');
          const path = target.slice(stage.length + 1);
          problems.push(...contract.answerProblems(method, path, response.status, { error }));
        }
      }
    }
    expect(problems).toEqual([]);
    // and nothing was created by any of them
    expect(await jobCount()).toBe(before);
    // the platform still serves
    expect((await fetch(`${platform.info.apiUrl}/health`)).status).toBe(200);
  });

  it('answers 200 requests refused early (403, 415, 413) while their bodies are still arriving, with no connection reset', async () => {
    const url = (path: string) => `${platform.info.apiUrl}${path}`;
    const key = platform.info.apiKey;
    // refused before the body is read (wrong key, unknown route), after it (not a drawing),
    // and past API Gateway's 10 MB payload limit
    const cases = [
      {
        url: url('/process-drawing'),
        headers: { 'x-api-key': 'not-the-key', 'content-type': 'application/pdf' },
        size: 2_000_000,
        status: 403,
      },
      {
        url: url('/no-such-route'),
        headers: { 'x-api-key': key, 'content-type': 'application/pdf' },
        size: 2_000_000,
        status: 403,
      },
      {
        url: url('/process-drawing'),
        headers: { 'x-api-key': key, 'content-type': 'text/plain' },
        size: 2_000_000,
        status: 415,
      },
      {
        url: url('/process-drawing'),
        headers: { 'x-api-key': key, 'content-type': 'application/pdf' },
        size: 11_000_000,
        status: 413,
      },
    ];
    const before = await jobCount();
    const outcomes: string[] = [];
    for (let round = 0; round < 50; round++) {
      const replies = await Promise.all(cases.map((c) => postStreaming(c.url, c.headers, c.size)));
      replies.forEach((a, i) => {
        const code = a.status ? JSON.parse(a.body).error?.code : undefined;
        outcomes.push(
          a.error
            ? `reset (${a.error})`
            : a.status === cases[i].status && code
              ? 'answered'
              : `${a.status} ${a.body.slice(0, 80)}`,
        );
      });
    }
    expect(outcomes.filter((o) => o !== 'answered')).toEqual([]);
    expect(outcomes).toHaveLength(200);
    expect(await jobCount()).toBe(before);
  });

  it('given a generated corpus of 500+ bad inputs, answers each with a 4xx in the error shape and creates nothing', async () => {
    const s3 = new S3Client({
      endpoint: platform.info.endpoints.s3,
      region: platform.info.region,
      forcePathStyle: true,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const objects = async () =>
      (
        (await s3.send(new ListObjectsV2Command({ Bucket: platform.info.bucketName }))).Contents ??
        []
      )
        .map((o) => o.Key)
        .sort();
    // settle: earlier tests' jobs finish writing first
    await expectBothQueuesEmpty();
    const [jobsBefore, objectsBefore] = [await jobCount(), await objects()];
    const corpus = badInputs();
    expect(corpus.length).toBeGreaterThanOrEqual(500);

    const problems: string[] = [];
    for (const input of corpus) {
      // every answer is also checked against the OpenAPI document (status, code, shape)
      const res = await api
        .request(input.method, input.path, {
          headers: input.headers,
          body: input.body,
          apiKey: input.apiKey,
        })
        .catch((err: Error) => {
          problems.push(`${input.name}: ${err.message}`);
          return undefined;
        });
      if (!res) continue;
      const shaped =
        typeof res.body?.error?.code === 'string' && typeof res.body?.error?.message === 'string';
      if (res.status < 400 || res.status >= 500 || !shaped) {
        problems.push(`${input.name}: ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
      }
    }

    expect(problems).toEqual([]);
    expect(await jobCount()).toBe(jobsBefore);
    expect(await objects()).toEqual(objectsBefore);
    s3.destroy();
  });

  it('reads hostile drawings off the request path: /health stays quick, both jobs end within 30 s', async () => {
    // Given a 1.3 MB drawing of 12 000 tiny streams and a Flate bomb (300 KB -> 300 MB)
    const drawings = [
      { pdf: manyStreamsPdf(12_000, 'CAMERA CAM-77'), expected: 'completed' },
      { pdf: flateBombPdf(300), expected: 'failed' },
    ];
    expect(drawings[0].pdf.length).toBeGreaterThan(1_000_000);
    const started = Date.now();
    const jobs = await Promise.all(
      drawings.map(async ({ pdf }) => {
        const res = await api.submit({ pdf, clientName: 'e2e-hostile', projectName: 'p' });
        expect(res.status).toBe(202);
        return res.body.job_id as string;
      }),
    );

    // When /health is asked every 50 ms while they are processed
    let slowest = 0;
    let finished: any[] = [];
    while (Date.now() - started < 30_000) {
      const asked = Date.now();
      expect((await fetch(`${platform.info.apiUrl}/health`)).status).toBe(200);
      slowest = Math.max(slowest, Date.now() - asked);
      finished = await Promise.all(jobs.map(statusOf));
      if (finished.every((job) => ['completed', 'failed'].includes(job.status))) break;
      await new Promise((r) => setTimeout(r, 50));
    }

    // Then both reached a final state, the bomb with the limit it hit, and /health never lagged
    expect(finished.map((job) => job.status)).toEqual(drawings.map((d) => d.expected));
    expect(finished[0].result.total_components).toBe(1);
    expect(finished[1].error).toEqual({
      code: 'PDF_TOO_COMPLEX',
      message: expect.stringMatching(/decompresses to more than/),
    });
    expect(slowest).toBeLessThan(2_000);
  });

  it('when sent SIGTERM, exits within 10 s and leaves no emulator process running', async () => {
    const { code, signal } = await platform.stop(10_000);

    expect(code === 0 || signal === 'SIGTERM').toBe(true);
    expect(await answers(platform.info.apiUrl)).toBe(false);
    for (const endpoint of [platform.info.awsEndpoint, ...Object.values(platform.info.endpoints)]) {
      expect(await answers(`${endpoint}/moto-api/`)).toBe(false);
    }
  });
});
