import { JOB_TABLE_SCHEMA } from '@security-assistant/layer-common';
import { Match } from 'aws-cdk-lib/assertions';
import { platformFor } from './helpers';

describe('JobTable', () => {
  const { template } = platformFor('staging');

  test('is keyed, indexed and expired as layer-common says, on demand and encrypted', () => {
    const { byStatus, byClient } = JOB_TABLE_SCHEMA.indexes;
    const index = (i: typeof byStatus | typeof byClient) => ({
      IndexName: i.indexName,
      KeySchema: [
        { AttributeName: i.partitionKey, KeyType: 'HASH' },
        { AttributeName: i.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'security-assistant-staging-jobs',
      KeySchema: [{ AttributeName: 'job_id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true },
      GlobalSecondaryIndexes: Match.arrayWith([index(byStatus), index(byClient)]),
    });
  });

  test('sorts every index by created_at', () => {
    expect(Object.values(JOB_TABLE_SCHEMA.indexes).map((i) => i.sortKey)).toEqual([
      'created_at',
      'created_at',
      'created_at',
    ]);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      AttributeDefinitions: Match.arrayWith([{ AttributeName: 'created_at', AttributeType: 'S' }]),
    });
  });
});
