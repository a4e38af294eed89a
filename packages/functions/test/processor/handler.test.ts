import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { PROCESSING_STAGES } from '@security-assistant/layer-common';
import { SAFETY_MARGIN_MS } from '../../src/processor/process-job';
import {
  createTestPlatform,
  drain,
  emptyPlatform,
  getJob,
  getObject,
  lambdaContext,
  listKeys,
  loadHandler,
  s3,
  setJobAttributes,
  sqsEvent,
  type TestPlatform,
} from '../support/aws';
import { emfLinesOf } from '../support/emf';
import type { ApiHandler } from '../support/http';
import { submitDrawing, type SqsHandler } from '../support/jobs';
import {
  drawingPdf,
  encryptedPdf,
  linesOf,
  pagesPdf,
  SAMPLE_COMPONENTS,
  SAMPLE_LABELS,
} from '../support/pdfs';

let platform: TestPlatform;
let submit: ApiHandler;
let processor: SqsHandler;
let samplePdf: Buffer;

beforeAll(async () => {
  platform = await createTestPlatform();
  const env = { ...platform.env, MAX_PAGES: '3' };
  submit = loadHandler('../../src/process-drawing/handler', env);
  processor = loadHandler('../../src/processor/handler', env);
  samplePdf = await drawingPdf(SAMPLE_LABELS);
});

afterEach(() => emptyPlatform(platform));

/** A context with plenty of time for the first `stages` checks, then too little. */
/** The processor reads the clock once before each stage; the first stage always runs. */
function contextRunningOutAfter(stages: number) {
  let calls = 0;
  return lambdaContext(() => (calls++ <= stages ? 900_000 : SAFETY_MARGIN_MS - 1));
}

describe('processor', () => {
  test('completes a drawing with exactly the components it names', async () => {
    // Given a queued drawing naming doors, readers, an exit button, a contact and cameras
    const { jobId, event } = await submitDrawing(submit, platform, samplePdf);

    // When the processor receives its message
    const response = await processor(event, lambdaContext());

    // Then the record succeeds and the job is completed with every stage checkpointed
    expect(response).toEqual({ batchItemFailures: [] });
    const job = await getJob(platform.tableName, jobId);
    expect(job).toMatchObject({
      status: 'completed',
      stages_completed: [...PROCESSING_STAGES],
      current_stage: 'result_generation',
      result: {
        total_components: 7,
        counts_by_type: { door: 2, card_reader: 1, exit_button: 1, door_contact: 1, camera: 2 },
        result_key: `results/${jobId}/components.json`,
        csv_key: `results/${jobId}/schedule.csv`,
      },
    });
    expect(Date.parse(job!.last_checkpoint!)).toBeGreaterThanOrEqual(Date.parse(job!.created_at));

    // And the results hold exactly those components, as JSON and as a CSV schedule
    const result = JSON.parse(
      (await getObject(platform.bucketName, `results/${jobId}/components.json`)).toString(),
    );
    expect(result.components).toEqual(SAMPLE_COMPONENTS.map((c) => expect.objectContaining(c)));
    // each with its places: CR-01 is on both pages (595 pt high; lines 20 pt apart from 45),
    // after CARD READER (drawn at 128.5; placed by typical glyph widths)
    const reader = result.components.find((c: { id: string }) => c.id === 'CR-01');
    expect(reader).toMatchObject({
      page: 1,
      places: [
        { page: 1, x: 130.9, y: 65 },
        { page: 2, x: 130.9, y: 105 },
      ],
    });
    const csv = (await getObject(platform.bucketName, `results/${jobId}/schedule.csv`)).toString();
    const rows = csv.trim().split('\r\n');
    expect(rows[0]).toBe('id,type,page,x,y');
    expect(rows.slice(1)).toEqual(
      SAMPLE_COMPONENTS.map((c) =>
        expect.stringMatching(`^${c.id},${c.type},[12;]+,[\\d.;]+,[\\d;]+$`),
      ),
    );
    expect(rows).toContain('CR-01,card_reader,1;2,130.9;130.9,65;105');
  });

  test('completes with warnings naming the tags it could not type, and says when it found none', async () => {
    // Given a drawing tagged only with prefixes the vocabulary does not know
    const pdf = await drawingPdf([['GATE G-1', 'TURNSTILE TS-2 SEC-A-101 REV C'], ['G-1']]);
    const { jobId, event } = await submitDrawing(submit, platform, pdf);

    // When it is processed
    await processor(event, lambdaContext());

    // Then the job completes empty, and both the job and the result say why
    const job = await getJob(platform.tableName, jobId);
    const warnings = [
      expect.stringMatching(/^2 tag-shaped label\(s\) could not be given a type .*: G-1, TS-2\. /),
      expect.stringMatching(/^no components were found on the drawing/),
    ];
    expect(job).toMatchObject({ status: 'completed', result: { total_components: 0, warnings } });
    const result = JSON.parse(
      (await getObject(platform.bucketName, `results/${jobId}/components.json`)).toString(),
    );
    expect(result).toMatchObject({ components: [], warnings });
  });

  test('checkpoints each stage and continues in a new invocation when time runs short', async () => {
    // Given a job, and an invocation with time for one stage only
    const { jobId, event } = await submitDrawing(submit, platform, samplePdf);

    // When the processor runs out of time after validation
    const first = await processor(event, contextRunningOutAfter(0));

    // Then the record succeeds, validation is checkpointed and a continuation is queued
    expect(first).toEqual({ batchItemFailures: [] });
    const afterFirst = await getJob(platform.tableName, jobId);
    expect(afterFirst).toMatchObject({
      status: 'processing',
      stages_completed: ['validation'],
      current_stage: 'pdf_processing',
    });
    const continuation = await drain(platform.queueUrl);
    expect(continuation.map((m) => JSON.parse(m.Body!))).toEqual([{ job_id: jobId }]);

    // When the continuation runs with time for two stages
    await processor(
      sqsEvent({ messageId: 'c1', body: continuation[0].Body! }),
      contextRunningOutAfter(1),
    );

    // Then the checkpoints grow, in order
    const afterSecond = await getJob(platform.tableName, jobId);
    expect(afterSecond!.stages_completed).toEqual([
      'validation',
      'pdf_processing',
      'drawing_analysis',
    ]);
    expect(afterSecond!.last_checkpoint! >= afterFirst!.last_checkpoint!).toBe(true);
    expect(await listKeys(platform.bucketName, `jobs/${jobId}/`)).toEqual([
      `jobs/${jobId}/analysis.json`,
      `jobs/${jobId}/text.json`,
    ]);

    // When the next continuation has all the time it needs
    const next = await drain(platform.queueUrl);
    await processor(sqsEvent({ messageId: 'c2', body: next[0].Body! }), lambdaContext());

    // Then the job completes without repeating a stage
    const done = await getJob(platform.tableName, jobId);
    expect(done).toMatchObject({ status: 'completed', stages_completed: [...PROCESSING_STAGES] });
    expect(await drain(platform.queueUrl)).toEqual([]);
  });

  test('a redelivered message resumes after the last completed stage', async () => {
    // Given a job interrupted after pdf_processing
    const { jobId, event } = await submitDrawing(submit, platform, samplePdf);
    await processor(event, contextRunningOutAfter(1));
    await drain(platform.queueUrl);
    // whose extracted text is marked, so a rerun of pdf_processing would be noticed
    const textKey = `jobs/${jobId}/text.json`;
    await s3.send(
      new PutObjectCommand({
        Bucket: platform.bucketName,
        Key: textKey,
        Body: JSON.stringify({ lines: linesOf(['CAMERA CAM-99']) }),
      }),
    );

    // When SQS redelivers the original message
    const response = await processor(event, lambdaContext());

    // Then processing resumed at drawing_analysis, using the checkpointed text
    expect(response).toEqual({ batchItemFailures: [] });
    const job = await getJob(platform.tableName, jobId);
    expect(job).toMatchObject({ status: 'completed', stages_completed: [...PROCESSING_STAGES] });
    expect(job!.result!.counts_by_type).toEqual({ camera: 1 });
  });

  test('text kept by a version before word places is read again from the drawing', async () => {
    // Given a job interrupted after pdf_processing, whose text an older version wrote
    const { jobId, event } = await submitDrawing(submit, platform, samplePdf);
    await processor(event, contextRunningOutAfter(1));
    await drain(platform.queueUrl);
    await s3.send(
      new PutObjectCommand({
        Bucket: platform.bucketName,
        Key: `jobs/${jobId}/text.json`,
        Body: JSON.stringify({ text: ['CAMERA CAM-99'] }),
      }),
    );

    // When SQS redelivers the message
    await processor(event, lambdaContext());

    // Then the components come from the drawing, with their places
    const job = await getJob(platform.tableName, jobId);
    expect(job).toMatchObject({ status: 'completed', result: { total_components: 7 } });
  });

  test('a duplicate delivery of a completed job changes nothing', async () => {
    // Given a completed job
    const { jobId, event } = await submitDrawing(submit, platform, samplePdf);
    await processor(event, lambdaContext());
    const completed = await getJob(platform.tableName, jobId);
    const keys = await listKeys(platform.bucketName);

    // When its message is delivered again
    const response = await processor(event, lambdaContext());

    // Then the record succeeds and neither the job nor the bucket changed
    expect(response).toEqual({ batchItemFailures: [] });
    expect(await getJob(platform.tableName, jobId)).toEqual(completed);
    expect(await listKeys(platform.bucketName)).toEqual(keys);
    expect(await drain(platform.queueUrl)).toEqual([]);
  });

  test.each([
    ['an encrypted PDF', () => Promise.resolve(encryptedPdf()), 'PDF_ENCRYPTED'],
    ['a PDF over MAX_PAGES', () => pagesPdf(4), 'TOO_MANY_PAGES'],
  ])('fails %s at once with its code and no retry', async (_, makePdf, code) => {
    // Given a queued drawing that can never be processed
    const { jobId, event } = await submitDrawing(submit, platform, await makePdf());

    // When the processor receives it
    const { result: response, emf } = await emfLinesOf(() => processor(event, lambdaContext()));

    // Then the message is not retried and the job failed with the code
    expect(response).toEqual({ batchItemFailures: [] });
    const job = await getJob(platform.tableName, jobId);
    expect(job).toMatchObject({ status: 'failed', stages_completed: [], error: { code } });
    // And the failure is counted by its code
    expect(emf).toContainEqual(expect.objectContaining({ error_code: code, JobsFailed: 1 }));
    expect(emf.some((l) => 'JobsCompleted' in l)).toBe(false);
    expect(job!.error!.message.length).toBeGreaterThan(0);
    expect(await listKeys(platform.bucketName, 'results/')).toEqual([]);
  });

  test('fails a stored drawing that is not a PDF with NOT_A_PDF', async () => {
    // Given a job whose stored drawing was replaced by something else
    const { jobId, event } = await submitDrawing(submit, platform, samplePdf);
    const job = await getJob(platform.tableName, jobId);
    await s3.send(
      new PutObjectCommand({
        Bucket: platform.bucketName,
        Key: job!.drawing_key,
        Body: 'not a pdf',
      }),
    );

    const response = await processor(event, lambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(await getJob(platform.tableName, jobId)).toMatchObject({
      status: 'failed',
      error: { code: 'NOT_A_PDF' },
    });
  });

  test('reports a transient failure for retry and keeps the checkpoint', async () => {
    // Given a job interrupted after pdf_processing whose stage output was then lost
    const { jobId, event } = await submitDrawing(submit, platform, samplePdf);
    await processor(event, contextRunningOutAfter(1));
    await drain(platform.queueUrl);
    await s3.send(
      new DeleteObjectCommand({ Bucket: platform.bucketName, Key: `jobs/${jobId}/text.json` }),
    );

    // When the message is redelivered
    const response = await processor(event, lambdaContext());

    // Then only that record is reported for redelivery and the job keeps its progress
    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: event.Records[0].messageId }],
    });
    expect(await getJob(platform.tableName, jobId)).toMatchObject({
      status: 'processing',
      stages_completed: ['validation', 'pdf_processing'],
    });
  });

  test('a stage forced to fail for a test client fails every delivery, keeping the checkpoint', async () => {
    // Given a processor configured to fail drawing_analysis for one client
    const faulty = loadHandler<SqsHandler>('../../src/processor/handler', {
      ...platform.env,
      TEST_FAULT_CLIENT_NAME: 'Chaos Client',
      TEST_FAULT_STAGE: 'drawing_analysis',
    });
    delete process.env.TEST_FAULT_CLIENT_NAME;
    delete process.env.TEST_FAULT_STAGE;
    const chaos = await submitDrawing(submit, platform, samplePdf, 'Chaos Client');
    const normal = await submitDrawing(submit, platform, samplePdf);

    // When both are delivered, the chaos job twice
    const first = await faulty(chaos.event, lambdaContext());
    const second = await faulty(chaos.event, lambdaContext());
    const other = await faulty(normal.event, lambdaContext());

    // Then the chaos job is reported for redelivery each time and stops before the stage
    const failure = { batchItemFailures: [{ itemIdentifier: chaos.event.Records[0].messageId }] };
    expect([first, second]).toEqual([failure, failure]);
    expect(await getJob(platform.tableName, chaos.jobId)).toMatchObject({
      status: 'processing',
      stages_completed: ['validation', 'pdf_processing'],
    });
    // and other clients are unaffected
    expect(other).toEqual({ batchItemFailures: [] });
    expect(await getJob(platform.tableName, normal.jobId)).toMatchObject({ status: 'completed' });
  });

  test('handles every record of a batch, reporting only the ones that failed', async () => {
    // Given two good jobs, one unknown job and one malformed message
    const a = await submitDrawing(submit, platform, samplePdf);
    const b = await submitDrawing(submit, platform, await drawingPdf([['DOOR D-7']]));
    const event = {
      Records: [
        ...a.event.Records,
        ...sqsEvent({
          messageId: 'unknown',
          body: JSON.stringify({ job_id: 'job_1700000000000_0123456789ab' }),
        }).Records,
        ...sqsEvent({ messageId: 'garbage', body: 'not json' }).Records,
        ...b.event.Records,
      ],
    };

    // When they arrive in one batch
    const response = await processor(event, lambdaContext());

    // Then both jobs complete, the unknown job is dropped, and the malformed one goes to the DLQ path
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'garbage' }] });
    expect((await getJob(platform.tableName, a.jobId))!.status).toBe('completed');
    expect((await getJob(platform.tableName, b.jobId))!.result!.counts_by_type).toEqual({
      door: 1,
    });
  });

  test('does not start a job that was already failed by the dead-letter processor', async () => {
    const { jobId, event } = await submitDrawing(submit, platform, samplePdf);
    await setJobAttributes(platform.tableName, jobId, {
      status: 'failed',
      error: { code: 'PROCESSING_FAILED', message: 'dead-lettered' },
    });

    await processor(event, lambdaContext());

    expect(await getJob(platform.tableName, jobId)).toMatchObject({
      status: 'failed',
      stages_completed: [],
    });
  });
});
