// Reads a deployed stack back through the AWS APIs and compares what exists with what its
// template asks for: the table's keys, indexes, TTL and recovery; the queues' redrive and
// timeouts; the buckets' encryption, public access block, lifecycle, CORS and versioning; the
// functions' runtime, architecture, memory, timeout and tracing; the aliases and event source
// mappings. Where the emulator modelled no resource it says so, by type.
import { CloudFormationClient, paginateListStackResources } from '@aws-sdk/client-cloudformation';
import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
} from '@aws-sdk/client-lambda';
import {
  GetBucketCorsCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';

/** The physical id the rehearsal's emulator gives a resource type it does not model. */
export const UNMODELLED_PREFIX = 'unmodelled:';

/** The stack's resources as CloudFormation lists them: logical id → summary. */
export async function stackResources(stackName, cfn = new CloudFormationClient({})) {
  const out = {};
  for await (const page of paginateListStackResources({ client: cfn }, { StackName: stackName })) {
    for (const r of page.StackResourceSummaries ?? []) out[r.LogicalResourceId] = r;
  }
  return out;
}

/**
 * Properties moto's CloudFormation (5.2.x) accepts but does not apply: the resource is made
 * without them, so they read back as the service's defaults. A difference in one of these is
 * reported as not carried by the emulator (unverified), not as a failure; should moto start
 * applying one, the comparison passes as a real check.
 */
const EMULATOR_GAPS = {
  'AWS::DynamoDB::Table': ['TTL', 'point-in-time recovery'],
  'AWS::S3::Bucket': [
    'public access block',
    'lifecycle expirations (days)',
    'CORS methods',
    'versioning',
  ],
  'AWS::Lambda::Function': ['Architectures', 'tracing', 'layers'],
};

/** A template value with no intrinsic function in it (only those can be compared). */
const literal = (v) =>
  v !== undefined && !JSON.stringify(v).includes('"Ref"') && !JSON.stringify(v).includes('"Fn::');

/**
 * @param {string} stackName
 * @param {{ Resources: Record<string, { Type: string, Properties?: any }> }} template
 * @returns {Promise<{ checked: string[], failures: string[], unmodelled: Record<string, number>, notCarried: string[] }>}
 */
export async function verifyStack(stackName, template) {
  const listed = await stackResources(stackName);
  const checked = [];
  const failures = [];
  const unmodelled = {};
  const notCarried = new Set();
  let type;
  const expect = (what, actual, wanted) => {
    const setting = what.slice(what.indexOf(' ') + 1);
    if (JSON.stringify(actual) === JSON.stringify(wanted)) checked.push(what);
    else if (EMULATOR_GAPS[type]?.includes(setting)) notCarried.add(`${type} ${setting}`);
    else failures.push(`${what}: ${JSON.stringify(actual)}, template ${JSON.stringify(wanted)}`);
  };
  const physical = (logicalId) => listed[logicalId]?.PhysicalResourceId;

  for (const [id, resource] of Object.entries(template.Resources)) {
    const summary = listed[id];
    if (!summary) {
      failures.push(`${id} (${resource.Type}) is in the template but not in the stack`);
      continue;
    }
    if (String(summary.PhysicalResourceId ?? '').startsWith(UNMODELLED_PREFIX)) {
      unmodelled[resource.Type] = (unmodelled[resource.Type] ?? 0) + 1;
      continue;
    }
    const check = CHECKS[resource.Type];
    type = resource.Type;
    if (check) {
      await check({
        id,
        p: resource.Properties ?? {},
        name: summary.PhysicalResourceId,
        expect,
        physical,
      });
    }
  }
  return { checked, failures, unmodelled, notCarried: [...notCarried].sort() };
}

const ddb = () => new DynamoDBClient({});
// moto's queue URLs name AWS's host; the emulator is the endpoint
const sqs = () => new SQSClient({ useQueueUrlAsEndpoint: false });
const s3 = () => new S3Client({ forcePathStyle: true });
const lambda = () => new LambdaClient({});
const keys = (schema) => (schema ?? []).map((k) => `${k.AttributeName}:${k.KeyType}`);
const ignoreMissing = (promise) =>
  promise.catch((err) => {
    if (/NoSuch|NotFound/.test(err.name ?? '')) return {};
    throw err;
  });

/** What is compared, by resource type. */
const CHECKS = {
  'AWS::DynamoDB::Table': async ({ id, p, name, expect }) => {
    const { Table } = await ddb().send(new DescribeTableCommand({ TableName: name }));
    expect(`${id} key schema`, keys(Table.KeySchema), keys(p.KeySchema));
    const indexes = (list) =>
      (list ?? []).map((i) => `${i.IndexName}(${keys(i.KeySchema).join(',')})`).sort();
    expect(
      `${id} global secondary indexes`,
      indexes(Table.GlobalSecondaryIndexes),
      indexes(p.GlobalSecondaryIndexes),
    );
    expect(
      `${id} billing mode`,
      Table.BillingModeSummary?.BillingMode ?? 'PROVISIONED',
      p.BillingMode,
    );
    const ttl = await ddb().send(new DescribeTimeToLiveCommand({ TableName: name }));
    expect(
      `${id} TTL`,
      ttl.TimeToLiveDescription?.TimeToLiveStatus === 'ENABLED'
        ? ttl.TimeToLiveDescription.AttributeName
        : null,
      p.TimeToLiveSpecification?.Enabled ? p.TimeToLiveSpecification.AttributeName : null,
    );
    const backups = await ddb().send(new DescribeContinuousBackupsCommand({ TableName: name }));
    expect(
      `${id} point-in-time recovery`,
      backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription
        ?.PointInTimeRecoveryStatus === 'ENABLED',
      p.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled === true,
    );
  },
  'AWS::SQS::Queue': async ({ id, p, name, expect, physical }) => {
    const { Attributes: a = {} } = await sqs().send(
      new GetQueueAttributesCommand({ QueueUrl: name, AttributeNames: ['All'] }),
    );
    for (const [attr, prop] of [
      ['VisibilityTimeout', 'VisibilityTimeout'],
      ['ReceiveMessageWaitTimeSeconds', 'ReceiveMessageWaitTimeSeconds'],
      ['MessageRetentionPeriod', 'MessageRetentionPeriod'],
    ]) {
      if (literal(p[prop])) expect(`${id} ${attr}`, Number(a[attr]), Number(p[prop]));
    }
    const redrive = a.RedrivePolicy ? JSON.parse(a.RedrivePolicy) : null;
    expect(
      `${id} redrive maxReceiveCount`,
      redrive?.maxReceiveCount ?? null,
      p.RedrivePolicy?.maxReceiveCount ?? null,
    );
    const target = p.RedrivePolicy?.deadLetterTargetArn?.['Fn::GetAtt']?.[0];
    if (target) {
      const dlq = await sqs().send(
        new GetQueueAttributesCommand({ QueueUrl: physical(target), AttributeNames: ['QueueArn'] }),
      );
      expect(`${id} redrive target`, redrive?.deadLetterTargetArn, dlq.Attributes?.QueueArn);
    }
  },
  'AWS::S3::Bucket': async ({ id, p, name, expect }) => {
    const client = s3();
    const enc = await ignoreMissing(client.send(new GetBucketEncryptionCommand({ Bucket: name })));
    const algorithms = (rules) =>
      (rules ?? []).map(
        (r) =>
          r.ApplyServerSideEncryptionByDefault?.SSEAlgorithm ??
          r.ServerSideEncryptionByDefault?.SSEAlgorithm,
      );
    expect(
      `${id} encryption`,
      algorithms(enc.ServerSideEncryptionConfiguration?.Rules),
      algorithms(p.BucketEncryption?.ServerSideEncryptionConfiguration),
    );
    const pab = await ignoreMissing(client.send(new GetPublicAccessBlockCommand({ Bucket: name })));
    expect(
      `${id} public access block`,
      pab.PublicAccessBlockConfiguration ?? null,
      p.PublicAccessBlockConfiguration ?? null,
    );
    const life = await ignoreMissing(
      client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: name })),
    );
    const expiry = (rules) =>
      (rules ?? []).map((r) => r.Expiration?.Days ?? r.ExpirationInDays).sort();
    expect(
      `${id} lifecycle expirations (days)`,
      expiry(life.Rules),
      expiry(p.LifecycleConfiguration?.Rules),
    );
    const cors = await ignoreMissing(client.send(new GetBucketCorsCommand({ Bucket: name })));
    const methods = (rules) => (rules ?? []).flatMap((r) => r.AllowedMethods).sort();
    expect(`${id} CORS methods`, methods(cors.CORSRules), methods(p.CorsConfiguration?.CorsRules));
    const versioning = await client.send(new GetBucketVersioningCommand({ Bucket: name }));
    expect(
      `${id} versioning`,
      versioning.Status ?? 'Off',
      p.VersioningConfiguration?.Status ?? 'Off',
    );
  },
  'AWS::Lambda::Function': async ({ id, p, name, expect }) => {
    const c = await lambda().send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    for (const field of ['Runtime', 'Handler', 'MemorySize', 'Timeout', 'Architectures']) {
      if (literal(p[field])) expect(`${id} ${field}`, c[field], p[field]);
    }
    if (p.TracingConfig) expect(`${id} tracing`, c.TracingConfig?.Mode, p.TracingConfig.Mode);
    expect(`${id} layers`, (c.Layers ?? []).length, (p.Layers ?? []).length);
  },
  'AWS::Lambda::Alias': async ({ id, p, name, expect }) => {
    const fn = name.split(':')[6];
    const alias = await lambda().send(new GetAliasCommand({ FunctionName: fn, Name: p.Name }));
    expect(`${id} points at a published version`, /^\d+$/.test(alias.FunctionVersion ?? ''), true);
  },
  'AWS::Lambda::EventSourceMapping': async ({ id, p, name, expect }) => {
    const { EventSourceMappings = [] } = await lambda().send(
      new ListEventSourceMappingsCommand({}),
    );
    const mapping = EventSourceMappings.find((m) => m.UUID === name);
    expect(`${id} exists`, Boolean(mapping), true);
    expect(`${id} batch size`, mapping?.BatchSize, p.BatchSize);
    expect(
      `${id} maximum concurrency`,
      mapping?.ScalingConfig?.MaximumConcurrency ?? null,
      p.ScalingConfig?.MaximumConcurrency ?? null,
    );
  },
};
