import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  JOB_TABLE_SCHEMA,
  PROCESSING_STAGES,
  type Job,
  type JobError,
  type ProcessingStage,
  type ResultSummary,
} from '@security-assistant/layer-common';
import type { JobPage, JobQuery, JobStore } from '../ports';

/** `status` is a DynamoDB reserved word. */
const NAMES = { '#status': 'status' };

async function conditional(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}

/** Jobs in the DynamoDB jobs table (JOB_TABLE_SCHEMA), one item per job. */
export class DynamoDbJobStore implements JobStore {
  private readonly client: DynamoDBDocumentClient;

  constructor(
    private readonly tableName: string,
    client: DynamoDBClient = new DynamoDBClient({}),
  ) {
    this.client = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  async create(job: Job): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: job,
        ConditionExpression: 'attribute_not_exists(job_id)',
      }),
    );
  }

  async get(jobId: string): Promise<Job | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { job_id: jobId }, ConsistentRead: true }),
    );
    return Item as Job | undefined;
  }

  async delete(jobId: string): Promise<void> {
    await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: { job_id: jobId } }),
    );
  }

  async startProcessing(jobId: string, at: string): Promise<Job | 'finished' | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { job_id: jobId },
          UpdateExpression: 'SET #status = :processing, updated_at = :at',
          ConditionExpression: 'attribute_exists(job_id) AND #status IN (:queued, :processing)',
          ExpressionAttributeNames: NAMES,
          ExpressionAttributeValues: {
            ':processing': 'processing',
            ':queued': 'queued',
            ':at': at,
          },
          ReturnValues: 'ALL_NEW',
          // a refusal says whether the job exists (finished) or not
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return Attributes as Job;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return err.Item ? 'finished' : undefined;
      throw err;
    }
  }

  async checkpoint(
    jobId: string,
    stage: ProcessingStage,
    at: string,
    result?: ResultSummary,
  ): Promise<void> {
    // Stages run in order, so the one after `stage` is the job's current stage.
    const values: Record<string, unknown> = {
      ':stage': [stage],
      ':done': stage,
      ':current': PROCESSING_STAGES[PROCESSING_STAGES.indexOf(stage) + 1] ?? stage,
      ':at': at,
      ':processing': 'processing',
    };
    let update =
      'SET stages_completed = list_append(stages_completed, :stage), current_stage = :current, ' +
      'last_checkpoint = :at, updated_at = :at';
    if (result) {
      update += ', #status = :completed, #result = :result';
      values[':completed'] = 'completed';
      values[':result'] = result;
    }
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { job_id: jobId },
        UpdateExpression: update,
        // A stage is recorded once, and only while the job is being processed.
        ConditionExpression: '#status = :processing AND NOT contains(stages_completed, :done)',
        ExpressionAttributeNames: result ? { ...NAMES, '#result': 'result' } : NAMES,
        ExpressionAttributeValues: values,
      }),
    );
  }

  async fail(jobId: string, error: JobError, at: string): Promise<boolean> {
    return conditional(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { job_id: jobId },
          UpdateExpression: 'SET #status = :failed, #error = :error, updated_at = :at',
          ConditionExpression: 'attribute_exists(job_id) AND NOT #status IN (:completed, :failed)',
          ExpressionAttributeNames: { ...NAMES, '#error': 'error' },
          ExpressionAttributeValues: {
            ':failed': 'failed',
            ':completed': 'completed',
            ':error': error,
            ':at': at,
          },
        }),
      ),
    );
  }

  async list(query: JobQuery): Promise<JobPage> {
    const index = JOB_TABLE_SCHEMA.indexes.byOwner;
    // the owner's jobs, newest first; client and status narrow them
    const filters = [
      ...(query.clientName !== undefined ? [['#client', 'client_name', query.clientName]] : []),
      ...(query.status !== undefined ? [['#status', 'status', query.status]] : []),
    ];
    const { Items, LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.indexName,
        KeyConditionExpression: '#pk = :pk',
        FilterExpression: filters.length
          ? filters.map(([name]) => `${name} = :${name.slice(1)}`).join(' AND ')
          : undefined,
        ExpressionAttributeNames: {
          '#pk': index.partitionKey,
          ...Object.fromEntries(filters.map(([name, attribute]) => [name, attribute])),
        },
        ExpressionAttributeValues: {
          ':pk': query.owner,
          ...Object.fromEntries(filters.map(([name, , value]) => [`:${name.slice(1)}`, value])),
        },
        ScanIndexForward: false, // newest first
        Limit: query.limit,
        ExclusiveStartKey: query.startKey,
      }),
    );
    return {
      jobs: (Items ?? []) as Job[],
      lastKey: LastEvaluatedKey as Record<string, string> | undefined,
    };
  }
}
