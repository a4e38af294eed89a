import {
  PermanentJobError,
  type Job,
  type ProcessingStage,
  type ResultSummary,
} from '@security-assistant/layer-common';
import { countByType, toScheduleCsv } from '../domain/components';
import { isPdf } from '../domain/pdf';
import type { TextLine } from '../domain/text-layout';
import type {
  AnalysisResult,
  DrawingAnalyser,
  DrawingReader,
  JobMetrics,
  ObjectStore,
} from '../ports';

export interface StageDeps {
  readonly objects: ObjectStore;
  readonly analyser: DrawingAnalyser;
  readonly reader: DrawingReader;
  readonly maxPages: number;
  /** Where job, stage and model metrics are reported. */
  readonly metrics?: JobMetrics;
}

/** What a stage may know of its invocation. */
export interface StageContext {
  /** Milliseconds left in the invocation. */
  readonly remainingMillis?: () => number;
}

/** Where each stage keeps what a later stage (possibly in another invocation) needs. */
export const stageKeys = (jobId: string) => ({
  text: `jobs/${jobId}/text.json`,
  analysis: `jobs/${jobId}/analysis.json`,
  components: `results/${jobId}/components.json`,
  schedule: `results/${jobId}/schedule.csv`,
});

/** A stage's work; `result_generation` returns the job's result summary. */
export type Stage = (
  job: Job,
  deps: StageDeps,
  context: StageContext,
) => Promise<ResultSummary | void>;

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

/** Who an object belongs to, stored with it as S3 metadata. */
const ownedBy = (job: Job, stage: ProcessingStage) => ({
  'job-id': job.job_id,
  client: job.client_name,
  stage,
});

const putJson = (
  objects: ObjectStore,
  key: string,
  value: unknown,
  job: Job,
  stage: ProcessingStage,
) => objects.put(key, JSON.stringify(value), 'application/json', ownedBy(job, stage));

/** The text layer and what the reading noticed, kept by `pdf_processing`. */
interface TextOutput {
  /** Absent in what a version before word places wrote (it kept `text`): read again. */
  readonly lines?: TextLine[];
  readonly warnings?: string[];
}

export const STAGES: Record<ProcessingStage, Stage> = {
  async validation(job, { objects, reader, maxPages }, { remainingMillis }) {
    const pdf = await drawing(job, objects);
    if (!isPdf(pdf)) throw new PermanentJobError('NOT_A_PDF', 'the drawing is not a PDF document');
    // Encryption, the page count and damage come from the reader itself (pdf.js).
    await reader.inspect(pdf, maxPages, remainingMillis);
  },

  async pdf_processing(job, { objects, reader, maxPages }, { remainingMillis }) {
    const { lines, warnings } = await reader.extract(
      await drawing(job, objects),
      maxPages,
      remainingMillis,
    );
    const output: TextOutput = { lines, warnings };
    await putJson(objects, stageKeys(job.job_id).text, output, job, 'pdf_processing');
  },

  async drawing_analysis(
    job,
    { objects, analyser, reader, maxPages, metrics },
    { remainingMillis },
  ) {
    const keys = stageKeys(job.job_id);
    const pdf = await drawing(job, objects);
    const lines =
      (await stageOutput<TextOutput>(objects, keys.text)).lines ??
      (await reader.extract(pdf, maxPages, remainingMillis)).lines;
    const analysis: AnalysisResult = await analyser.analyse({
      jobId: job.job_id,
      pdf,
      lines,
      remainingMillis,
    });
    await putJson(objects, keys.analysis, analysis, job, 'drawing_analysis');
    if (analysis.usage) metrics?.modelUsage(analysis.usage);
  },

  async result_generation(job, { objects }) {
    const keys = stageKeys(job.job_id);
    const analysis = await stageOutput<AnalysisResult>(objects, keys.analysis);
    const { components, usage } = analysis;
    const { warnings: readWarnings = [] } = await stageOutput<TextOutput>(objects, keys.text);
    const warnings = [...readWarnings, ...(analysis.warnings ?? [])];
    if (components.length === 0) {
      warnings.push(
        'no components were found on the drawing; check that its tags follow the component ' +
          'grammar (e.g. CR-01, or CARD READER CR-01) and their prefixes are in the tag ' +
          'vocabulary, or use the gemini analyser',
      );
    }
    const counts = countByType(components);
    await putJson(
      objects,
      keys.components,
      {
        job_id: job.job_id,
        client_name: job.client_name,
        project_name: job.project_name,
        total_components: components.length,
        counts_by_type: counts,
        components,
        ...(warnings.length ? { warnings } : {}),
      },
      job,
      'result_generation',
    );
    await objects.put(
      keys.schedule,
      toScheduleCsv(components),
      'text/csv',
      ownedBy(job, 'result_generation'),
    );
    return {
      total_components: components.length,
      counts_by_type: counts,
      result_key: keys.components,
      csv_key: keys.schedule,
      ...(warnings.length ? { warnings } : {}),
      ...(usage ? { model_usage: usage } : {}),
    };
  },
};
