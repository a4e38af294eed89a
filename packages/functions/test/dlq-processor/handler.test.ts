import { SendMessageCommand } from '@aws-sdk/client-sqs';
import {
  createTestPlatform,
  drain,
  emptyPlatform,
  getJob,
  lambdaContext,
  loadHandler,
  receiveOne,
  setJobAttributes,
  sqsEvent,
  sqsEventOf,
  type TestPlatform,
} from '../support/aws';
import { sqs } from '../support/aws';
import { emfLinesOf } from '../support/emf';
import type { ApiHandler } from '../support/http';
import { submitDrawing, type SqsHandler } from '../support/jobs';
import { drawingPdf } from '../support/pdfs';

let platform: TestPlatform;
let submit: ApiHandler;
let dlqProcessor: SqsHandler;
let pdf: Buffer;

beforeAll(async () => {
  platform = await createTestPlatform();
  submit = loadHandler('../../src/process-drawing/handler', platform.env);
  dlqProcessor = loadHandler('../../src/dlq-processor/handler', platform.env);
  pdf = await drawingPdf([['DOOR D-1']]);
});

afterEach(() => emptyPlatform(platform));

/** The alerts published to the topic, read from the SQS queue subscribed to it. */
async function publishedAlerts(): Promise<{ subject: string; message: any }[]> {
  const deliveries = await drain(platform.alertsUrl, 1);
  return deliveries.map((d) => {
    const envelope = JSON.parse(d.Body!);
    return { subject: envelope.Subject, message: JSON.parse(envelope.Message) };
  });
}

describe('dlq-processor', () => {
  test('marks a job failed after its third receive and alerts', async () => {
    // Given a queued job whose message three receivers failed to process
    const { jobId } = await submitDrawing(submit, platform, pdf);
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: platform.queueUrl,
        MessageBody: JSON.stringify({ job_id: jobId }),
      }),
    );
    await setJobAttributes(platform.tableName, jobId, {
      status: 'processing',
      stages_completed: ['validation'],
    });
    for (let receive = 1; receive <= 3; receive++) {
      expect(await receiveOne(platform.queueUrl, 0)).toBeDefined();
    }
    expect(await receiveOne(platform.queueUrl, 0)).toBeUndefined();

    // When SQS has moved it to the DLQ and the dlq-processor receives it
    const deadLetter = await receiveOne(platform.dlqUrl, 30);
    expect(deadLetter).toBeDefined();
    const { result: response, emf } = await emfLinesOf(() =>
      dlqProcessor(sqsEventOf(deadLetter!), lambdaContext()),
    );

    // Then the job is failed with PROCESSING_FAILED naming the last stage
    expect(response).toEqual({ batchItemFailures: [] });
    const job = await getJob(platform.tableName, jobId);
    expect(job).toMatchObject({ status: 'failed', error: { code: 'PROCESSING_FAILED' } });
    expect(job!.error!.message).toMatch(/went to the dead-letter queue/);
    expect(job!.error!.message).toContain('last completed stage: validation');

    // And an alert naming the job was published to the alert topic
    const alerts = await publishedAlerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0].subject).toContain(jobId);
    expect(alerts[0].message).toMatchObject({
      job_id: jobId,
      code: 'PROCESSING_FAILED',
      marked_failed: true,
    });
    expect(alerts[0].message.reason).toBe(job!.error!.message);

    // And it is counted as dead-lettered and failed, overall and by code
    expect(emf).toContainEqual(expect.objectContaining({ DeadLetteredJobs: 1, JobsFailed: 1 }));
    expect(emf).toContainEqual(
      expect.objectContaining({ error_code: 'PROCESSING_FAILED', JobsFailed: 1 }),
    );
  });

  test('leaves a job that completed meanwhile completed, but still alerts', async () => {
    const { jobId } = await submitDrawing(submit, platform, pdf);
    await setJobAttributes(platform.tableName, jobId, { status: 'completed' });

    await dlqProcessor(
      sqsEvent({ messageId: 'm1', body: JSON.stringify({ job_id: jobId }), receiveCount: '4' }),
      lambdaContext(),
    );

    const job = await getJob(platform.tableName, jobId);
    expect(job!.status).toBe('completed');
    expect(job!.error).toBeUndefined();
    const alerts = await publishedAlerts();
    expect(alerts.map((a) => a.message)).toEqual([
      expect.objectContaining({ job_id: jobId, marked_failed: false }),
    ]);
  });

  test('alerts on a malformed message instead of throwing', async () => {
    const response = await dlqProcessor(
      sqsEvent({ messageId: 'bad-1', body: '{"not":"a job"' }),
      lambdaContext(),
    );

    expect(response).toEqual({ batchItemFailures: [] });
    const alerts = await publishedAlerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0].subject).toMatch(/malformed/);
    expect(alerts[0].message).toMatchObject({
      job_id: null,
      message_id: 'bad-1',
      body: '{"not":"a job"',
    });
  });

  test('reports the record for retry when the alert cannot be published', async () => {
    const broken = loadHandler<SqsHandler>('../../src/dlq-processor/handler', {
      ...platform.env,
      ALERT_TOPIC_ARN: `${platform.topicArn}-missing`,
    });

    const response = await broken(sqsEvent({ messageId: 'm2', body: 'garbage' }), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
  });
});
