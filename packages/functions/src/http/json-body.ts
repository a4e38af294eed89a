import { ValidationError } from '@security-assistant/layer-common/core';
import { UnsupportedMediaTypeError } from '../errors';

/** A JSON object body, or a 415/400 saying why not. */
export function jsonObjectBody(
  contentType: string | undefined,
  body: Buffer,
): Record<string, unknown> {
  if (!/^application\/json\s*(;|$)/i.test(contentType ?? '')) {
    throw new UnsupportedMediaTypeError(
      'UNSUPPORTED_MEDIA_TYPE',
      `content type must be application/json (given ${contentType ?? 'none'})`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch (err) {
    throw new ValidationError(
      'INVALID_JSON',
      `the body is not UTF-8 JSON: ${(err as Error).message}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError('INVALID_JSON', 'the body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/** A required string member, trimmed, 1..`max` characters. */
export function stringMember(body: Record<string, unknown>, name: string, max: number): string {
  const value = body[name];
  if (value === undefined || value === null || (typeof value === 'string' && !value.trim())) {
    throw new ValidationError('MISSING_FIELD', `${name} is required`);
  }
  if (typeof value !== 'string') {
    throw new ValidationError('INVALID_FIELD', `${name} must be a string (given ${typeof value})`);
  }
  const trimmed = value.trim();
  if (trimmed.length > max) {
    throw new ValidationError(
      'INVALID_FIELD',
      `${name} must be at most ${max} characters (given ${trimmed.length})`,
    );
  }
  return trimmed;
}
