import {
  PermanentJobError,
  type DrawingComponent,
  type Job,
  type ProcessingStage,
  type ResultSummary,
} from '@security-assistant/layer-common';
import { countByType, toScheduleCsv } from '../domain/components';
import { extractPdfText, inspectPdf, isPdf } from '../domain/pdf';
import type { DrawingAnalyser, ObjectStore } from '../ports';

export interface StageDeps {
  readonly objects: ObjectStore;
  readonly analyser: DrawingAnalyser;
  readonly maxPages: number;
}

/** Where each stage keeps what a later stage (possibly in another invocation) needs. */
export const stageKeys = (jobId: string) => ({
  text: `jobs/${jobId}/text.json`,
  analysis: `jobs/${jobId}/analysis.json`,
  components: `results/${jobId}/components.json`,
  schedule: `results/${jobId}/schedule.csv`,
});

/** A stage's work; `result_generation` returns the job's result summary. */
export type Stage = (job: Job, deps: StageDeps) => Promise<ResultSummary | void>;

async function drawing(job: Job, objects: ObjectStore): Promise<Buffer> {
  const pdf = await objects.get(job.drawing_key);
  if (!pdf) {
    throw new PermanentJobError('DRAWING_NOT_FOUND', `drawing ${job.drawing_key} no longer exists`);
  }
  return pdf;
}

/** A stage output written by an earlier stage; missing means storage lost it, so retry. */
async function stageOutput<T>(objects: ObjectStore, key: string): Promise<T> {
  const data = await objects.get(key);
  if (!data) throw new Error(`stage output ${key} is missing`);
  return JSON.parse(data.toString('utf8')) as T;
}

const putJson = (objects: ObjectStore, key: string, value: unknown) =>
  objects.put(key, JSON.stringify(value), 'application/json');

export const STAGES: Record<ProcessingStage, Stage> = {
  async validation(job, { objects, maxPages }) {
    const pdf = await drawing(job, objects);
    if (!isPdf(pdf)) throw new PermanentJobError('NOT_A_PDF', 'the drawing is not a PDF document');
    const { encrypted, pageCount } = inspectPdf(pdf);
    if (encrypted) {
      throw new PermanentJobError(
        'PDF_ENCRYPTED',
        'the drawing is encrypted; upload it without a password',
      );
    }
    if (pageCount === 0) throw new PermanentJobError('INVALID_PDF', 'the drawing has no pages');
    if (pageCount > maxPages) {
      throw new PermanentJobError(
        'TOO_MANY_PAGES',
        `the drawing has ${pageCount} pages; at most ${maxPages} are processed`,
      );
    }
  },

  async pdf_processing(job, { objects }) {
    const text = extractPdfText(await drawing(job, objects));
    await putJson(objects, stageKeys(job.job_id).text, { text });
  },

  async drawing_analysis(job, { objects, analyser }) {
    const keys = stageKeys(job.job_id);
    const { text } = await stageOutput<{ text: string[] }>(objects, keys.text);
    const components = await analyser.analyse({
      jobId: job.job_id,
      pdf: await drawing(job, objects),
      text,
    });
    await putJson(objects, keys.analysis, { components });
  },

  async result_generation(job, { objects }) {
    const keys = stageKeys(job.job_id);
    const { components } = await stageOutput<{ components: DrawingComponent[] }>(
      objects,
      keys.analysis,
    );
    const counts = countByType(components);
    await putJson(objects, keys.components, {
      job_id: job.job_id,
      client_name: job.client_name,
      project_name: job.project_name,
      total_components: components.length,
      counts_by_type: counts,
      components,
    });
    await objects.put(keys.schedule, toScheduleCsv(components), 'text/csv');
    return {
      total_components: components.length,
      counts_by_type: counts,
      result_key: keys.components,
      csv_key: keys.schedule,
    };
  },
};
