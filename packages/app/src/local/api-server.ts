import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { CfnTemplate, Resolver, resourcesOfType } from './cfn';
import { functionBehind, lambdaContext, LocalFunction } from './functions';
import { closeAfterAnswer, readBody } from './request-body';

/** API Gateway's payload limit. */

/** Errors API Gateway raises itself: status and its `messageString`. */
const GATEWAY_ERRORS = {
  MISSING_AUTHENTICATION_TOKEN: [403, 'Missing Authentication Token'],
  INVALID_API_KEY: [403, 'Forbidden'],
  BAD_REQUEST_PARAMETERS: [400, 'Missing required request parameters'],
  REQUEST_TOO_LARGE: [413, 'Request Too Long'],
  BAD_REQUEST_BODY: [400, 'Invalid request'],
  INTEGRATION_FAILURE: [502, 'Internal server error'],
} as const;
type GatewayError = keyof typeof GATEWAY_ERRORS;

interface Route {
  readonly httpMethod: string;
  /** `/status/{job_id}` */
  readonly resourcePath: string;
  readonly segments: string[];
  readonly apiKeyRequired: boolean;
  readonly requiredHeaders: string[];
  readonly fn: LocalFunction;
}

/** An API key API Gateway knows: the id it passes to the functions, and whether it works. */
export interface LocalApiKey {
  readonly keyId: string;
  readonly enabled: boolean;
}

export interface ApiServerOptions {
  readonly template: CfnTemplate;
  readonly resolver: Resolver;
  readonly functions: Map<string, LocalFunction>;
  /** The keys clients may send in `x-api-key`, by value. */
  readonly apiKeys: ReadonlyMap<string, LocalApiKey>;
  readonly port: number;
  /** The API's OpenAPI document, served at `GET /openapi.json` (and under the stage). */
  readonly openApi?: string;
}

/**
 * Serves the REST API the template defines — its stage, routes, API-key requirements,
 * required request parameters, binary media types and gateway error responses — by calling
 * the integrated function's handler with an API Gateway proxy event. It also serves the
 * API's OpenAPI document at `/openapi.json`, which API Gateway does not.
 */
export class ApiServer {
  private readonly server: Server;
  private readonly routes: Route[];
  private readonly stage: string;
  private readonly binaryMediaTypes: string[];
  private readonly gatewayResponses: Map<string, string>;

  constructor(private readonly options: ApiServerOptions) {
    const { template } = options;
    const [[, restApi]] = resourcesOfType(template, 'AWS::ApiGateway::RestApi');
    this.binaryMediaTypes = restApi.BinaryMediaTypes ?? [];
    this.stage = resourcesOfType(template, 'AWS::ApiGateway::Stage')[0]?.[1].StageName ?? 'prod';
    this.routes = this.readRoutes();
    this.gatewayResponses = new Map(
      resourcesOfType(template, 'AWS::ApiGateway::GatewayResponse').map(([, p]) => [
        p.ResponseType,
        p.ResponseTemplates?.['application/json'],
      ]),
    );
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        if (req.destroyed || (err as NodeJS.ErrnoException).code === 'ECONNRESET') {
          // the client went away mid-request: nothing to answer, nothing broke
          process.stdout.write(
            `local api: client closed ${req.method} ${req.url} before the answer\n`,
          );
          return;
        }
        process.stderr.write(`local api: ${(err as Error).stack}\n`);
        void this.gatewayError(req, res, 'INTEGRATION_FAILURE').catch(() => res.destroy());
      });
    });
    // Requests Node's HTTP parser refuses (a bad request line, duplicate Content-Length,
    // oversized headers) still get an answer in the platform's error shape.
    this.server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
      if (!socket.writable) {
        socket.destroy();
        return;
      }
      const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
      const body = JSON.stringify({
        error: {
          code: tooLarge ? 'REQUEST_HEADER_FIELDS_TOO_LARGE' : 'BAD_REQUEST',
          message: tooLarge
            ? 'Request headers too large'
            : `Malformed HTTP request (${err.code ?? 'parse error'})`,
        },
      });
      const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
      socket.end(
        `HTTP/1.1 ${status}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
    });
  }

  /** Listens on 127.0.0.1 and returns the base URL (with the stage, like API Gateway's). */
  public async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, '127.0.0.1', () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/${this.stage}`;
  }

  public close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private readRoutes(): Route[] {
    const { template, resolver, functions } = this.options;
    const resources = new Map(resourcesOfType(template, 'AWS::ApiGateway::Resource'));
    const pathOf = (resourceId: string | undefined): string => {
      const resource = resourceId ? resources.get(resourceId) : undefined;
      if (!resource) return ''; // the API's root resource
      return `${pathOf(resolver.references(resource.ParentId)[0])}/${resource.PathPart}`;
    };
    return resourcesOfType(template, 'AWS::ApiGateway::Method').flatMap(([id, props]) => {
      const fn = functionBehind(template, resolver, functions, props.Integration?.Uri);
      if (!fn) {
        throw new Error(`API method ${id} integrates no function the local platform can run`);
      }
      const resourcePath = pathOf(resolver.references(props.ResourceId)[0]) || '/';
      const requiredHeaders = Object.entries(props.RequestParameters ?? {})
        .filter(
          ([name, required]) => required === true && name.startsWith('method.request.header.'),
        )
        .map(([name]) => name.slice('method.request.header.'.length).toLowerCase());
      return [
        {
          httpMethod: props.HttpMethod,
          resourcePath,
          segments: resourcePath.split('/').filter(Boolean),
          apiKeyRequired: props.ApiKeyRequired === true,
          requiredHeaders,
          fn,
        },
      ];
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://local');
    } catch {
      return this.gatewayError(
        req,
        res,
        'BAD_REQUEST_BODY',
        `Invalid request target ${JSON.stringify(req.url)}`,
      );
    }
    const { openApi } = this.options;
    if (
      openApi &&
      req.method === 'GET' &&
      [`/openapi.json`, `/${this.stage}/openapi.json`].includes(url.pathname)
    ) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(openApi);
    }
    // API Gateway passes path parameters through as sent: decode where valid, else keep raw
    const [stage, ...segments] = url.pathname.split('/').filter(Boolean).map(safeDecode);
    const match =
      stage === this.stage
        ? this.routes
            .filter((r) => r.httpMethod === req.method && r.segments.length === segments.length)
            .find((r) => r.segments.every((s, i) => s.startsWith('{') || s === segments[i]))
        : undefined;
    if (!match) return this.gatewayError(req, res, 'MISSING_AUTHENTICATION_TOKEN');
    const sent = req.headers['x-api-key'];
    const key = typeof sent === 'string' ? this.options.apiKeys.get(sent) : undefined;
    // as API Gateway: an unknown or disabled (revoked) key is a 403
    if (match.apiKeyRequired && !key?.enabled) {
      return this.gatewayError(req, res, 'INVALID_API_KEY');
    }
    const missing = match.requiredHeaders.filter((h) => req.headers[h] === undefined);
    if (missing.length > 0) {
      return this.gatewayError(
        req,
        res,
        'BAD_REQUEST_PARAMETERS',
        `Missing required request parameters: [${missing.join(', ')}]`,
      );
    }
    const { body } = await readBody(req);
    if (!body) return this.gatewayError(req, res, 'REQUEST_TOO_LARGE');

    const contentType = String(req.headers['content-type'] ?? '')
      .split(';')[0]
      .trim();
    const binary = this.binaryMediaTypes.includes(contentType);
    const pathParameters = Object.fromEntries(
      match.segments.flatMap((s, i) => (s.startsWith('{') ? [[s.slice(1, -1), segments[i]]] : [])),
    );
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
    );
    const path = `/${segments.join('/')}`;
    const event: APIGatewayProxyEvent = {
      resource: match.resourcePath,
      path,
      httpMethod: match.httpMethod,
      headers,
      multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
      queryStringParameters: url.searchParams.size ? Object.fromEntries(url.searchParams) : null,
      multiValueQueryStringParameters: null,
      pathParameters: Object.keys(pathParameters).length ? pathParameters : null,
      stageVariables: null,
      body: body.length ? body.toString(binary ? 'base64' : 'utf8') : null,
      isBase64Encoded: binary && body.length > 0,
      requestContext: {
        accountId: 'local',
        apiId: 'local',
        httpMethod: match.httpMethod,
        path: `/${this.stage}${path}`,
        protocol: 'HTTP/1.1',
        requestId: randomUUID(),
        requestTimeEpoch: Date.now(),
        resourceId: 'local',
        resourcePath: match.resourcePath,
        stage: this.stage,
        identity: {
          apiKey: headers['x-api-key'] ?? null,
          apiKeyId: match.apiKeyRequired ? key!.keyId : null,
          sourceIp: req.socket.remoteAddress ?? '',
        },
        authorizer: null,
      } as unknown as APIGatewayProxyEvent['requestContext'],
    };

    let result: APIGatewayProxyResult;
    try {
      result = await match.fn.handler(event, lambdaContext(match.fn));
    } catch (err) {
      process.stderr.write(`local api: ${match.fn.name} threw: ${(err as Error).stack}\n`);
      return this.gatewayError(req, res, 'INTEGRATION_FAILURE');
    }
    if (!result || typeof result.statusCode !== 'number') {
      return this.gatewayError(req, res, 'INTEGRATION_FAILURE');
    }
    res.writeHead(result.statusCode, { ...(result.headers as Record<string, string>) });
    res.end(
      result.body
        ? Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8')
        : undefined,
    );
  }

  /**
   * Answers as API Gateway would, through the template's gateway responses. What the client is
   * still sending is read and discarded first (up to the payload limit; past it the connection
   * closes once the answer is flushed), so an early answer never arrives as a reset.
   */
  private async gatewayError(
    req: IncomingMessage,
    res: ServerResponse,
    type: GatewayError,
    message?: string,
  ): Promise<void> {
    const [status, defaultMessage] = GATEWAY_ERRORS[type];
    const messageString = JSON.stringify(message ?? defaultMessage);
    const template =
      this.gatewayResponses.get(type) ??
      this.gatewayResponses.get(status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX');
    const body = template
      ? template
          .replace(/\$context\.error\.responseType/g, type)
          .replace(/\$context\.error\.messageString/g, messageString)
      : `{"message":${messageString}}`;
    const { ended } = await readBody(req, false);
    if (res.headersSent) return void res.end();
    if (!ended) closeAfterAnswer(req, res);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body);
  }
}

/** `decodeURIComponent`, or the input unchanged when it is not valid percent-encoding. */
function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
