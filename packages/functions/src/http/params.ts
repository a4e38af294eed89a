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

/**
 * The query string's parameters. API Gateway (and the local server) hand them over already
 * percent-decoded, unlike path parameters, so they are not decoded again: a client name with
 * a literal `%` stays as it was. A parameter given twice keeps its last value.
 */
export function queryParameters(event: APIGatewayProxyEvent): Record<string, string | undefined> {
  return { ...(event.queryStringParameters ?? {}) };
}
