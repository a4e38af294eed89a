import { contract } from './contract';
import type { PlatformInfo } from './local-platform';
import { platformClient, type PlatformClient, type paths } from '../../../src/client';

export interface ApiResponse {
  readonly status: number;
  readonly body: any;
}

export interface Submission {
  readonly pdf?: Buffer;
  readonly filename?: string;
  readonly clientName?: string;
  readonly projectName?: string;
}

type ListQuery = NonNullable<paths['/jobs']['get']['parameters']['query']>;
type UploadRequest = paths['/uploads']['post']['requestBody']['content']['application/json'];
type UploadSubmission =
  paths['/process-drawing']['post']['requestBody']['content']['application/json'];

/**
 * A user of the platform's HTTP API, holding the platform's API key. Well-formed requests go
 * through the typed client generated from the OpenAPI document; malformed ones, which that
 * client cannot express, through {@link request}. Every answer either way is checked against
 * the document (status, body, error code): one that breaks the contract fails the test.
 */
export class Api {
  constructor(private readonly info: PlatformInfo) {}

  /** The typed client acting as the caller whose key is `apiKey` (null: no key). */
  client(apiKey: string | null = this.info.apiKey): PlatformClient {
    return platformClient(this.info.apiUrl, apiKey ?? undefined);
  }

  /** `POST /process-drawing` as a form with the fields given (one left undefined is not sent). */
  async submit(
    submission: Submission,
    apiKey: string | null = this.info.apiKey,
  ): Promise<ApiResponse> {
    const result = await this.client(apiKey).POST('/process-drawing', {
      // the document's form fields; the negative tests leave some out
      body: {
        drawing_file: submission.pdf,
        client_name: submission.clientName,
        project_name: submission.projectName,
      } as unknown as UploadSubmission,
      bodySerializer: () => {
        const form = new FormData();
        if (submission.pdf) {
          form.append(
            'drawing_file',
            new Blob([submission.pdf], { type: 'application/pdf' }),
            submission.filename ?? 'drawing.pdf',
          );
        }
        if (submission.clientName !== undefined) form.append('client_name', submission.clientName);
        if (submission.projectName !== undefined) {
          form.append('project_name', submission.projectName);
        }
        return form;
      },
    });
    return this.checked('POST', '/process-drawing', result);
  }

  /** `POST /process-drawing` as JSON, naming an upload. */
  async submitUpload(
    body: UploadSubmission,
    apiKey: string | null = this.info.apiKey,
  ): Promise<ApiResponse> {
    const result = await this.client(apiKey).POST('/process-drawing', { body });
    return this.checked('POST', '/process-drawing', result);
  }

  /** `POST /uploads`. */
  async createUpload(
    body: UploadRequest,
    apiKey: string | null = this.info.apiKey,
  ): Promise<ApiResponse> {
    const result = await this.client(apiKey).POST('/uploads', { body });
    return this.checked('POST', '/uploads', result);
  }

  /** `GET /status/{job_id}`. */
  async status(jobId: string, apiKey: string | null = this.info.apiKey): Promise<ApiResponse> {
    const result = await this.client(apiKey).GET('/status/{job_id}', {
      params: { path: { job_id: jobId } },
    });
    return this.checked('GET', `/status/${encodeURIComponent(jobId)}`, result);
  }

  /** `GET /jobs` with the query given. */
  async listJobs(
    query: ListQuery = {},
    apiKey: string | null = this.info.apiKey,
  ): Promise<ApiResponse> {
    const result = await this.client(apiKey).GET('/jobs', { params: { query } });
    return this.checked('GET', '/jobs', result);
  }

  /** `GET /health`, without a key. */
  async health(): Promise<ApiResponse> {
    return this.checked('GET', '/health', await this.client(null).GET('/health'));
  }

  /** Any request, as sent: for the malformed ones the typed client cannot express. */
  async request(
    method: string,
    path: string,
    options: {
      body?: FormData | string | Buffer;
      headers?: Record<string, string>;
      apiKey?: string | null;
    } = {},
  ): Promise<ApiResponse> {
    const apiKey = options.apiKey === undefined ? this.info.apiKey : options.apiKey;
    const res = await fetch(`${this.info.apiUrl}${path}`, {
      method,
      body: options.body,
      headers: { ...options.headers, ...(apiKey !== null && { 'x-api-key': apiKey }) },
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // left as text; the assertions (and the contract) will say so
    }
    return this.checkAnswer(method, path, { status: res.status, body });
  }

  private checked(
    method: string,
    path: string,
    result: { data?: unknown; error?: unknown; response: Response },
  ): ApiResponse {
    return this.checkAnswer(method, path, {
      status: result.response.status,
      body: result.data ?? result.error,
    });
  }

  private checkAnswer(method: string, path: string, res: ApiResponse): ApiResponse {
    const problems = contract.answerProblems(method, path, res.status, res.body);
    if (problems.length > 0) {
      throw new Error(`the answer breaks the API's OpenAPI document:\n${problems.join('\n')}`);
    }
    return res;
  }
}
