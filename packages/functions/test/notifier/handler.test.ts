import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { SNSEvent } from 'aws-lambda';
import { createTestPlatform, lambdaContext, loadHandler } from '../support/aws';

// The webhook URL is a SecureString on the emulator (moto SSM); Slack is a local stand-in
// that records what it is sent and answers with the status each test sets.
type Notifier = (event: SNSEvent, context: unknown) => Promise<void>;
const PARAMETER = '/security-assistant/test/slack-webhook';
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:security-assistant-staging-alerts';

let slack: Server;
let posted: { path: string; body: any }[] = [];
let status = 200;
let notify: Notifier;

const event = (...messages: { Subject?: string; Message: string }[]): SNSEvent =>
  ({
    Records: messages.map((m, i) => ({
      EventSource: 'aws:sns',
      Sns: { TopicArn: TOPIC, MessageId: `m-${i}`, Subject: m.Subject, Message: m.Message },
    })),
  }) as unknown as SNSEvent;

beforeAll(async () => {
  slack = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      posted.push({ path: req.url ?? '', body: JSON.parse(body) });
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status === 200 ? 'ok' : 'invalid_token');
    });
  });
  await new Promise<void>((r) => slack.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(slack.address() as AddressInfo).port}/services/T000/B000/secret`;
  const platform = await createTestPlatform();
  await new SSMClient({}).send(
    new PutParameterCommand({ Name: PARAMETER, Type: 'SecureString', Value: url, Overwrite: true }),
  );
  notify = loadHandler<Notifier>('../../src/notifier/handler', {
    ...platform.env,
    STAGE: 'staging',
    SERVICE_VERSION: '1.4.2',
    SLACK_WEBHOOK_PARAMETER: PARAMETER,
  });
});

afterAll(() => new Promise((r) => slack.close(r)));

beforeEach(() => {
  posted = [];
  status = 200;
});

describe('notifier', () => {
  test('posts an alarm change to the webhook from SSM, naming stage, release, alarm, reason and console link', async () => {
    await notify(
      event({
        Subject: 'ALARM: "security-assistant-staging-api-5xx-rate" in EU (Ireland)',
        Message: JSON.stringify({
          AlarmName: 'security-assistant-staging-api-5xx-rate',
          AlarmArn:
            'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:security-assistant-staging-api-5xx-rate',
          NewStateValue: 'ALARM',
          NewStateReason: 'Threshold Crossed: 2 datapoints were greater than the threshold (5.0).',
        }),
      }),
      lambdaContext(),
    );

    expect(posted).toHaveLength(1);
    expect(posted[0].path).toBe('/services/T000/B000/secret');
    const text: string = posted[0].body.text;
    expect(text).toContain(
      '[staging, release 1.4.2] ALARM: security-assistant-staging-api-5xx-rate',
    );
    expect(text).toContain('Threshold Crossed');
    expect(text).toContain(
      'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/security-assistant-staging-api-5xx-rate',
    );
  });

  test('posts deployment notifications and failed-job alerts, one post per record', async () => {
    await notify(
      event(
        {
          Message:
            '[staging] CodeDeploy SUCCESS: deployment d-ABC of security-assistant-staging-status (platform release 1.4.2). https://…',
        },
        {
          Subject: 'Security Assistant: job job_1_abc failed',
          Message: JSON.stringify({
            job_id: 'job_1_abc',
            code: 'PROCESSING_FAILED',
            reason: 'went to the DLQ',
          }),
        },
      ),
      lambdaContext(),
    );

    expect(posted.map((p) => p.body.text)).toEqual([
      '[staging, release 1.4.2] [staging] CodeDeploy SUCCESS: deployment d-ABC of security-assistant-staging-status (platform release 1.4.2). https://…',
      expect.stringContaining('job_id: job_1_abc\ncode: PROCESSING_FAILED'),
    ]);
  });

  test('fails the invocation when Slack refuses, so Lambda retries the delivery', async () => {
    status = 403;

    await expect(notify(event({ Message: 'budget exceeded' }), lambdaContext())).rejects.toThrow(
      'Slack answered 403: invalid_token',
    );
  });

  test('answers the deployment probe without posting anything', async () => {
    await expect(
      (notify as unknown as (e: unknown, c: unknown) => Promise<unknown>)(
        { deploymentProbe: true },
        lambdaContext(),
      ),
    ).resolves.toMatchObject({ ok: true, service: 'notifier' });
    expect(posted).toEqual([]);
  });
});
