import { randomBytes } from 'node:crypto';

export const JOB_STATUSES = ['queued', 'processing', 'completed', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Processing stages, in the order the processor runs them. */
export const PROCESSING_STAGES = [
  'validation',
  'pdf_processing',
  'drawing_analysis',
  'result_generation',
] as const;
export type ProcessingStage = (typeof PROCESSING_STAGES)[number];

/**
 * Where a component is printed: its 1-based page, and the start of its tag's baseline in
 * points from the page's top-left corner (1 pt = 1/72 in).
 */
export interface ComponentPlace {
  readonly page: number;
  readonly x: number;
  readonly y: number;
}

/** One component found on a drawing. */
export interface DrawingComponent {
  readonly id: string;
  readonly type: string;
  /** The 1-based page the component is drawn on (its first), when the analyser knows it. */
  readonly page?: number;
  /**
   * Every place its tag is printed, page by page, when the analyser reads positions (the
   * offline one does). A component found on two pages is one component with both places.
   */
  readonly places?: ComponentPlace[];
  /** The analyser's confidence, 0..1, when it gives one (the model does). */
  readonly confidence?: number;
}

/** What a model analyser consumed, stored on the job and reported as metrics. */
export interface ModelUsage {
  readonly model: string;
  readonly input_tokens: number;
  readonly output_tokens: number;
}

/** What a completed job keeps in its item; the full result lives in S3. */
export interface ResultSummary {
  readonly total_components: number;
  readonly counts_by_type: Record<string, number>;
  readonly result_key: string;
  readonly csv_key: string;
  /** What the user should know about a result that may be incomplete (none: omitted). */
  readonly warnings?: string[];
  /** Tokens the model used, when a model analysed the drawing. */
  readonly model_usage?: ModelUsage;
}

export interface JobError {
  readonly code: string;
  readonly message: string;
}

/** The job item as stored in the jobs table. */
export interface Job {
  readonly job_id: string;
  readonly status: JobStatus;
  readonly client_name: string;
  readonly project_name: string;
  readonly drawing_key: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly stages_completed: ProcessingStage[];
  readonly current_stage?: ProcessingStage;
  readonly last_checkpoint?: string;
  readonly result?: ResultSummary;
  readonly error?: JobError;
  /** Epoch seconds after which DynamoDB may delete the item. */
  readonly expires_at: number;
  /**
   * The caller that created the job: only it may read, list or download it. Absent on jobs
   * created before callers existed, which only an admin caller may read.
   */
  readonly owner?: string;
  /** How the caller authenticated: `apikey:<API key id>` or `iam:<principal ARN>`. */
  readonly submitted_by?: string;
}

/** The body of a processing-queue message. */
export interface JobMessage {
  readonly job_id: string;
}

/** Jobs are kept for 30 days. */
export const JOB_TTL_SECONDS = 30 * 24 * 60 * 60;

const JOB_ID = /^job_\d{13}_[0-9a-f]{12}$/;

/**
 * `job_<epoch millis>_<48 random bits>`: sortable by creation time, and the random suffix
 * keeps concurrent requests within the same millisecond apart.
 */
export function newJobId(now: Date = new Date()): string {
  return `job_${now.getTime()}_${randomBytes(6).toString('hex')}`;
}

export function isJobId(value: string): boolean {
  return JOB_ID.test(value);
}

/** The first stage not yet completed, or undefined when every stage is done. */
export function nextStage(completed: readonly ProcessingStage[]): ProcessingStage | undefined {
  return PROCESSING_STAGES.find((stage) => !completed.includes(stage));
}

export function isTerminal(status: JobStatus): boolean {
  return status === 'completed' || status === 'failed';
}

/**
 * The jobs table's key schema, shared by the construct that creates the table and the
 * adapters that query it, so the two cannot disagree.
 */
export const JOB_TABLE_SCHEMA = {
  partitionKey: 'job_id',
  ttlAttribute: 'expires_at',
  indexes: {
    byStatus: {
      indexName: 'status-created_at-index',
      partitionKey: 'status',
      sortKey: 'created_at',
    },
    byClient: {
      indexName: 'client-created_at-index',
      partitionKey: 'client_name',
      sortKey: 'created_at',
    },
    /** A caller's own jobs (`GET /jobs`); jobs without an owner are not in it. */
    byOwner: {
      indexName: 'owner-created_at-index',
      partitionKey: 'owner',
      sortKey: 'created_at',
    },
  },
} as const;
