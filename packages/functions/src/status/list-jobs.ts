import {
  JOB_STATUSES,
  ValidationError,
  type Job,
  type JobStatus,
} from '@security-assistant/layer-common';
import type { JobQuery, JobStore } from '../ports';

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

/** One job in a listing. */
export type JobSummary = Pick<
  Job,
  'job_id' | 'status' | 'client_name' | 'project_name' | 'created_at' | 'updated_at'
>;

/** The body of `GET /jobs`. */
export interface JobListing {
  readonly jobs: JobSummary[];
  /** Pass as `next_token` for the next page; null on the last page. */
  readonly next_token: string | null;
}

const PARAMETERS = ['client_name', 'status', 'limit', 'next_token'];

const invalid = (message: string) => new ValidationError('INVALID_PARAMETER', message);

/**
 * `GET /jobs`, optionally `?client_name=…` and `?status=…`, `&limit=` 1..100 (default 25),
 * `&next_token=`: the caller's own jobs, newest first, through the owner index; the client
 * and status narrow them. The token is opaque to the client: the store's key where the page
 * ended, bound to the caller and query it came from, so a token from another caller or
 * query (or an edited one) is a 400, not a wrong page.
 */
export class ListJobs {
  constructor(private readonly jobs: JobStore) {}

  async execute(params: Record<string, string | undefined>, owner: string): Promise<JobListing> {
    const unknown = Object.keys(params).filter((name) => !PARAMETERS.includes(name));
    if (unknown.length) {
      throw invalid(`unknown query parameter ${unknown[0]}; use ${PARAMETERS.join(', ')}`);
    }
    const clientName = params.client_name?.trim() || undefined;
    if (clientName && clientName.length > 200) {
      throw invalid('client_name must be at most 200 characters');
    }
    const status = params.status;
    if (status !== undefined && !(JOB_STATUSES as readonly string[]).includes(status)) {
      throw invalid(
        `status must be one of ${JOB_STATUSES.join(', ')} (given ${JSON.stringify(status.slice(0, 50))})`,
      );
    }
    const limit = pageSize(params.limit);
    const query: JobQuery = { owner, clientName, status: status as JobStatus | undefined, limit };
    const startKey = params.next_token ? decodeToken(params.next_token, query) : undefined;
    const page = await this.jobs.list({ ...query, startKey });
    return {
      jobs: page.jobs.map((job) => ({
        job_id: job.job_id,
        status: job.status,
        client_name: job.client_name,
        project_name: job.project_name,
        created_at: job.created_at,
        updated_at: job.updated_at,
      })),
      next_token: page.lastKey ? encodeToken(page.lastKey, query) : null,
    };
  }
}

function pageSize(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_PAGE_SIZE;
  const value = /^\d{1,3}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= 1 && value <= MAX_PAGE_SIZE)) {
    throw invalid(
      `limit must be a whole number from 1 to ${MAX_PAGE_SIZE} (given ${JSON.stringify(raw.slice(0, 20))})`,
    );
  }
  return value;
}

/** What a token is bound to: the caller, and the query's filters. */
const scope = (query: JobQuery) => [query.owner, query.clientName ?? null, query.status ?? null];

function encodeToken(key: Record<string, string>, query: JobQuery): string {
  return Buffer.from(JSON.stringify({ k: key, q: scope(query) })).toString('base64url');
}

function decodeToken(token: string, query: JobQuery): Record<string, string> {
  const bad = () => invalid('next_token is not a token this listing gave out');
  if (token.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(token)) throw bad();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  const { k, q } = (decoded ?? {}) as { k?: unknown; q?: unknown };
  if (JSON.stringify(q) !== JSON.stringify(scope(query))) {
    throw invalid(
      'next_token belongs to another query or caller; repeat the same client_name and status',
    );
  }
  if (
    typeof k !== 'object' ||
    k === null ||
    Array.isArray(k) ||
    !Object.values(k).every((v) => typeof v === 'string' && v.length <= 300) ||
    !('job_id' in k) ||
    !('created_at' in k)
  ) {
    throw bad();
  }
  return k as Record<string, string>;
}
