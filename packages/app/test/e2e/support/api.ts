import type { PlatformInfo } from './local-platform';

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

/** A user of the platform's HTTP API, holding the platform's API key. */
export class Api {
  constructor(private readonly info: PlatformInfo) {}

  /** `POST /process-drawing` with the fields given (a field left undefined is not sent). */
  submit(submission: Submission, apiKey: string | null = this.info.apiKey): Promise<ApiResponse> {
    const form = new FormData();
    if (submission.pdf) {
      form.append(
        'drawing_file',
        new Blob([submission.pdf], { type: 'application/pdf' }),
        submission.filename ?? 'drawing.pdf',
      );
    }
    if (submission.clientName !== undefined) form.append('client_name', submission.clientName);
    if (submission.projectName !== undefined) form.append('project_name', submission.projectName);
    return this.request('POST', '/process-drawing', { body: form, apiKey });
  }

  status(jobId: string, apiKey: string | null = this.info.apiKey): Promise<ApiResponse> {
    return this.request('GET', `/status/${encodeURIComponent(jobId)}`, { apiKey });
  }

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
      // left as text; the assertions will say so
    }
    return { status: res.status, body };
  }
}
