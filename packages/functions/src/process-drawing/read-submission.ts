import { ValidationError } from '@security-assistant/layer-common';
import { isUploadId } from './create-upload';
import { multipartBoundary, parseMultipart, type FormPart } from '../domain/multipart';
import { isPdf } from '../domain/pdf';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from '../errors';
import { jsonObjectBody, stringMember } from '../http/json-body';

export interface UploadedFile {
  readonly filename: string;
  readonly data: Buffer;
}

/** A drawing uploaded earlier through `POST /uploads` and a presigned PUT. */
export interface UploadReference {
  readonly uploadId: string;
}

/** A validated `POST /process-drawing` request. */
export interface DrawingSubmission {
  readonly clientName: string;
  readonly projectName: string;
  readonly drawing: UploadedFile | UploadReference;
  readonly context?: UploadedFile;
}

const MAX_NAME_LENGTH = 200;

/** A file name safe as the last segment of an S3 key: no path, no odd characters. */
export function sanitiseFilename(name: string | undefined, fallback: string): string {
  const base = (name ?? '').split(/[\\/]/).pop()!;
  const safe = base
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(-100);
  return safe.length > 0 ? safe : fallback;
}

function textField(parts: FormPart[], name: string): string {
  const part = parts.find((p) => p.name === name && p.filename === undefined);
  const value = part?.data.toString('utf8').trim();
  if (!value) throw new ValidationError('MISSING_FIELD', `form field ${name} is required`);
  if (value.length > MAX_NAME_LENGTH) {
    throw new ValidationError(
      'INVALID_FIELD',
      `form field ${name} must be at most ${MAX_NAME_LENGTH} characters (given ${value.length})`,
    );
  }
  return value;
}

/**
 * Validates a drawing upload completely before anything is written: the content type
 * (415 UNSUPPORTED_MEDIA_TYPE), the size (413 PAYLOAD_TOO_LARGE), the fields (400
 * MISSING_FIELD / INVALID_FIELD / INVALID_MULTIPART) and that the drawing is a PDF
 * (415 NOT_A_PDF: the file is of a media type the API does not accept).
 */
export function readSubmission(
  contentType: string | undefined,
  body: Buffer,
  maxBytes: number,
): DrawingSubmission {
  const boundary = multipartBoundary(contentType);
  if (!boundary) {
    throw new UnsupportedMediaTypeError(
      'UNSUPPORTED_MEDIA_TYPE',
      `content type must be multipart/form-data with a boundary (given ${contentType ?? 'none'})`,
    );
  }
  if (body.length > maxBytes) {
    throw new PayloadTooLargeError(
      `request body is ${body.length} bytes; the limit is ${maxBytes} bytes`,
    );
  }
  const parts = parseMultipart(body, boundary);
  const drawingPart = parts.find((p) => p.name === 'drawing_file' && p.filename !== undefined);
  if (!drawingPart) {
    throw new ValidationError('MISSING_FIELD', 'form field drawing_file (a PDF file) is required');
  }
  const clientName = textField(parts, 'client_name');
  const projectName = textField(parts, 'project_name');
  if (!isPdf(drawingPart.data)) {
    throw new UnsupportedMediaTypeError('NOT_A_PDF', 'drawing_file must be a PDF document');
  }
  const contextPart = parts.find((p) => p.name === 'context_file' && p.data.length > 0);
  return {
    clientName,
    projectName,
    drawing: {
      filename: sanitiseFilename(drawingPart.filename, 'drawing.pdf'),
      data: drawingPart.data,
    },
    context: contextPart && {
      filename: sanitiseFilename(contextPart.filename, 'context'),
      data: contextPart.data,
    },
  };
}

/**
 * `POST /process-drawing` as JSON, `{upload_id, client_name, project_name}`: the drawing was
 * uploaded through `POST /uploads`. Checked here: the shape (400); that the upload exists and
 * is a PDF is the use case's to check, as it needs the bucket.
 */
export function readJsonSubmission(
  contentType: string | undefined,
  body: Buffer,
): DrawingSubmission {
  const request = jsonObjectBody(contentType, body);
  const uploadId = request.upload_id;
  if (uploadId === undefined || uploadId === null || uploadId === '') {
    throw new ValidationError('MISSING_FIELD', 'upload_id is required');
  }
  if (!isUploadId(uploadId)) {
    const shown = JSON.stringify(String(uploadId).slice(0, 100));
    throw new ValidationError('INVALID_UPLOAD_ID', `${shown} is not an upload id (upl_<32 hex>)`);
  }
  return {
    clientName: stringMember(request, 'client_name', MAX_NAME_LENGTH),
    projectName: stringMember(request, 'project_name', MAX_NAME_LENGTH),
    drawing: { uploadId },
  };
}

/** The submission, by content type: JSON after an upload, else a multipart form. */
export function readAnySubmission(
  contentType: string | undefined,
  body: Buffer,
  maxBytes: number,
): DrawingSubmission {
  return /^application\/json\s*(;|$)/i.test(contentType ?? '')
    ? readJsonSubmission(contentType, body)
    : readSubmission(contentType, body, maxBytes);
}
