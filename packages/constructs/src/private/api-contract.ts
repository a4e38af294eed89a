/**
 * The HTTP API's contract, in one place: its routes, their parameters, request bodies,
 * answers and error codes. `PlatformApi` builds API Gateway's resources, methods, required
 * request parameters and request models from it, and the build writes the OpenAPI 3.1
 * document (`openapi.json`) from it (tools/openapi.mjs), so the two cannot drift. The
 * end-to-end tests check every answer of the local platform against that document.
 * Schemas are JSON Schema 2020-12, the dialect of OpenAPI 3.1.
 */

/** A JSON Schema (2020-12). */
export type Schema = { readonly [keyword: string]: unknown };

/** The version of the contract; a breaking change to it is a new major. */
export const API_VERSION = '1.0.0';

/** Which function serves a route. */
export type Integration = 'processDrawing' | 'status' | 'health';

export interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required: boolean;
  readonly description: string;
  readonly schema: Schema;
}

export interface Route {
  readonly method: 'GET' | 'POST';
  /** `/status/{job_id}` */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description: string;
  readonly integration: Integration;
  /** Needs a caller's API key (or a SigV4 signature under IAM authorization). */
  readonly authenticated: boolean;
  readonly parameters: Parameter[];
  /** Request bodies by media type; JSON ones also become API Gateway request models. */
  readonly body?: {
    readonly [mediaType: string]: { readonly model?: string; readonly schema: Schema };
  };
  readonly success: {
    readonly status: number;
    readonly description: string;
    readonly schema: string;
  };
  /** Error codes by HTTP status: the functions' own, then API Gateway's. */
  readonly errors: { readonly [status: number]: string[] };
}

const JOB_STATUSES = ['queued', 'processing', 'completed', 'failed'];
const STAGES = ['validation', 'pdf_processing', 'drawing_analysis', 'result_generation'];
const JOB_ID = '^job_\\d{13}_[0-9a-f]{12}$';
const UPLOAD_ID = '^upl_[0-9a-f]{32}$';
const NAME = { type: 'string', minLength: 1, maxLength: 200 };

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const object = (
  properties: Record<string, Schema>,
  required = Object.keys(properties),
): Schema => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});
const nullable = (schema: Schema): Schema => ({ ...schema, type: [schema.type, 'null'] });

/** What a job is in a listing; its status says all this and more. */
const JOB_SUMMARY: Record<string, Schema> = {
  job_id: { type: 'string', pattern: JOB_ID },
  status: { type: 'string', enum: JOB_STATUSES },
  client_name: { type: 'string' },
  project_name: { type: 'string' },
  created_at: { type: 'string', format: 'date-time' },
  updated_at: { type: 'string', format: 'date-time' },
};

/** The bodies the API answers with, by name (`components.schemas`). */
export const SCHEMAS: Record<string, Schema> = {
  Error: {
    ...object({
      error: object({
        code: {
          type: 'string',
          description: 'Stable, machine-readable: see each answer for its codes',
        },
        message: { type: 'string', description: 'What was wrong, for people' },
      }),
    }),
    description: 'Every error, raised by a function or by API Gateway itself',
  },
  JobAccepted: object({
    job_id: { type: 'string', pattern: JOB_ID },
    status: { type: 'string', const: 'queued' },
  }),
  JobStatus: object(
    {
      ...JOB_SUMMARY,
      stages_completed: { type: 'array', items: { type: 'string', enum: STAGES } },
      current_stage: {
        type: ['string', 'null'],
        enum: [...STAGES, null],
        description: 'null once the job has finished',
      },
      last_checkpoint: nullable({ type: 'string', format: 'date-time' }),
      result: { ...ref('Result'), description: 'Only when completed' },
      error: { ...ref('JobError'), description: 'Only when failed' },
    },
    [
      'job_id',
      'status',
      'client_name',
      'project_name',
      'created_at',
      'updated_at',
      'stages_completed',
      'current_stage',
      'last_checkpoint',
    ],
  ),
  Result: object(
    {
      total_components: { type: 'integer', minimum: 0 },
      counts_by_type: { type: 'object', additionalProperties: { type: 'integer', minimum: 1 } },
      warnings: {
        type: 'array',
        items: { type: 'string' },
        description:
          'What may be incomplete (nothing read, tags nothing could type); absent when none',
      },
      model_usage: object({
        model: { type: 'string' },
        input_tokens: { type: 'integer', minimum: 0 },
        output_tokens: { type: 'integer', minimum: 0 },
      }),
      download_url: {
        type: 'string',
        format: 'uri',
        description: 'The components as JSON, presigned',
      },
      csv_download_url: {
        type: 'string',
        format: 'uri',
        description: 'The schedule as CSV, presigned',
      },
      download_expires_in: { type: 'integer', description: 'Seconds the two links work' },
    },
    [
      'total_components',
      'counts_by_type',
      'download_url',
      'csv_download_url',
      'download_expires_in',
    ],
  ),
  JobError: object({ code: { type: 'string' }, message: { type: 'string' } }),
  JobList: object({
    jobs: {
      type: 'array',
      items: object(JOB_SUMMARY),
    },
    next_token: nullable({ type: 'string', description: 'For the next page; null on the last' }),
  }),
  CreatedUpload: object({
    upload_id: { type: 'string', pattern: UPLOAD_ID },
    upload_url: { type: 'string', format: 'uri' },
    method: { type: 'string', const: 'PUT' },
    headers: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'Send exactly these with the PUT: the URL is signed for them',
    },
    expires_in: { type: 'integer', description: 'Seconds the upload URL works' },
  }),
  Health: object({
    status: { type: 'string', const: 'ok' },
    version: { type: 'string' },
    stage: { type: 'string' },
  }),
};

/** What API Gateway answers on its own on an authenticated route (its response types). */
const GATEWAY_AUTH = [
  'INVALID_API_KEY',
  'MISSING_AUTHENTICATION_TOKEN',
  'INVALID_SIGNATURE',
  'EXPIRED_TOKEN',
  'ACCESS_DENIED',
  'WAF_FILTERED',
];
const GATEWAY_FAILURES = {
  429: ['THROTTLED', 'QUOTA_EXCEEDED'],
  502: ['INTEGRATION_FAILURE'],
  504: ['INTEGRATION_TIMEOUT'],
};

const CONTENT_TYPE: Parameter = {
  name: 'Content-Type',
  in: 'header',
  required: true,
  description: 'multipart/form-data (with its boundary) or application/json',
  schema: { type: 'string' },
};

export const ROUTES: Route[] = [
  {
    method: 'POST',
    path: '/process-drawing',
    operationId: 'processDrawing',
    summary: 'Submit a drawing',
    description:
      'A PDF drawing as a multipart form, or JSON naming an upload made through POST /uploads. ' +
      'Everything is checked before anything is stored: a refused request leaves no job.',
    integration: 'processDrawing',
    authenticated: true,
    parameters: [CONTENT_TYPE],
    body: {
      'multipart/form-data': {
        schema: {
          type: 'object',
          properties: {
            drawing_file: {
              type: 'string',
              contentMediaType: 'application/pdf',
              description: 'The PDF',
            },
            client_name: NAME,
            project_name: NAME,
            context_file: { type: 'string', contentMediaType: 'application/octet-stream' },
          },
          required: ['drawing_file', 'client_name', 'project_name'],
        },
      },
      'application/json': {
        model: 'SubmitUpload',
        schema: object({
          upload_id: { type: 'string', pattern: UPLOAD_ID },
          client_name: NAME,
          project_name: NAME,
        }),
      },
    },
    success: { status: 202, description: 'Queued', schema: 'JobAccepted' },
    errors: {
      400: [
        'MISSING_FIELD',
        'INVALID_FIELD',
        'INVALID_MULTIPART',
        'INVALID_JSON',
        'INVALID_UPLOAD_ID',
        'BAD_REQUEST_PARAMETERS',
      ],
      403: ['CLIENT_NOT_ALLOWED', 'CALLER_UNKNOWN', ...GATEWAY_AUTH],
      404: ['UPLOAD_NOT_FOUND'],
      413: ['PAYLOAD_TOO_LARGE', 'REQUEST_TOO_LARGE'],
      415: ['UNSUPPORTED_MEDIA_TYPE', 'NOT_A_PDF'],
      500: ['INTERNAL_ERROR'],
      503: ['QUEUE_UNAVAILABLE'],
      ...GATEWAY_FAILURES,
    },
  },
  {
    method: 'POST',
    path: '/uploads',
    operationId: 'createUpload',
    summary: 'Get a presigned URL for a large drawing',
    description:
      'A presigned S3 PUT for a drawing too large for the API (over 4 MiB), bound to its type, ' +
      'exact length and name; submit it afterwards with POST /process-drawing and its upload_id.',
    integration: 'processDrawing',
    authenticated: true,
    parameters: [{ ...CONTENT_TYPE, description: 'application/json' }],
    body: {
      'application/json': {
        model: 'CreateUpload',
        schema: object({
          filename: NAME,
          content_type: { type: 'string', const: 'application/pdf' },
          size_bytes: {
            type: 'integer',
            minimum: 1,
            description: "At most the platform's maxUploadBytes (100 MiB by default), else 413",
          },
        }),
      },
    },
    success: { status: 201, description: 'Upload URL created', schema: 'CreatedUpload' },
    errors: {
      400: ['MISSING_FIELD', 'INVALID_FIELD', 'INVALID_JSON', 'BAD_REQUEST_PARAMETERS'],
      403: ['CALLER_UNKNOWN', ...GATEWAY_AUTH],
      413: ['PAYLOAD_TOO_LARGE', 'REQUEST_TOO_LARGE'],
      415: ['UNSUPPORTED_MEDIA_TYPE', 'NOT_A_PDF'],
      500: ['INTERNAL_ERROR'],
      ...GATEWAY_FAILURES,
    },
  },
  {
    method: 'GET',
    path: '/status/{job_id}',
    operationId: 'getJobStatus',
    summary: "A job's status, and its result once completed",
    description: "Another caller's job is a 404, exactly like one that never existed.",
    integration: 'status',
    authenticated: true,
    parameters: [
      {
        name: 'job_id',
        in: 'path',
        required: true,
        description: 'job_<13 digits>_<12 hex>',
        schema: { type: 'string' },
      },
    ],
    success: { status: 200, description: 'The job', schema: 'JobStatus' },
    errors: {
      400: ['INVALID_JOB_ID'],
      403: ['CALLER_UNKNOWN', ...GATEWAY_AUTH],
      404: ['JOB_NOT_FOUND'],
      500: ['INTERNAL_ERROR'],
      ...GATEWAY_FAILURES,
    },
  },
  {
    method: 'GET',
    path: '/jobs',
    operationId: 'listJobs',
    summary: "The caller's own jobs, newest first",
    description: 'client_name and status narrow the listing; any other parameter is a 400.',
    integration: 'status',
    authenticated: true,
    parameters: [
      {
        name: 'client_name',
        in: 'query',
        required: false,
        description: 'Only this client',
        schema: NAME,
      },
      {
        name: 'status',
        in: 'query',
        required: false,
        description: 'Only jobs in this status',
        schema: { type: 'string', enum: JOB_STATUSES },
      },
      {
        name: 'limit',
        in: 'query',
        required: false,
        description: 'Page size',
        schema: { type: 'integer', minimum: 1, maximum: 100, default: 25 },
      },
      {
        name: 'next_token',
        in: 'query',
        required: false,
        description: "The previous page's next_token, with the same client_name and status",
        schema: { type: 'string', maxLength: 2048 },
      },
    ],
    success: { status: 200, description: 'A page of jobs', schema: 'JobList' },
    errors: {
      400: ['INVALID_PARAMETER'],
      403: ['CALLER_UNKNOWN', ...GATEWAY_AUTH],
      500: ['INTERNAL_ERROR'],
      ...GATEWAY_FAILURES,
    },
  },
  {
    method: 'GET',
    path: '/health',
    operationId: 'health',
    summary: 'Version and stage, for smoke tests (no key)',
    description: 'The only route without authentication.',
    integration: 'health',
    authenticated: false,
    parameters: [],
    success: { status: 200, description: 'Serving', schema: 'Health' },
    errors: {
      403: ['WAF_FILTERED'],
      429: ['THROTTLED'],
      500: ['INTERNAL_ERROR'],
      502: GATEWAY_FAILURES[502],
      504: GATEWAY_FAILURES[504],
    },
  },
];
