import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CheckFailedError } from '../errors';
import type { Check } from '../pre-traffic/validate-deployment';

/** The jobs table exists, this role may describe it, and it is ACTIVE. */
export class TableCheck implements Check {
  public readonly name = 'dynamodb-table';

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  public async run(signal: AbortSignal): Promise<void> {
    const { Table } = await this.client.send(
      new DescribeTableCommand({ TableName: this.tableName }),
      {
        abortSignal: signal,
      },
    );
    if (Table?.TableStatus !== 'ACTIVE') {
      throw new CheckFailedError(
        this.name,
        `table ${this.tableName} is ${Table?.TableStatus}, not ACTIVE`,
      );
    }
  }
}

/** The drawings bucket exists and this role may reach it. */
export class BucketCheck implements Check {
  public readonly name = 's3-bucket';

  constructor(
    private readonly client: S3Client,
    private readonly bucketName: string,
  ) {}

  public async run(signal: AbortSignal): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucketName }), {
      abortSignal: signal,
    });
  }
}

/** The processing queue exists and this role may read its attributes. */
export class QueueCheck implements Check {
  public readonly name = 'sqs-queue';

  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  public async run(signal: AbortSignal): Promise<void> {
    await this.client.send(
      new GetQueueAttributesCommand({ QueueUrl: this.queueUrl, AttributeNames: ['QueueArn'] }),
      { abortSignal: signal },
    );
  }
}
