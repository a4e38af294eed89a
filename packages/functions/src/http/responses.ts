import type { Logger } from '@security-assistant/layer-common';
import { NotFoundError, ValidationError } from '@security-assistant/layer-common/core';
import type { APIGatewayProxyResult } from 'aws-lambda';
import {
  ForbiddenError,
  JobNotFoundError,
  PayloadTooLargeError,
  QueueUnavailableError,
  UnsupportedMediaTypeError,
  UploadNotFoundError,
} from '../errors';

const HEADERS = { 'content-type': 'application/json' };

export function json(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: HEADERS, body: JSON.stringify(body) };
}

/** HTTP status for an error the platform raised on purpose; anything else is a 500. */
function statusOf(err: unknown): number {
  if (err instanceof PayloadTooLargeError) return 413;
  if (err instanceof UnsupportedMediaTypeError) return 415;
  if (err instanceof ForbiddenError) return 403;
  if (err instanceof ValidationError) return 400;
  if (
    err instanceof JobNotFoundError ||
    err instanceof UploadNotFoundError ||
    err instanceof NotFoundError
  ) {
    return 404;
  }
  if (err instanceof QueueUnavailableError) return 503;
  return 500;
}

/**
 * Maps an error to `{"error": {"code", "message"}}`. Unexpected errors are logged and
 * answered without their message, which may name internal resources.
 */
export function errorResponse(err: unknown, logger: Logger): APIGatewayProxyResult {
  const statusCode = statusOf(err);
  if (statusCode === 500) {
    logger.error('unexpected error', err as Error);
    return json(500, { error: { code: 'INTERNAL_ERROR', message: 'internal error' } });
  }
  const { code, message } = err as ValidationError;
  // `message` is a key Powertools reserves (and drops): log the reason under keys it keeps
  const reason = { error_code: code, error_message: message };
  if (statusCode >= 500) {
    logger.error('request failed', reason);
  } else {
    logger.info('request rejected', reason);
  }
  return json(statusCode, { error: { code, message } });
}

/** A header's value whatever its case (API Gateway keeps the client's spelling). */
export function header(
  headers: Record<string, string | undefined> | null,
  name: string,
): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}
