import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lambdaContext, type LocalFunction } from './functions';

const INVOKE = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
const GET_ALIAS = /^\/2015-03-31\/functions\/([^/]+)\/aliases\/([^/]+)$/;
/** The one version of each local function, which every alias serves. */
const LOCAL_VERSION = '1';

/**
 * Lambda's `Invoke` API (RequestResponse) for the local functions, on its own port: what the
 * CodeDeploy hooks call to probe a function version or alias. The emulator's own Lambda
 * stores functions but runs no code; this runs the real bundled handlers in this process.
 * A function is named as AWS names it (name, `name:qualifier` or its ARN); the qualifier is
 * accepted and ignored, as there is one version of each locally. `GetAlias` answers that
 * every alias serves that version ("1"), for the post-traffic hook.
 */
export class LambdaInvokeServer {
  private readonly server: Server;

  constructor(private readonly functions: Map<string, LocalFunction>) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: Error) => answer(res, 500, { message: err.message }));
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  /** A local function by name, `name:qualifier` or ARN (`arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]`). */
  private find(requested: string): LocalFunction | undefined {
    const name = requested.startsWith('arn:') ? requested.split(':')[6] : requested.split(':')[0];
    return [...this.functions.values()].find(
      (f) => f.environment.POWERTOOLS_SERVICE_NAME === name || f.name === name,
    );
  }

  private getAlias(res: ServerResponse, functionName: string, aliasName: string): void {
    const requested = decodeURIComponent(functionName);
    if (!this.find(requested)) return notFound(res, requested);
    answer(res, 200, { Name: decodeURIComponent(aliasName), FunctionVersion: LOCAL_VERSION });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    const aliasMatch = GET_ALIAS.exec(path);
    if (req.method === 'GET' && aliasMatch) return this.getAlias(res, aliasMatch[1], aliasMatch[2]);
    const match = INVOKE.exec(path);
    if (req.method !== 'POST' || !match) {
      return answer(
        res,
        404,
        { message: `${req.method} ${req.url}: not a Lambda Invoke` },
        {
          'x-amzn-errortype': 'UnknownOperationException',
        },
      );
    }
    const requested = decodeURIComponent(match[1]);
    const fn = this.find(requested);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (!fn) return notFound(res, requested);
    const body = Buffer.concat(chunks).toString('utf8');
    let event: unknown;
    try {
      event = body ? JSON.parse(body) : {};
    } catch {
      return answer(
        res,
        400,
        { Type: 'User', message: 'Could not parse request body into json' },
        {
          'x-amzn-errortype': 'InvalidRequestContentException',
        },
      );
    }
    try {
      const result = await fn.handler(event, lambdaContext(fn));
      answer(res, 200, result ?? null);
    } catch (err) {
      // as Lambda reports an unhandled error: status 200 with X-Amz-Function-Error
      answer(
        res,
        200,
        { errorType: (err as Error).name, errorMessage: (err as Error).message },
        { 'x-amz-function-error': 'Unhandled' },
      );
    }
  }
}

function notFound(res: ServerResponse, requested: string): void {
  answer(
    res,
    404,
    { Type: 'User', message: `Function not found: ${requested}` },
    { 'x-amzn-errortype': 'ResourceNotFoundException' },
  );
}

function answer(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
