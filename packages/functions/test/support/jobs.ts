import type { SQSBatchResponse, SQSEvent, Context } from 'aws-lambda';
import { drain, sqsEventOf, type TestPlatform } from './aws';
import { apiEvent, bodyOf, multipart, type ApiHandler } from './http';

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/**
 * Submits a drawing through the real process-drawing handler and returns the job id and
 * the queue message it produced (removed from the queue, as the event source would).
 */
export async function submitDrawing(
  submit: ApiHandler,
  platform: TestPlatform,
  pdf: Buffer,
  clientName = 'Acme Security',
): Promise<{ jobId: string; event: SQSEvent }> {
  const form = multipart([
    { name: 'client_name', value: clientName },
    { name: 'project_name', value: 'HQ refit' },
    { name: 'drawing_file', value: pdf, filename: 'plan.pdf', contentType: 'application/pdf' },
  ]);
  const response = await submit(
    apiEvent({
      method: 'POST',
      path: '/process-drawing',
      headers: { 'content-type': form.contentType },
      body: form.body,
    }),
  );
  if (response.statusCode !== 202) throw new Error(`submission failed: ${response.body}`);
  const jobId = bodyOf(response).job_id as string;
  const messages = await drain(platform.queueUrl);
  const message = messages.find((m) => JSON.parse(m.Body!).job_id === jobId);
  if (!message) throw new Error(`no queue message for ${jobId}`);
  return { jobId, event: sqsEventOf(message) };
}
