import {
  PermanentJobError,
  TransientJobError,
  type DrawingComponent,
} from '@security-assistant/layer-common';
import { COMPONENT_GRAMMAR } from '../domain/components';
import type { AnalysisResult, DrawingAnalyser, DrawingInput } from '../ports';

export const GEMINI_DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com';

/** The component types a model may answer: the offline analyser's vocabulary, and `other`. */
export const MODEL_COMPONENT_TYPES = [...COMPONENT_GRAMMAR.map((g) => g.type), 'other'];

export interface GeminiAnalyserOptions {
  /** The model, e.g. `gemini-2.5-flash` (the construct's `modelName` prop). */
  readonly model: string;
  /** The API key (the SSM SecureString, cached by the caller). */
  readonly apiKey: () => Promise<string>;
  /** @default GEMINI_DEFAULT_BASE_URL (`GEMINI_BASE_URL` points it at a stand-in) */
  readonly baseUrl?: string;
  /** Time one analysis may spend waiting between retries. @default 60 s */
  readonly maxWaitMs?: number;
  /** Time one HTTP request may take. @default 120 s */
  readonly requestTimeoutMs?: number;
  /** Larger drawings go through the Files API. @default 20 MB */
  readonly inlineLimitBytes?: number;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

/**
 * The model asked to be called again later than this invocation may wait: the processor
 * puts the message back on the queue with that delay instead of failing the job.
 */
export class ModelRetryLaterError extends TransientJobError {
  constructor(
    message: string,
    public readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** A stage keeps this much of the invocation for itself after the model answers. */
const STAGE_RESERVE_MS = 30_000;
const RETRYABLE = new Set([429, 500, 502, 503, 504]);
const MAX_ATTEMPTS = 8;

const PROMPT =
  'This PDF is a security drawing (floor plan). List every security component drawn on it: ' +
  'doors, door contacts, card readers, exit buttons or request-to-exit devices, cameras, ' +
  'magnetic locks, electric strikes, motion sensors (PIR) and intercoms. For each, give its ' +
  'type, its label exactly as written on the drawing (e.g. "D-101", "CR-01"), the 1-based ' +
  'page it is on, and your confidence from 0 to 1. Use type "other" for a security device ' +
  'of another kind. List a component once even if it is labelled twice.';

const RESPONSE_SCHEMA = {
  type: 'OBJECT',
  properties: {
    components: {
      type: 'ARRAY',
      items: {
        type: 'OBJECT',
        properties: {
          type: { type: 'STRING', enum: MODEL_COMPONENT_TYPES },
          label: { type: 'STRING' },
          page: { type: 'INTEGER' },
          confidence: { type: 'NUMBER' },
        },
        required: ['type', 'label', 'page', 'confidence'],
      },
    },
  },
  required: ['components'],
};

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any;
}

/**
 * Finds components with Gemini (`generateContent`, structured JSON output). Rate limits and
 * server errors are waited out as the server asks (Retry-After, else RetryInfo, else
 * exponential backoff with full jitter), within a bound; beyond it the message goes back to
 * the queue with the delay. A rejected request or key fails the job at once, and output that
 * does not match the schema is asked for once more before the job fails.
 */
export class GeminiAnalyser implements DrawingAnalyser {
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: GeminiAnalyserOptions) {
    this.baseUrl = (options.baseUrl ?? GEMINI_DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.fetch = options.fetch ?? globalThis.fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async analyse(input: DrawingInput): Promise<AnalysisResult> {
    const key = await this.options.apiKey();
    const budget = { waitedMs: 0 };
    const drawing = await this.drawingPart(input, key, budget);
    const body = JSON.stringify({
      contents: [{ role: 'user', parts: [drawing, { text: PROMPT }] }],
      generationConfig: {
        responseMimeType: 'application/json',
        responseSchema: RESPONSE_SCHEMA,
        temperature: 0,
      },
    });
    const url = `${this.baseUrl}/v1beta/models/${encodeURIComponent(this.options.model)}:generateContent`;
    let inputTokens = 0;
    let outputTokens = 0;
    let problem = '';
    for (let attempt = 1; attempt <= 2; attempt++) {
      const answer = await this.call(input, budget, () =>
        this.fetch(url, {
          method: 'POST',
          headers: { 'x-goog-api-key': key, 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 120_000),
        }),
      );
      inputTokens += Number(answer.body?.usageMetadata?.promptTokenCount ?? 0);
      outputTokens += Number(answer.body?.usageMetadata?.candidatesTokenCount ?? 0);
      const parsed = parseComponents(answer.body);
      if (typeof parsed !== 'string') {
        return {
          components: parsed,
          usage: {
            model: this.options.model,
            input_tokens: inputTokens,
            output_tokens: outputTokens,
          },
        };
      }
      problem = parsed;
    }
    throw new PermanentJobError(
      'MODEL_OUTPUT_INVALID',
      `the model's answer did not match the component schema twice: ${problem}`,
    );
  }

  /** The drawing inline (base64) up to the limit, else uploaded through the Files API. */
  private async drawingPart(input: DrawingInput, key: string, budget: { waitedMs: number }) {
    if (input.pdf.length <= (this.options.inlineLimitBytes ?? 20 * 1024 * 1024)) {
      return { inline_data: { mime_type: 'application/pdf', data: input.pdf.toString('base64') } };
    }
    const start = await this.call(input, budget, () =>
      this.fetch(`${this.baseUrl}/upload/v1beta/files`, {
        method: 'POST',
        headers: {
          'x-goog-api-key': key,
          'X-Goog-Upload-Protocol': 'resumable',
          'X-Goog-Upload-Command': 'start',
          'X-Goog-Upload-Header-Content-Length': String(input.pdf.length),
          'X-Goog-Upload-Header-Content-Type': 'application/pdf',
          'content-type': 'application/json',
        },
        body: JSON.stringify({ file: { display_name: `${input.jobId}.pdf` } }),
      }),
    );
    const uploadUrl = start.headers.get('x-goog-upload-url');
    if (!uploadUrl) throw new TransientJobError('the Files API gave no upload URL');
    const uploaded = await this.call(input, budget, () =>
      this.fetch(uploadUrl, {
        method: 'POST',
        headers: {
          'x-goog-api-key': key,
          'X-Goog-Upload-Command': 'upload, finalize',
          'X-Goog-Upload-Offset': '0',
        },
        body: input.pdf,
        signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 120_000),
      }),
    );
    let file = uploaded.body?.file;
    while (file?.state === 'PROCESSING') {
      await this.wait(input, budget, 1000, 'the uploaded drawing is still being processed');
      file = (
        await this.call(input, budget, () =>
          this.fetch(`${this.baseUrl}/v1beta/${file.name}`, { headers: { 'x-goog-api-key': key } }),
        )
      ).body;
    }
    if (!file?.uri || file.state === 'FAILED') {
      throw new PermanentJobError('MODEL_REJECTED', 'the Files API could not take the drawing');
    }
    return { file_data: { mime_type: 'application/pdf', file_uri: file.uri } };
  }

  /** One request, retried on 429/5xx and network errors as the server asks, within the bound. */
  private async call(
    input: DrawingInput,
    budget: { waitedMs: number },
    send: () => Promise<Response>,
  ): Promise<Answer> {
    for (let attempt = 1; ; attempt++) {
      let answer: Answer;
      try {
        const response = await send();
        const text = await response.text();
        answer = { status: response.status, headers: response.headers, body: parseJson(text) };
      } catch (err) {
        // a timeout or a dropped connection: retryable like a 503
        answer = {
          status: 0,
          headers: new Headers(),
          body: { error: { message: (err as Error).message } },
        };
      }
      if (answer.status >= 200 && answer.status < 300) return answer;
      const reason = `${answer.status || 'no answer'}: ${errorMessage(answer.body)}`;
      if (answer.status === 401 || answer.status === 403) {
        throw new PermanentJobError('MODEL_AUTH', `the model refused the API key (${reason})`);
      }
      if (answer.status !== 0 && !RETRYABLE.has(answer.status)) {
        if (answer.status >= 400 && answer.status < 500) {
          throw new PermanentJobError(
            'MODEL_REJECTED',
            `the model rejected the request (${reason})`,
          );
        }
        throw new TransientJobError(`the model failed (${reason})`);
      }
      if (attempt >= MAX_ATTEMPTS) {
        throw new TransientJobError(`the model kept failing after ${attempt} attempts (${reason})`);
      }
      const delay = retryDelayMs(answer, attempt, this.options.random ?? Math.random);
      await this.wait(input, budget, delay, `the model answered ${reason}`);
    }
  }

  /** Waits `ms` if the bound and the invocation allow; otherwise hands the wait to the queue. */
  private async wait(input: DrawingInput, budget: { waitedMs: number }, ms: number, why: string) {
    const maxWait = this.options.maxWaitMs ?? 60_000;
    const left = input.remainingMillis?.() ?? Infinity;
    if (budget.waitedMs + ms > maxWait || left - ms < STAGE_RESERVE_MS) {
      throw new ModelRetryLaterError(
        `${why}; retrying in ${Math.ceil(ms / 1000)} s from the queue`,
        Math.max(1, Math.ceil(ms / 1000)),
      );
    }
    budget.waitedMs += ms;
    await this.sleep(ms);
  }
}

/**
 * How long to wait before the next attempt: `Retry-After` (seconds or an HTTP date), else the
 * `RetryInfo.retryDelay` of the error details, else exponential backoff with full jitter.
 */
export function retryDelayMs(
  answer: { headers: Headers; body: unknown },
  attempt: number,
  random: () => number,
): number {
  const header = answer.headers.get('retry-after');
  if (header) {
    const seconds = Number(header);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(header);
    if (!Number.isNaN(date)) return Math.max(0, date - Date.now());
  }
  const details = (answer.body as any)?.error?.details;
  if (Array.isArray(details)) {
    for (const detail of details) {
      const match = /^(\d+(?:\.\d+)?)s$/.exec(String(detail?.retryDelay ?? ''));
      if (String(detail?.['@type']).endsWith('google.rpc.RetryInfo') && match) {
        return Number(match[1]) * 1000;
      }
    }
  }
  return random() * Math.min(30_000, 1000 * 2 ** (attempt - 1));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function errorMessage(body: any): string {
  if (typeof body === 'string') return body.slice(0, 200) || 'no body';
  return String(body?.error?.message ?? body?.error?.status ?? 'no message').slice(0, 200);
}

/** The components of a `generateContent` answer, or what is wrong with it. */
function parseComponents(body: any): DrawingComponent[] | string {
  const candidate = body?.candidates?.[0];
  if (!candidate) {
    return `no candidates (${body?.promptFeedback?.blockReason ?? 'no reason given'})`;
  }
  if (candidate.finishReason && !['STOP', 'MAX_TOKENS'].includes(candidate.finishReason)) {
    return `generation stopped: ${candidate.finishReason}`;
  }
  const text = (candidate.content?.parts ?? []).map((p: any) => p?.text ?? '').join('');
  let output: any;
  try {
    output = JSON.parse(text);
  } catch {
    return `the output is not JSON: ${JSON.stringify(text.slice(0, 80))}`;
  }
  if (!Array.isArray(output?.components)) return 'the output has no components array';
  const byId = new Map<string, DrawingComponent>();
  for (const [i, item] of output.components.entries()) {
    const label = typeof item?.label === 'string' ? item.label.trim() : '';
    if (!label) return `component ${i} has no label`;
    if (!Number.isInteger(item.page) || item.page < 1) return `component ${i} has no valid page`;
    if (typeof item.confidence !== 'number') return `component ${i} has no confidence`;
    const type = MODEL_COMPONENT_TYPES.includes(item.type) ? item.type : 'other';
    if (!byId.has(label)) {
      byId.set(label, {
        id: label,
        type,
        page: item.page,
        confidence: Math.min(1, Math.max(0, item.confidence)),
      });
    }
  }
  return [...byId.values()];
}
