import { App, CfnElement, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as sns from 'aws-cdk-lib/aws-sns';
import { SecurityAssistantPlatform } from '../src';
import {
  ALL_FUNCTIONS,
  API_FUNCTIONS,
  functionId,
  installedVersion,
  platformFor,
  statementsOf,
  synthPlatform,
} from './helpers';
import { STAGES, Stage } from '../src/private/presets';

const FUNCTIONS_VERSION = installedVersion('@security-assistant/functions');
const LAYER_VERSION = installedVersion('@security-assistant/layer-common');

describe.each(STAGES)('the %s platform', (stage: Stage) => {
  const { template } = platformFor(stage);

  test('runs every function on arm64 with the current Node.js runtime, X-Ray and the shared layer', () => {
    const layers = template.findResources('AWS::Lambda::LayerVersion');
    expect(Object.keys(layers)).toHaveLength(1);
    const layerRef = { Ref: Object.keys(layers)[0] };
    const fns = template.findResources('AWS::Lambda::Function');
    // five traffic-bearing functions and a pre- and post-traffic hook for each
    expect(Object.keys(fns)).toHaveLength(15);
    for (const fn of Object.values(fns)) {
      expect(fn.Properties).toMatchObject({
        Architectures: ['arm64'],
        Runtime: 'nodejs24.x',
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        Layers: [layerRef],
      });
    }
  });

  test('names the layer after the layer-common package version', () => {
    template.hasResourceProperties('AWS::Lambda::LayerVersion', {
      LayerName: `security-assistant-${stage}-common`,
      Description: `@security-assistant/layer-common@${LAYER_VERSION}`,
      CompatibleArchitectures: ['arm64'],
      CompatibleRuntimes: ['nodejs24.x'],
    });
  });

  test('gives every function its own log group with retention, and a role of its own', () => {
    const fns = template.findResources('AWS::Lambda::Function');
    const roles = new Set(Object.values(fns).map((fn) => JSON.stringify(fn.Properties.Role)));
    expect(roles.size).toBe(Object.keys(fns).length);
    for (const fn of Object.values(fns)) {
      const logGroupId = fn.Properties.LoggingConfig.LogGroup.Ref as string;
      expect(template.toJSON().Resources[logGroupId].Properties).toMatchObject({
        LogGroupName: `/aws/lambda/${fn.Properties.FunctionName}`,
        RetentionInDays: expect.any(Number),
      });
    }
  });

  test('sets the environment each function reads, and nothing else', () => {
    // source maps cost cold-start time: only dev runs with them
    const common = {
      STAGE: stage,
      SERVICE_VERSION: FUNCTIONS_VERSION,
      ...(stage === 'dev' ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
    };
    const expected: Record<string, string[]> = {
      'process-drawing': [
        'TABLE_NAME',
        'BUCKET_NAME',
        'QUEUE_URL',
        'MAX_UPLOAD_BYTES',
        'MAX_DRAWING_BYTES',
        'CALLERS',
      ],
      status: ['TABLE_NAME', 'BUCKET_NAME', 'CALLERS'],
      health: [],
      processor: [
        'TABLE_NAME',
        'BUCKET_NAME',
        'QUEUE_URL',
        'MODEL_API_KEY_PARAMETER',
        'ANALYSER',
        'MODEL_NAME',
        'TAG_VOCABULARY',
      ],
      'dlq-processor': ['TABLE_NAME', 'ALERT_TOPIC_ARN'],
    };
    for (const [name, keys] of Object.entries(expected)) {
      const fn = template.toJSON().Resources[functionId(template, stage, name)];
      const variables = fn.Properties.Environment.Variables;
      expect(Object.keys(variables).sort()).toEqual(
        [...keys, ...Object.keys(common), 'POWERTOOLS_SERVICE_NAME'].sort(),
      );
      expect(variables).toMatchObject({
        ...common,
        POWERTOOLS_SERVICE_NAME: `security-assistant-${stage}-${name}`,
      });
    }
  });

  test('passes the defaults for upload size, analyser and model key parameter', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: `security-assistant-${stage}-process-drawing`,
      Environment: { Variables: Match.objectLike({ MAX_UPLOAD_BYTES: String(4 * 1024 * 1024) }) },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: `security-assistant-${stage}-processor`,
      Environment: {
        Variables: Match.objectLike({
          ANALYSER: 'offline',
          MODEL_API_KEY_PARAMETER: `/security-assistant/${stage}/model-api-key`,
        }),
      },
    });
  });

  test('publishes a live alias for each of the five traffic-bearing functions', () => {
    template.resourceCountIs('AWS::Lambda::Alias', 5);
    for (const name of ALL_FUNCTIONS) {
      template.hasResourceProperties('AWS::Lambda::Alias', {
        Name: 'live',
        FunctionName: { Ref: functionId(template, stage, name) },
      });
    }
  });

  test('consumes the processing queue and the DLQ through the aliases, never $LATEST', () => {
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'));
    expect(mappings).toHaveLength(2);
    for (const mapping of mappings) {
      const target = JSON.stringify(mapping.Properties.FunctionName);
      expect(target).toMatch(/Alias/);
      expect(target).not.toMatch(/Function[0-9A-F]{8}"/);
      expect(mapping.Properties).toMatchObject({
        BatchSize: 1,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    }
  });

  test('tags every taggable resource with the project and the stage', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      Tags: Match.arrayWith([
        { Key: 'Environment', Value: stage },
        { Key: 'Project', Value: 'SecurityDesignAssistant' },
      ]),
    });
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) {
      expect(fn.Properties.Tags).toEqual(
        expect.arrayContaining([
          { Key: 'Environment', Value: stage },
          { Key: 'Project', Value: 'SecurityDesignAssistant' },
        ]),
      );
    }
  });

  test('hard-codes no account id and no region', () => {
    const json = JSON.stringify(template.toJSON());
    expect(json).not.toMatch(/(?<![0-9a-f])\d{12}(?![0-9a-f])/);
    expect(json).not.toMatch(
      /\b(us|eu|ap|sa|ca|me|af|il|mx)-(north|south|east|west|central|northeast|southeast)-\d\b/,
    );
  });
});

describe('stage presets', () => {
  const memory = (stage: Stage, name: string) => {
    const { template } = platformFor(stage);
    return template.toJSON().Resources[functionId(template, stage, name)].Properties;
  };

  test('gives the prod processor 3008 MB and 15 minutes, and dev less', () => {
    expect(memory('prod', 'processor')).toMatchObject({ MemorySize: 3008, Timeout: 900 });
    expect(memory('dev', 'processor').MemorySize).toBeLessThan(3008);
    expect(memory('dev', 'processor').Timeout).toBeLessThan(900);
    expect(memory('dev', 'status').MemorySize).toBeLessThan(memory('prod', 'status').MemorySize);
  });

  test('provisions concurrency 2 on the API aliases in prod only', () => {
    const { template: prod } = platformFor('prod');
    for (const name of API_FUNCTIONS) {
      prod.hasResourceProperties('AWS::Lambda::Alias', {
        FunctionName: { Ref: functionId(prod, 'prod', name) },
        ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 },
      });
    }
    expect(
      Object.keys(
        prod.findResources('AWS::Lambda::Alias', {
          Properties: { ProvisionedConcurrencyConfig: Match.anyValue() },
        }),
      ),
    ).toHaveLength(3);
    for (const stage of ['dev', 'staging'] as const) {
      const aliases = platformFor(stage).template.findResources('AWS::Lambda::Alias');
      for (const alias of Object.values(aliases)) {
        expect(alias.Properties.ProvisionedConcurrencyConfig).toBeUndefined();
      }
    }
  });

  test('keeps staging and prod data and lets dev data go', () => {
    // kept on update and delete, but removed when the create that made it rolls back, so a
    // failed first deploy leaves no fixed name behind to block the retry
    const kept = { DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' };
    platformFor('prod').template.hasResource('AWS::DynamoDB::Table', kept);
    platformFor('staging').template.hasResource('AWS::S3::Bucket', kept);
    platformFor('dev').template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
    platformFor('dev').template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
  });

  test("bounds the processor's concurrency per stage, and takes an override", () => {
    const mapping = (stage: Stage) =>
      Object.values(platformFor(stage).template.findResources('AWS::Lambda::EventSourceMapping'))
        .map((m) => m.Properties.ScalingConfig?.MaximumConcurrency as number)
        .sort((a, b) => a - b);
    // the processor's own bound, and the dlq-processor's 2
    expect(mapping('dev')).toEqual([2, 2]);
    expect(mapping('staging')).toEqual([2, 5]);
    expect(mapping('prod')).toEqual([2, 10]);
    synthPlatform({ stage: 'prod', processorMaxConcurrency: 40 }).template.hasResourceProperties(
      'AWS::Lambda::EventSourceMapping',
      { ScalingConfig: { MaximumConcurrency: 40 } },
    );
    expect(() => synthPlatform({ stage: 'prod', processorMaxConcurrency: 1 })).toThrow(
      /processorMaxConcurrency must be an integer between 2 and 1000 \(given 1\)/,
    );
  });

  test('turns point-in-time recovery on in staging and prod only', () => {
    const pitr = (stage: Stage) => ({
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: stage !== 'dev' },
    });
    for (const stage of STAGES) {
      platformFor(stage).template.hasResourceProperties('AWS::DynamoDB::Table', pitr(stage));
    }
  });
});

describe('overrides', () => {
  test('every preset value can be overridden', () => {
    const { template } = synthPlatform({
      stage: 'prod',
      apiMemorySize: 640,
      processorMemorySize: 2048,
      processorTimeout: Duration.minutes(10),
      queueVisibilityTimeout: Duration.minutes(40),
      removalPolicy: RemovalPolicy.DESTROY,
      pointInTimeRecovery: false,
      provisionedConcurrency: 0,
      deploymentConfig: codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_1MINUTE,
      maxUploadBytes: 1_000_000,
      modelApiKeyParameterName: '/custom/key',
      analyser: 'offline',
      sourceMaps: true,
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'security-assistant-prod-processor',
      MemorySize: 2048,
      Timeout: 600,
      Environment: {
        Variables: Match.objectLike({
          ANALYSER: 'offline',
          MODEL_API_KEY_PARAMETER: '/custom/key',
          NODE_OPTIONS: '--enable-source-maps',
        }),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'security-assistant-prod-status',
      MemorySize: 640,
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'security-assistant-prod-process-drawing',
      Environment: { Variables: Match.objectLike({ MAX_UPLOAD_BYTES: '1000000' }) },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'security-assistant-prod-processing',
      VisibilityTimeout: 2400,
    });
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
    template.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
      DeploymentConfigName: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
    });
    for (const alias of Object.values(template.findResources('AWS::Lambda::Alias'))) {
      expect(alias.Properties.ProvisionedConcurrencyConfig).toBeUndefined();
    }
  });

  test('publishes alerts to a given topic instead of creating one', () => {
    // Given a topic of the user's own, in the same stack
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const topic = new sns.Topic(stack, 'OpsTopic', { enforceSSL: true });
    // When the platform is given it
    const platform = new SecurityAssistantPlatform(stack, 'Platform', {
      stage: 'dev',
      alertTopic: topic,
    });
    // Then no topic or key is created, and the dlq-processor publishes to the given one
    const template = Template.fromStack(stack);
    expect(platform.alertTopic).toBe(topic);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::KMS::Key', 0);
    const topicRef = { Ref: stack.getLogicalId(topic.node.defaultChild as CfnElement) };
    const statements = statementsOf(template, functionId(template, 'dev', 'dlq-processor'));
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: 'sns:Publish', Resource: topicRef }),
    );
  });
});

describe('public members', () => {
  test('expose the resources, functions, aliases and deployment groups by name', () => {
    const { platform } = platformFor('dev');
    expect(platform.stage).toBe('dev');
    for (const name of ALL_FUNCTIONS) {
      expect(platform.functions[name].node.path).toContain('Platform');
      expect(platform.aliases[name].aliasName).toBe('live');
      expect(platform.deploymentGroups[name]).toBeDefined();
    }
    expect(platform.table).toBeDefined();
    expect(platform.bucket).toBeDefined();
    expect(platform.queue).toBeDefined();
    expect(platform.deadLetterQueue).toBeDefined();
    expect(platform.alertTopic).toBeDefined();
    expect(platform.api).toBeDefined();
    expect(platform.apiKey).toBeDefined();
    expect(platform.layer).toBeDefined();
  });
});
