import { createServer, request, Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Faults the local platform can inject between the functions and the emulator. */
export interface InjectedFaults {
  /** Share of DynamoDB calls answered `ProvisionedThroughputExceededException`. */
  readonly dynamodbThrottle: number;
  /** Share of S3 calls answered `500 InternalError`. */
  readonly s3Error: number;
}

const NAMES: Record<string, keyof InjectedFaults> = {
  'dynamodb-throttle': 'dynamodbThrottle',
  's3-500': 's3Error',
};

/**
 * `LOCAL_INJECT_FAULTS`, e.g. `dynamodb-throttle=0.05,s3-500=0.05`: rates from 0 to 1. Unset or
 * empty: no faults (and no proxy).
 */
export function parseFaults(spec: string | undefined): InjectedFaults | undefined {
  if (!spec?.trim()) return undefined;
  const faults: Record<keyof InjectedFaults, number> = { dynamodbThrottle: 0, s3Error: 0 };
  for (const part of spec.split(',')) {
    const [name, value] = part.split('=').map((s) => s.trim());
    const rate = Number(value);
    if (!NAMES[name] || !(rate >= 0 && rate <= 1)) {
      throw new Error(
        `LOCAL_INJECT_FAULTS: expected ${Object.keys(NAMES).join('|')}=<rate 0..1>, comma-separated (given ${part})`,
      );
    }
    faults[NAMES[name]] = rate;
  }
  return faults;
}

export interface FaultProxy {
  readonly url: string;
  /** How many faults were injected, by kind. */
  readonly injected: Record<keyof InjectedFaults, number>;
  close(): Promise<void>;
}

/**
 * An HTTP proxy in front of the emulator (DynamoDB, SNS and S3 calls to their own processes
 * when they have one, the rest to the main one) that answers a share of DynamoDB and S3 calls
 * with the errors AWS gives under load, so the functions' retries and the processor's recovery
 * are exercised locally. Everything else passes through unchanged. SQS does not pass through
 * it: the SDK sends SQS calls to the queue URL's host, the emulator itself.
 */
export async function startFaultProxy(
  targets: { default: string; dynamodb?: string; sns?: string; s3?: string },
  faults: InjectedFaults,
  random: () => number = Math.random,
): Promise<FaultProxy> {
  const upstream = (service?: 'dynamodb' | 'sns' | 's3') =>
    new URL((service && targets[service]) ?? targets.default);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const injected = { dynamodbThrottle: 0, s3Error: 0 };
  const fail = (
    res: ServerResponse,
    status: number,
    headers: Record<string, string>,
    body: string,
  ) => {
    res.writeHead(status, headers);
    res.end(body);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const amzTarget = String(req.headers['x-amz-target'] ?? '');
    const isDynamoDb = amzTarget.startsWith('DynamoDB_');
    // S3 is the only service the functions call without a JSON/query target: path-style object URLs
    const isS3 =
      !amzTarget && !String(req.headers['content-type'] ?? '').includes('x-www-form-urlencoded');
    if (isDynamoDb && random() < faults.dynamodbThrottle) {
      injected.dynamodbThrottle++;
      req.resume();
      return fail(
        res,
        400,
        {
          'content-type': 'application/x-amz-json-1.0',
          'x-amzn-errortype': 'ProvisionedThroughputExceededException',
        },
        JSON.stringify({
          __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
          message: 'injected by the local fault proxy',
        }),
      );
    }
    if (isS3 && random() < faults.s3Error) {
      injected.s3Error++;
      req.resume();
      return fail(
        res,
        500,
        { 'content-type': 'application/xml' },
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>injected by the local fault proxy</Message></Error>',
      );
    }
    // SNS speaks form-encoded queries with no target; SSM (`AmazonSSM.`) and the rest go to
    // the main emulator
    const to = upstream(isDynamoDb ? 'dynamodb' : isS3 ? 's3' : !amzTarget ? 'sns' : undefined);
    const forward = request(
      {
        host: to.hostname,
        port: to.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', (err) => {
      if (!res.headersSent) fail(res, 502, { 'content-type': 'text/plain' }, err.message);
      else res.destroy();
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    injected,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          agent.destroy();
          resolve();
        });
      }),
  };
}
