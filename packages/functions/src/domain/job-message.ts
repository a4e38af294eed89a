import { isJobId } from '@security-assistant/layer-common';

/** The job id of a queue message `{"job_id": "…"}`, or undefined when the body is anything else. */
export function parseJobMessage(body: string): string | undefined {
  try {
    const jobId = (JSON.parse(body) as { job_id?: unknown } | null)?.job_id;
    return typeof jobId === 'string' && isJobId(jobId) ? jobId : undefined;
  } catch {
    return undefined;
  }
}
