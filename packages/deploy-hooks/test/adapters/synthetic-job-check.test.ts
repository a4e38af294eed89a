import { randomUUID } from 'node:crypto';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { SyntheticJobCheck } from '../../src/adapters/synthetic-job-check';
import { createJobsTableAndBucket } from '../support/moto-resources';

// The table and bucket are real (the moto server jest's globalSetup started). moto's Lambda
// does not run function code, so the two API functions' Invoke is mocked.
const lambdaMock = mockClient(LambdaClient);
const dynamodb = new DynamoDBClient({});
const s3 = new S3Client({ forcePathStyle: true });
const suffix = randomUUID().slice(0, 8);
const tableName = `hooks-synthetic-${suffix}`;
const bucketName = `hooks-synthetic-${suffix}`;
const ARN = 'arn:aws:lambda:eu-west-1:123456789012:function';
const SUBMIT = `${ARN}:security-assistant-dev-process-drawing:live`;
const STATUS = `${ARN}:security-assistant-dev-status:live`;

const check = () =>
  new SyntheticJobCheck(
    { lambda: new LambdaClient({}), dynamodb, s3 },
    { submitFunctionArn: SUBMIT, statusFunctionArn: STATUS, tableName, bucketName },
    10,
  );
const live = () => new AbortController().signal;

const apiAnswer = (statusCode: number, body: unknown) => ({
  StatusCode: 200,
  Payload: new TextEncoder().encode(
    JSON.stringify({ statusCode, body: JSON.stringify(body) }),
  ) as InvokeCommandOutput['Payload'],
});

/** The job's record and objects, as the platform would have left them. */
async function jobData(jobId: string): Promise<void> {
  await dynamodb.send(
    new PutItemCommand({
      TableName: tableName,
      Item: { job_id: { S: jobId }, status: { S: 'completed' } },
    }),
  );
  for (const key of [
    `drawings/${jobId}/synthetic.pdf`,
    `jobs/${jobId}/text.json`,
    `results/${jobId}/components.json`,
  ]) {
    await s3.send(new PutObjectCommand({ Bucket: bucketName, Key: key, Body: '{}' }));
  }
}

async function remaining(jobId: string): Promise<{ record: boolean; objects: string[] }> {
  const { Item } = await dynamodb.send(
    new GetItemCommand({ TableName: tableName, Key: { job_id: { S: jobId } } }),
  );
  const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: bucketName }));
  return {
    record: Item !== undefined,
    objects: Contents.map((c) => c.Key!).filter((k) => k.includes(jobId)),
  };
}

/** Submission answers 202 with `jobId`; status answers each of `statuses` in turn. */
function platformAnswers(jobId: string, statuses: object[]): void {
  lambdaMock
    .on(InvokeCommand, { FunctionName: SUBMIT })
    .resolves(apiAnswer(202, { job_id: jobId }));
  const status = lambdaMock.on(InvokeCommand, { FunctionName: STATUS });
  for (const answer of statuses) status.resolvesOnce(apiAnswer(200, { job_id: jobId, ...answer }));
}

beforeAll(async () => {
  await createJobsTableAndBucket(dynamodb, s3, tableName);
});

beforeEach(() => lambdaMock.reset());

describe('SyntheticJobCheck', () => {
  it('submits the tiny drawing as client "synthetic", follows it to completed, then removes its data', async () => {
    const jobId = `job_${randomUUID()}`;
    await jobData(jobId);
    await jobData(`job_other_${suffix}`);
    platformAnswers(jobId, [
      { status: 'queued' },
      { status: 'processing' },
      { status: 'completed', result: { total_components: 2 } },
    ]);

    const note = await check().run(live());

    expect(note).toMatch(
      new RegExp(
        `synthetic job ${jobId} completed .* with 2 components; removed its record and 3 objects`,
      ),
    );
    expect(await remaining(jobId)).toEqual({ record: false, objects: [] });
    // another job's data is untouched
    expect((await remaining(`job_other_${suffix}`)).objects).toHaveLength(3);
    // the submission is what API Gateway passes for a multipart upload
    const submitted = lambdaMock.commandCalls(InvokeCommand, { FunctionName: SUBMIT })[0].args[0]
      .input;
    const event = JSON.parse(new TextDecoder().decode(submitted.Payload as Uint8Array));
    expect(event).toMatchObject({
      httpMethod: 'POST',
      resource: '/process-drawing',
      isBase64Encoded: true,
      // as the platform's own `synthetic` caller
      requestContext: { identity: { apiKeyId: 'synthetic-job' } },
    });
    const boundary = event.headers['content-type'].match(/boundary=(.+)$/)[1];
    const body = Buffer.from(event.body, 'base64').toString('latin1');
    expect(body).toContain(
      `--${boundary}\r\nContent-Disposition: form-data; name="client_name"\r\n\r\nsynthetic\r\n`,
    );
    expect(body).toMatch(
      /name="drawing_file"; filename="synthetic.pdf"\r\nContent-Type: application\/pdf\r\n\r\n%PDF-1\.4/,
    );
    expect(body.endsWith(`--${boundary}--\r\n`)).toBe(true);
    // and it asked for the status of that job, through the status alias
    const asked = lambdaMock.commandCalls(InvokeCommand, { FunctionName: STATUS });
    expect(asked).toHaveLength(3);
    expect(
      JSON.parse(new TextDecoder().decode(asked[0].args[0].input.Payload as Uint8Array)),
    ).toMatchObject({
      httpMethod: 'GET',
      pathParameters: { job_id: jobId },
      requestContext: { identity: { apiKeyId: 'synthetic-job' } },
    });
  });

  it("fails with the job's error code when the job fails, and still removes its data", async () => {
    const jobId = `job_${randomUUID()}`;
    await jobData(jobId);
    platformAnswers(jobId, [
      { status: 'failed', error: { code: 'MODEL_ERROR', message: 'the model refused' } },
    ]);

    await expect(check().run(live())).rejects.toThrow(
      new RegExp(
        `synthetic-job: synthetic job ${jobId} failed after .* s: MODEL_ERROR: the model refused`,
      ),
    );
    expect(await remaining(jobId)).toEqual({ record: false, objects: [] });
  });

  it('fails, saying what the API answered, when the submission is refused', async () => {
    lambdaMock
      .on(InvokeCommand, { FunctionName: SUBMIT })
      .resolves(apiAnswer(503, { error: { code: 'SERVICE_UNAVAILABLE', message: 'try later' } }));

    await expect(check().run(live())).rejects.toThrow(
      /submitting the synthetic job answered 503: .*SERVICE_UNAVAILABLE/,
    );
    expect(lambdaMock.commandCalls(InvokeCommand, { FunctionName: STATUS })).toHaveLength(0);
  });

  it('fails when the submitting function raises', async () => {
    lambdaMock.on(InvokeCommand, { FunctionName: SUBMIT }).resolves({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      Payload: new TextEncoder().encode(
        '{"errorMessage":"boom"}',
      ) as InvokeCommandOutput['Payload'],
    });

    await expect(check().run(live())).rejects.toThrow(
      /process-drawing:live raised Unhandled: .*boom/,
    );
  });

  it('leaves a job that is still running when the hook has to report, and says so', async () => {
    const jobId = `job_${randomUUID()}`;
    await jobData(jobId);
    lambdaMock
      .on(InvokeCommand, { FunctionName: SUBMIT })
      .resolves(apiAnswer(202, { job_id: jobId }));
    lambdaMock
      .on(InvokeCommand, { FunctionName: STATUS })
      .resolves(apiAnswer(200, { job_id: jobId, status: 'processing' }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('deadline')), 50);

    await expect(check().run(controller.signal)).rejects.toThrow(
      /still processing when the hook had to report; left to finish/,
    );
    // removing it under the processor would dead-letter it: it is left to finish
    expect(await remaining(jobId)).toEqual({
      record: true,
      objects: expect.arrayContaining([expect.any(String)]),
    });
  });
});
