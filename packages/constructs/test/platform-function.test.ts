import {
  ALL_FUNCTIONS,
  Statement,
  actionsOf,
  functionId,
  platformFor,
  statementsOf,
} from './helpers';

const XRAY = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
const LOGS = ['logs:CreateLogStream', 'logs:PutLogEvents'];

describe('PlatformFunction roles (least privilege)', () => {
  const { template, stack, platform } = platformFor('prod');
  const resolve = (value: unknown) => stack.resolve(value);
  const statements = (name: string) => statementsOf(template, functionId(template, 'prod', name));
  const granted = (name: string) =>
    [...new Set(actionsOf(statements(name)))].filter((a) => !XRAY.includes(a) && !LOGS.includes(a));
  const objects = (pattern: string) => ({
    'Fn::Join': ['', [resolve(platform.bucket.bucketArn), `/${pattern}`]],
  });
  const resourceOf = (name: string, action: string) =>
    statements(name).find((s: Statement) => [s.Action].flat().includes(action))?.Resource;

  test('attach no managed policy to any function role', () => {
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      if (
        role.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Service ===
        'lambda.amazonaws.com'
      ) {
        expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      }
    }
  });

  test('let every function write to its own log group only', () => {
    for (const name of ALL_FUNCTIONS) {
      const fn = template.toJSON().Resources[functionId(template, 'prod', name)];
      const logGroup = fn.Properties.LoggingConfig.LogGroup.Ref;
      expect(resourceOf(name, 'logs:PutLogEvents')).toEqual({ 'Fn::GetAtt': [logGroup, 'Arn'] });
    }
  });

  test('let process-drawing put and delete drawings, take uploads in, create jobs and queue them', () => {
    expect(granted('process-drawing')).toEqual(
      [
        'dynamodb:DeleteItem',
        'dynamodb:PutItem',
        's3:DeleteObject',
        's3:GetObject',
        's3:ListBucket',
        's3:PutObject',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:SendMessage',
      ].sort(),
    );
    expect(resourceOf('process-drawing', 's3:PutObject')).toEqual(objects('drawings/*'));
    // presigning uploads and reading them back: uploads/* only
    const uploads = statements('process-drawing').find((s: Statement) =>
      [s.Action].flat().includes('s3:GetObject'),
    );
    expect([uploads.Action].flat().sort()).toEqual(['s3:GetObject', 's3:PutObject']);
    expect(uploads.Resource).toEqual(objects('uploads/*'));
    // a missing upload is then a 404, not a 403: ListBucket on the bucket, not its objects
    expect(resourceOf('process-drawing', 's3:ListBucket')).toEqual(
      resolve(platform.bucket.bucketArn),
    );
    expect(resourceOf('process-drawing', 'dynamodb:PutItem')).toEqual(
      resolve(platform.table.tableArn),
    );
    expect(resourceOf('process-drawing', 'sqs:SendMessage')).toEqual(
      resolve(platform.queue.queueArn),
    );
  });

  test('let status read and list jobs and read results only', () => {
    expect(granted('status')).toEqual(['dynamodb:GetItem', 'dynamodb:Query', 's3:GetObject']);
    expect(resourceOf('status', 's3:GetObject')).toEqual(objects('results/*'));
    // listing queries the owner index by name, never the table, index/* or another index
    expect(resourceOf('status', 'dynamodb:Query')).toEqual({
      'Fn::Join': [
        '',
        [{ 'Fn::GetAtt': [expect.any(String), 'Arn'] }, '/index/owner-created_at-index'],
      ],
    });
  });

  test('let health do nothing but log and trace', () => {
    expect(granted('health')).toEqual([]);
  });

  test('let the processor checkpoint jobs, read and write objects, continue itself and read the one model key', () => {
    expect(granted('processor')).toEqual(
      [
        'dynamodb:GetItem',
        'dynamodb:UpdateItem',
        's3:GetObject',
        's3:PutObject',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:SendMessage',
        'ssm:GetParameter',
        // consuming the processing queue through the event source
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:ReceiveMessage',
      ].sort(),
    );
    expect(resourceOf('processor', 's3:GetObject')).toEqual([
      objects('drawings/*'),
      objects('jobs/*'),
    ]);
    expect(resourceOf('processor', 's3:PutObject')).toEqual([
      objects('jobs/*'),
      objects('results/*'),
    ]);
    const parameterArn = JSON.stringify(resourceOf('processor', 'ssm:GetParameter'));
    expect(parameterArn).toContain(':ssm:');
    expect(parameterArn).toContain('parameter/security-assistant/prod/model-api-key');
    expect(parameterArn).not.toContain('*');
  });

  test('let the dlq-processor mark jobs failed, publish alerts and consume the DLQ', () => {
    expect(granted('dlq-processor')).toEqual(
      [
        'dynamodb:GetItem',
        'dynamodb:UpdateItem',
        'kms:Decrypt',
        'kms:GenerateDataKey',
        'sns:Publish',
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ReceiveMessage',
      ].sort(),
    );
    expect(resourceOf('dlq-processor', 'sqs:ReceiveMessage')).toEqual(
      resolve(platform.deadLetterQueue.queueArn),
    );
  });

  test('leave no wildcard but the X-Ray one (no resource-level permissions) and the per-job key prefixes', () => {
    for (const name of ALL_FUNCTIONS) {
      for (const statement of statements(name)) {
        const text = JSON.stringify(statement.Resource);
        if (text === '"*"') {
          expect([statement.Action].flat().sort()).toEqual(XRAY);
        } else if (text.includes('*')) {
          expect(text).toMatch(
            /^(\[?\{"Fn::Join":\["",\[\{"Fn::GetAtt":\["\w+","Arn"\]\},"\/(drawings|jobs|results|uploads)\/\*"\]\]\},?)+\]?$/,
          );
        }
        expect([statement.Action].flat().some((a) => a.includes('*'))).toBe(false);
      }
    }
  });
});
