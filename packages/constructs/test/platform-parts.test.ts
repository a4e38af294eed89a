import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { PlatformData, PlatformService, SecurityAssistantPlatform } from '../src';
import { synthPlatform } from './helpers';

describe('data and service in separate stacks', () => {
  // Given a data stack and a service stack of one environment
  const app = new App();
  const dataStack = new Stack(app, 'Data');
  const serviceStack = new Stack(app, 'Service');
  const data = new PlatformData(dataStack, 'Data', { stage: 'staging' });
  new PlatformService(serviceStack, 'Service', { stage: 'staging', data });
  const dataTemplate = Template.fromStack(dataStack);
  const serviceTemplate = Template.fromStack(serviceStack);

  test('keeps every stateful resource in the data stack', () => {
    for (const type of [
      'AWS::DynamoDB::Table',
      'AWS::SQS::Queue',
      'AWS::SNS::Topic',
      'AWS::KMS::Key',
    ]) {
      expect(Object.keys(dataTemplate.findResources(type)).length).toBeGreaterThan(0);
      expect(serviceTemplate.findResources(type)).toEqual({});
    }
    expect(Object.keys(dataTemplate.findResources('AWS::S3::Bucket'))).toHaveLength(2);
    expect(serviceTemplate.findResources('AWS::S3::Bucket')).toEqual({});
  });

  test('keeps every function, the layer and the API in the service stack', () => {
    expect(dataTemplate.findResources('AWS::Lambda::Function')).toEqual({});
    expect(dataTemplate.findResources('AWS::ApiGateway::RestApi')).toEqual({});
    serviceTemplate.resourceCountIs('AWS::Lambda::LayerVersion', 1);
    serviceTemplate.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    expect(Object.keys(serviceTemplate.findResources('AWS::Lambda::Function')).length).toBe(15);
  });

  test('the service reads the data stack resources through imports', () => {
    serviceTemplate.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'security-assistant-staging-status',
      Environment: {
        Variables: Match.objectLike({ TABLE_NAME: { 'Fn::ImportValue': Match.anyValue() } }),
      },
    });
  });
});

describe('names', () => {
  test('a name prefix lets two platforms of one stage share an account', () => {
    // Given two platforms of the same stage in one stack, one with a prefix
    const app = new App();
    const stack = new Stack(app, 'Both');
    new SecurityAssistantPlatform(stack, 'A', { stage: 'dev' });
    new SecurityAssistantPlatform(stack, 'B', { stage: 'dev', namePrefix: 'team-b-dev' });
    const template = Template.fromStack(stack);
    // Then no physical name is used twice
    // (alias names are per function: every function has a `live` alias; model names are
    // per REST API: every API has its request models)
    const resources = Object.values(template.toJSON().Resources as Record<string, any>);
    const names = resources
      .filter((r) => !['AWS::Lambda::Alias', 'AWS::ApiGateway::Model'].includes(r.Type))
      .flatMap((r) =>
        ['FunctionName', 'TableName', 'QueueName', 'TopicName', 'Name', 'LogGroupName']
          .map((k) => r.Properties?.[k])
          .filter((v) => typeof v === 'string'),
      );
    expect(new Set(names).size).toBe(names.length);
    template.hasResourceProperties('AWS::DynamoDB::Table', { TableName: 'team-b-dev-jobs' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'team-b-dev-processor',
      Environment: {
        Variables: Match.objectLike({ MODEL_API_KEY_PARAMETER: '/team-b-dev/model-api-key' }),
      },
    });
  });

  test.each([
    ['Upper-Case', /namePrefix must be 1 to 38 lowercase letters/],
    ['x'.repeat(39), /given 'x{39}'/],
    ['-leading', /namePrefix/],
  ])('fails if the name prefix is %s', (namePrefix, message) => {
    expect(() => synthPlatform({ stage: 'dev', namePrefix })).toThrow(message);
  });
});

describe('account-level singletons', () => {
  test('creates no API Gateway account setting unless asked', () => {
    const { template } = synthPlatform({ stage: 'prod' });
    template.resourceCountIs('AWS::ApiGateway::Account', 0);
  });

  test('creates the API Gateway CloudWatch role when asked', () => {
    const { template } = synthPlatform({ stage: 'prod', apiGatewayCloudWatchRole: true });
    template.resourceCountIs('AWS::ApiGateway::Account', 1);
  });
});

describe('analyser', () => {
  test('runs the processor with gemini, the model named and the key parameter it may read', () => {
    const { template } = synthPlatform({
      stage: 'prod',
      analyser: 'gemini',
      modelName: 'gemini-2.5-pro',
    });

    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: Match.stringLikeRegexp('processor$'),
      Environment: {
        Variables: Match.objectLike({
          ANALYSER: 'gemini',
          MODEL_NAME: 'gemini-2.5-pro',
          MODEL_API_KEY_PARAMETER: '/security-assistant/prod/model-api-key',
        }),
      },
    });
  });

  test("gives the offline analyser the deployment's tag vocabulary, and refuses a bad one", () => {
    const { template } = synthPlatform({
      stage: 'dev',
      tagVocabulary: { ACR: 'card_reader', GB: 'glass_break' },
    });

    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: Match.stringLikeRegexp('processor$'),
      Environment: {
        Variables: Match.objectLike({
          TAG_VOCABULARY: '{"ACR":"card_reader","GB":"glass_break"}',
        }),
      },
    });
    expect(() => synthPlatform({ stage: 'dev', tagVocabulary: { 'acr-': 'card_reader' } })).toThrow(
      /tagVocabulary maps a tag prefix of 1-5 capital letters .* \(given "acr-": "card_reader"\)/,
    );
    expect(() => synthPlatform({ stage: 'dev', tagVocabulary: { ACR: 'Card Reader' } })).toThrow(
      /snake_case component type/,
    );
  });

  test('fails on a model name that is not one', () => {
    expect(() =>
      synthPlatform({ stage: 'dev', analyser: 'gemini', modelName: 'models/../x y' }),
    ).toThrow(/modelName must be a model name like gemini-2.5-flash \(given 'models\/..\/x y'\)/);
  });

  test('fails on an unknown analyser, naming the known ones', () => {
    expect(() => synthPlatform({ stage: 'dev', analyser: 'magic' })).toThrow(
      /analyser must be one of offline, gemini \(given 'magic'\)/,
    );
  });
});

describe('stage', () => {
  test('fails on an unknown stage, naming the known ones', () => {
    expect(() => synthPlatform({ stage: 'qa' })).toThrow(
      /stage must be one of dev, staging, prod \(given 'qa'\)/,
    );
  });
});
