import { randomUUID } from 'node:crypto';
import {
  CreateTableCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { SubscribeCommand, CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { JOB_TABLE_SCHEMA, type Job } from '@security-assistant/layer-common';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';

export const dynamodb = new DynamoDBClient({});
export const documents = DynamoDBDocumentClient.from(dynamodb);
export const s3 = new S3Client({ forcePathStyle: true });
export const sqs = new SQSClient({});
export const sns = new SNSClient({});

/** The resources the platform construct creates, made fresh (unique names) on moto. */
export interface TestPlatform {
  readonly tableName: string;
  readonly bucketName: string;
  readonly queueUrl: string;
  readonly dlqUrl: string;
  readonly topicArn: string;
  /** An SQS queue subscribed to the alert topic, to read what was published. */
  readonly alertsUrl: string;
  /** The environment the handlers read through loadConfig. */
  readonly env: Record<string, string>;
}

async function queueArn(url: string): Promise<string> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  return Attributes!.QueueArn!;
}

export async function createTestPlatform(): Promise<TestPlatform> {
  const suffix = randomUUID().slice(0, 8);
  const tableName = `jobs-${suffix}`;
  const bucketName = `drawings-${suffix}`;
  const indexes = Object.values(JOB_TABLE_SCHEMA.indexes);
  const gsi = (index: (typeof indexes)[number]) => ({
    IndexName: index.indexName,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  });
  await dynamodb.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: JOB_TABLE_SCHEMA.partitionKey, KeyType: 'HASH' }],
      AttributeDefinitions: [
        ...new Set([
          JOB_TABLE_SCHEMA.partitionKey,
          ...indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
        ]),
      ].map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
      GlobalSecondaryIndexes: indexes.map(gsi),
    }),
  );
  await dynamodb.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: JOB_TABLE_SCHEMA.ttlAttribute, Enabled: true },
    }),
  );
  await s3.send(new CreateBucketCommand({ Bucket: bucketName }));
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `jobs-dlq-${suffix}` }));
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: `jobs-${suffix}`,
      Attributes: {
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: await queueArn(dlq.QueueUrl!),
          maxReceiveCount: 3,
        }),
      },
    }),
  );
  const topic = await sns.send(new CreateTopicCommand({ Name: `alerts-${suffix}` }));
  const alerts = await sqs.send(new CreateQueueCommand({ QueueName: `alerts-${suffix}` }));
  await sns.send(
    new SubscribeCommand({
      TopicArn: topic.TopicArn!,
      Protocol: 'sqs',
      Endpoint: await queueArn(alerts.QueueUrl!),
    }),
  );
  return {
    tableName,
    bucketName,
    queueUrl: queue.QueueUrl!,
    dlqUrl: dlq.QueueUrl!,
    topicArn: topic.TopicArn!,
    alertsUrl: alerts.QueueUrl!,
    env: {
      STAGE: 'dev',
      SERVICE_VERSION: '1.2.3',
      TABLE_NAME: tableName,
      BUCKET_NAME: bucketName,
      QUEUE_URL: queue.QueueUrl!,
      ALERT_TOPIC_ARN: topic.TopicArn!,
      MODEL_API_KEY_PARAMETER: '/test/model-api-key',
      ANALYSER: 'offline',
      CALLERS: JSON.stringify(TEST_CALLERS),
    },
  };
}

/**
 * The callers the test platform's API functions know: `apiEvent` sends team-a's key unless
 * told otherwise; team-b may submit only for `Acme`; `admin` reads ownerless (older) jobs.
 */
export const TEST_CALLERS = [
  { name: 'team-a', keyIds: ['key-a'] },
  { name: 'team-b', keyIds: ['key-b'], clients: ['Acme'] },
  { name: 'admin', keyIds: ['key-admin'], admin: true },
];

/**
 * Loads a handler module with `env` set, in a fresh module registry: handlers read their
 * configuration at module scope, as they do on a Lambda cold start.
 */
export function loadHandler<T>(modulePath: string, env: Record<string, string>): T {
  Object.assign(process.env, env);
  let loaded: T | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(modulePath).handler as T;
  });
  return loaded!;
}

export async function scanJobs(tableName: string): Promise<Job[]> {
  const { Items } = await documents.send(
    new ScanCommand({ TableName: tableName, ConsistentRead: true }),
  );
  return (Items ?? []) as Job[];
}

export async function getJob(tableName: string, jobId: string): Promise<Job | undefined> {
  const { Item } = await documents.send(
    new GetCommand({ TableName: tableName, Key: { job_id: jobId }, ConsistentRead: true }),
  );
  return Item as Job | undefined;
}

/** Overwrites attributes of a stored job (to set up a state a test starts from). */
export async function setJobAttributes(
  tableName: string,
  jobId: string,
  values: Record<string, unknown>,
): Promise<void> {
  const names = Object.keys(values);
  await documents.send(
    new UpdateCommand({
      TableName: tableName,
      Key: { job_id: jobId },
      UpdateExpression: `SET ${names.map((_, i) => `#n${i} = :v${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#n${i}`, n])),
      ExpressionAttributeValues: Object.fromEntries(names.map((n, i) => [`:v${i}`, values[n]])),
    }),
  );
}

export async function listKeys(bucketName: string, prefix = ''): Promise<string[]> {
  const { Contents } = await s3.send(
    new ListObjectsV2Command({ Bucket: bucketName, Prefix: prefix }),
  );
  return (Contents ?? []).map((o) => o.Key!).sort();
}

export async function getObject(bucketName: string, key: string): Promise<Buffer> {
  const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucketName, Key: key }));
  return Buffer.from(await Body!.transformToByteArray());
}

/** Receives (and deletes) whatever is on the queue now. */
export async function drain(queueUrl: string, waitSeconds = 0): Promise<Message[]> {
  const { Messages } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: waitSeconds,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    }),
  );
  for (const m of Messages ?? []) {
    await sqs.send(
      new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! }),
    );
  }
  return Messages ?? [];
}

/** Receives one message and leaves it on the queue (it reappears after the visibility timeout). */
export async function receiveOne(
  queueUrl: string,
  visibilityTimeout = 0,
): Promise<Message | undefined> {
  const { Messages } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 1,
      VisibilityTimeout: visibilityTimeout,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    }),
  );
  return Messages?.[0];
}

export async function setVisibilityTimeout(queueUrl: string, seconds: number): Promise<void> {
  await sqs.send(
    new SetQueueAttributesCommand({
      QueueUrl: queueUrl,
      Attributes: { VisibilityTimeout: String(seconds) },
    }),
  );
}

/** An SQS event as the event source mapping delivers it. */
export function sqsEvent(
  ...messages: { messageId: string; body: string; receiveCount?: string; receiptHandle?: string }[]
): SQSEvent {
  return {
    Records: messages.map(
      ({ messageId, body, receiveCount, receiptHandle }) =>
        ({
          messageId,
          receiptHandle: receiptHandle ?? `handle-${messageId}`,
          body,
          attributes: {
            ApproximateReceiveCount: receiveCount ?? '1',
            SentTimestamp: String(Date.now()),
            SenderId: 'test',
            ApproximateFirstReceiveTimestamp: String(Date.now()),
          },
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:test',
          awsRegion: 'us-east-1',
        }) as SQSRecord,
    ),
  };
}

/** The SQS event for messages received from a queue. */
export function sqsEventOf(...messages: Message[]): SQSEvent {
  return sqsEvent(
    ...messages.map((m) => ({
      messageId: m.MessageId!,
      body: m.Body!,
      receiveCount: m.Attributes?.ApproximateReceiveCount,
      receiptHandle: m.ReceiptHandle,
    })),
  );
}

/** A Lambda context whose remaining time is what `remaining` says on each call. */
export function lambdaContext(remaining: () => number = () => 900_000): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'test',
    functionVersion: '1',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:test',
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: 'test',
    logStreamName: 'test',
    getRemainingTimeInMillis: remaining,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Removes every job, object and queued message, so the next test starts from nothing. */
export async function emptyPlatform(platform: TestPlatform): Promise<void> {
  for (const url of [platform.queueUrl, platform.dlqUrl, platform.alertsUrl]) {
    // PurgeQueue may run once a minute per queue, so receive until empty instead.
    while ((await drain(url)).length > 0);
  }
  for (const key of await listKeys(platform.bucketName)) {
    await s3.send(new DeleteObjectCommand({ Bucket: platform.bucketName, Key: key }));
  }
  for (const job of await scanJobs(platform.tableName)) {
    await documents.send(
      new DeleteCommand({ TableName: platform.tableName, Key: { job_id: job.job_id } }),
    );
  }
}
