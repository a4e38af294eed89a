import {
  CreateTableCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutBucketCorsCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { CfnTemplate, Resolver, resourcesOfType } from './cfn';

/** The busiest services, which can have emulator processes of their own. */
export const SEPARATE_SERVICES = ['dynamodb', 'sqs', 'sns', 's3'] as const;
export type SeparateService = (typeof SEPARATE_SERVICES)[number];

/**
 * The emulator processes besides the main one, by the services each serves. SNS shares SQS's
 * process: an emulator delivers to SQS subscriptions only within itself.
 */
export const EMULATOR_PROCESSES: readonly (readonly SeparateService[])[] = [
  ['dynamodb'],
  ['sqs', 'sns'],
  ['s3'],
];

/** How to reach the emulator. */
export interface EmulatorEndpoint {
  /** The emulator of every service without a process of its own. */
  readonly endpoint: string;
  /** The services that have an emulator process of their own (see startLocalPlatform). */
  readonly services?: Partial<Record<SeparateService, string>>;
  readonly region: string;
}

/** Credentials for the emulator only: moto accepts any. */
export const EMULATOR_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** moto's account id, which it puts in every ARN. */
const EMULATOR_ACCOUNT = '123456789012';

/** The value the local SSM SecureString holds when no model key is given (offline analyser). */
const LOCAL_MODEL_API_KEY = 'local-offline-analyser-uses-no-key';

/** SDK client settings for `service` on the emulator. */
export function clientConfig(emulator: EmulatorEndpoint, service?: SeparateService) {
  return {
    endpoint: (service && emulator.services?.[service]) ?? emulator.endpoint,
    region: emulator.region,
    credentials: EMULATOR_CREDENTIALS,
  };
}

/**
 * Creates on the emulator every data resource the template defines — DynamoDB tables with
 * their GSIs and TTL, SQS queues with their redrive policies, S3 buckets, SNS topics — and
 * the SSM parameters the functions name (holding `modelApiKey`), and returns a resolver for
 * the template's references to them.
 */
export async function createEmulatorResources(
  template: CfnTemplate,
  emulator: EmulatorEndpoint,
  modelApiKey: string = LOCAL_MODEL_API_KEY,
): Promise<Resolver> {
  const resolver = new Resolver(template, {
    'AWS::Region': emulator.region,
    'AWS::AccountId': EMULATOR_ACCOUNT,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': 'SecurityAssistant-local',
    'AWS::NoValue': '',
  });
  const config = clientConfig(emulator);
  const arn = (service: string, resource: string) =>
    `arn:aws:${service}:${emulator.region}:${EMULATOR_ACCOUNT}:${resource}`;

  const dynamodb = new DynamoDBClient(clientConfig(emulator, 'dynamodb'));
  for (const [id, props] of resourcesOfType(template, 'AWS::DynamoDB::Table')) {
    const tableName: string = props.TableName ?? `local-${id}`;
    await dynamodb.send(
      new CreateTableCommand({
        TableName: tableName,
        KeySchema: props.KeySchema,
        AttributeDefinitions: props.AttributeDefinitions,
        GlobalSecondaryIndexes: props.GlobalSecondaryIndexes,
        BillingMode: props.BillingMode ?? 'PAY_PER_REQUEST',
      }),
    );
    if (props.TimeToLiveSpecification) {
      await dynamodb.send(
        new UpdateTimeToLiveCommand({
          TableName: tableName,
          TimeToLiveSpecification: props.TimeToLiveSpecification,
        }),
      );
    }
    resolver.register(id, {
      ref: tableName,
      attributes: { Arn: arn('dynamodb', `table/${tableName}`) },
    });
  }

  // Queues first, redrive policies second: a policy names its DLQ's ARN.
  const sqs = new SQSClient(clientConfig(emulator, 'sqs'));
  const queues = resourcesOfType(template, 'AWS::SQS::Queue');
  for (const [id, props] of queues) {
    const queueName: string = props.QueueName ?? `local-${id}`;
    const attributes: Record<string, string> = {};
    for (const key of [
      'VisibilityTimeout',
      'MessageRetentionPeriod',
      'ReceiveMessageWaitTimeSeconds',
    ]) {
      if (props[key] !== undefined) attributes[key] = String(props[key]);
    }
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: queueName, Attributes: attributes }),
    );
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    resolver.register(id, {
      ref: QueueUrl!,
      attributes: { Arn: Attributes!.QueueArn!, QueueName: queueName, QueueUrl: QueueUrl! },
    });
  }
  for (const [id, props] of queues) {
    if (!props.RedrivePolicy) continue;
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: resolver.resolve({ Ref: id }),
        Attributes: { RedrivePolicy: JSON.stringify(resolver.resolve(props.RedrivePolicy)) },
      }),
    );
  }

  const s3 = new S3Client({ ...clientConfig(emulator, 's3'), forcePathStyle: true });
  for (const [id, props] of resourcesOfType(template, 'AWS::S3::Bucket')) {
    // Deployed bucket names are generated by CloudFormation; locally they are made up.
    const bucketName: string =
      props.BucketName ?? `security-assistant-local-${id.toLowerCase()}`.slice(0, 63);
    await s3.send(new CreateBucketCommand({ Bucket: bucketName }));
    if (props.CorsConfiguration) {
      await s3.send(
        new PutBucketCorsCommand({
          Bucket: bucketName,
          CORSConfiguration: { CORSRules: props.CorsConfiguration.CorsRules.map(corsRule) },
        }),
      );
    }
    resolver.register(id, { ref: bucketName, attributes: { Arn: `arn:aws:s3:::${bucketName}` } });
  }

  const sns = new SNSClient(clientConfig(emulator, 'sns'));
  for (const [id, props] of resourcesOfType(template, 'AWS::SNS::Topic')) {
    const { TopicArn } = await sns.send(
      new CreateTopicCommand({ Name: props.TopicName ?? `local-${id}` }),
    );
    resolver.register(id, { ref: TopicArn!, attributes: { TopicArn: TopicArn! } });
  }

  // The model API key is a SecureString created outside the stack; create its local twin.
  const ssm = new SSMClient(config);
  const parameterNames = new Set(
    resourcesOfType(template, 'AWS::Lambda::Function')
      .map(([, props]) => props.Environment?.Variables?.MODEL_API_KEY_PARAMETER)
      .filter((name): name is string => typeof name === 'string'),
  );
  for (const name of parameterNames) {
    await ssm.send(
      new PutParameterCommand({
        Name: name,
        Type: 'SecureString',
        Value: modelApiKey,
        Overwrite: true,
      }),
    );
  }
  return resolver;
}

/** CloudFormation's CORS rule shape → the S3 API's. */
function corsRule(rule: Record<string, any>) {
  return {
    AllowedHeaders: rule.AllowedHeaders,
    AllowedMethods: rule.AllowedMethods,
    AllowedOrigins: rule.AllowedOrigins,
    ExposeHeaders: rule.ExposedHeaders,
    MaxAgeSeconds: rule.MaxAge,
  };
}
