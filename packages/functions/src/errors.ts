import {
  NotFoundError,
  PlatformError,
  ValidationError,
} from '@security-assistant/layer-common/core';

/** The request body is larger than the API accepts (HTTP 413). */
export class PayloadTooLargeError extends ValidationError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('PAYLOAD_TOO_LARGE', message, options);
  }
}

/** The request or the uploaded file is of a type the API does not accept (HTTP 415). */
export class UnsupportedMediaTypeError extends ValidationError {}

/** The caller may not do this: an unknown caller, or a client it may not act for (HTTP 403). */
export class ForbiddenError extends ValidationError {}

/** No job has the requested id (HTTP 404). */
export class JobNotFoundError extends PlatformError {
  public readonly code = 'JOB_NOT_FOUND';
}

/** No upload has the given id, or nothing was uploaded to it (HTTP 404). */
export class UploadNotFoundError extends PlatformError {
  public readonly code = 'UPLOAD_NOT_FOUND';
}

/** The job could not be queued; nothing of it was kept (HTTP 503). */
export class QueueUnavailableError extends PlatformError {
  public readonly code = 'QUEUE_UNAVAILABLE';
}

export { NotFoundError };
