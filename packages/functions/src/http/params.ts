import type { APIGatewayProxyEvent } from 'aws-lambda';

/**
 * A path parameter, percent-decoded. API Gateway hands REST path parameters over as the
 * client sent them, so `%ZZ` or a lone `%` arrive here: a value that does not decode is
 * returned as it came (the use case then rejects it as malformed with a 400), never thrown.
 */
export function pathParameter(event: APIGatewayProxyEvent, name: string): string | undefined {
  const raw = event.pathParameters?.[name] ?? undefined;
  return raw === undefined ? undefined : safeDecode(raw);
}

/** `decodeURIComponent`, or the input unchanged when it is not valid percent-encoding. */
export function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
