import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BucketCheck, QueueCheck, TableCheck } from '../../src/adapters/resource-checks';
import { createJobsTableAndBucket } from '../support/moto-resources';

// Real resources on the moto server that jest's globalSetup started.
const dynamodb = new DynamoDBClient({});
const s3 = new S3Client({ forcePathStyle: true });
const sqs = new SQSClient({});
const suffix = randomUUID().slice(0, 8);
const tableName = `hooks-checks-${suffix}`;
const bucketName = `hooks-checks-${suffix}`;
let queueUrl: string;

const live = () => new AbortController().signal;
const aborted = () => AbortSignal.abort(new Error('deadline'));

beforeAll(async () => {
  await createJobsTableAndBucket(dynamodb, s3, tableName);
  ({ QueueUrl: queueUrl = '' } = await sqs.send(
    new CreateQueueCommand({ QueueName: `hooks-checks-${suffix}` }),
  ));
});

describe('TableCheck', () => {
  it('passes for an existing ACTIVE table', async () => {
    await expect(new TableCheck(dynamodb, tableName).run(live())).resolves.toBeUndefined();
  });

  it('fails for a table that does not exist', async () => {
    await expect(new TableCheck(dynamodb, `${tableName}-missing`).run(live())).rejects.toThrow(
      /not found|ResourceNotFound/i,
    );
  });

  it('stops when its signal is aborted', async () => {
    await expect(new TableCheck(dynamodb, tableName).run(aborted())).rejects.toThrow();
  });
});

describe('BucketCheck', () => {
  it('passes for an existing bucket', async () => {
    await expect(new BucketCheck(s3, bucketName).run(live())).resolves.toBeUndefined();
  });

  it('fails for a bucket that does not exist', async () => {
    await expect(new BucketCheck(s3, `${bucketName}-missing`).run(live())).rejects.toThrow();
  });

  it('stops when its signal is aborted', async () => {
    await expect(new BucketCheck(s3, bucketName).run(aborted())).rejects.toThrow();
  });
});

describe('QueueCheck', () => {
  it('passes for an existing queue', async () => {
    await expect(new QueueCheck(sqs, queueUrl).run(live())).resolves.toBeUndefined();
  });

  it('fails for a queue that does not exist', async () => {
    await expect(new QueueCheck(sqs, `${queueUrl}-missing`).run(live())).rejects.toThrow(
      /does not exist|NonExistentQueue/i,
    );
  });

  it('stops when its signal is aborted', async () => {
    await expect(new QueueCheck(sqs, queueUrl).run(aborted())).rejects.toThrow();
  });
});
