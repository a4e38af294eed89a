import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

export interface Part {
  readonly name: string;
  readonly value: string | Buffer;
  readonly filename?: string;
  readonly contentType?: string;
}

/** A multipart/form-data body as a browser or curl would send it. */
export function multipart(parts: Part[], boundary = `----test${randomUUID()}`) {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if (part.filename !== undefined) head += `; filename="${part.filename}"`;
    head += '\r\n';
    if (part.contentType) head += `Content-Type: ${part.contentType}\r\n`;
    chunks.push(Buffer.from(`${head}\r\n`), Buffer.from(part.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** An API Gateway REST proxy event. Bodies are base64, as for a binary media type. */
export function apiEvent(options: {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  /** The API resource (route), when it differs from the path. */
  resource?: string;
  /** The API key id API Gateway found for the request (team-a's by default); null for none. */
  apiKeyId?: string | null;
}): APIGatewayProxyEvent {
  return {
    httpMethod: options.method,
    path: options.path,
    resource: options.resource ?? options.path,
    headers: options.headers ?? {},
    multiValueHeaders: {},
    queryStringParameters: options.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: options.pathParameters ?? null,
    stageVariables: null,
    body: options.body ? options.body.toString('base64') : null,
    isBase64Encoded: Boolean(options.body),
    requestContext: {
      requestId: randomUUID(),
      identity: { apiKeyId: options.apiKeyId === undefined ? 'key-a' : options.apiKeyId },
    } as APIGatewayProxyEvent['requestContext'],
  };
}

export type ApiHandler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

export function bodyOf(result: APIGatewayProxyResult): any {
  return JSON.parse(result.body);
}
