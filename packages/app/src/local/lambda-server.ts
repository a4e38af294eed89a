import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lambdaContext, type LocalFunction } from './functions';

const INVOKE = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/**
 * Lambda's `Invoke` API (RequestResponse) for the local functions, on its own port: what the
 * CodeDeploy hooks call to probe a function version or alias. The emulator's own Lambda
 * stores functions but runs no code; this runs the real bundled handlers in this process.
 * A function is named as AWS names it (name, `name:qualifier` or its ARN); the qualifier is
 * accepted and ignored, as there is one version of each locally.
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

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = INVOKE.exec(new URL(req.url ?? '/', 'http://local').pathname);
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
    // arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>], or <name>[:<qualifier>]
    const name = requested.startsWith('arn:') ? requested.split(':')[6] : requested.split(':')[0];
    const fn = [...this.functions.values()].find(
      (f) => f.environment.POWERTOOLS_SERVICE_NAME === name || f.name === name,
    );
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (!fn) {
      return answer(
        res,
        404,
        { Type: 'User', message: `Function not found: ${requested}` },
        {
          'x-amzn-errortype': 'ResourceNotFoundException',
        },
      );
    }
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

function answer(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
