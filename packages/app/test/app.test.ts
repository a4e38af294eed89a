import { Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { createApp, environments } from '../src';
import { readTemplate, synthApp } from './support/synth';

describe('the app', () => {
  const { app, templates } = synthApp();

  it('has a data and a service stack per environment, and one account stack', () => {
    expect(Object.keys(templates).sort()).toEqual([
      'SecurityAssistant-account',
      'SecurityAssistant-dev-data',
      'SecurityAssistant-dev-service',
      'SecurityAssistant-prod-data',
      'SecurityAssistant-prod-service',
      'SecurityAssistant-staging-data',
      'SecurityAssistant-staging-service',
    ]);
  });

  it('keeps stateful resources out of the service stacks and code out of the data stacks', () => {
    for (const [name, path] of Object.entries(templates)) {
      const types = new Set(Object.values(readTemplate(path).Resources).map((r) => r.Type));
      if (name.endsWith('-service')) {
        for (const stateful of [
          'AWS::DynamoDB::Table',
          'AWS::S3::Bucket',
          'AWS::SQS::Queue',
          'AWS::KMS::Key',
        ]) {
          expect(types.has(stateful)).toBe(false);
        }
        expect(types.has('AWS::Lambda::Function')).toBe(true);
      }
      if (name.endsWith('-data')) {
        expect(types.has('AWS::Lambda::Function')).toBe(false);
        expect(types.has('AWS::DynamoDB::Table')).toBe(true);
      }
    }
  });

  it('sets the API Gateway account role once, in the account stack only', () => {
    const owners = Object.entries(templates)
      .filter(([, path]) =>
        Object.values(readTemplate(path).Resources).some(
          (r) => r.Type === 'AWS::ApiGateway::Account',
        ),
      )
      .map(([name]) => name);
    expect(owners).toEqual(['SecurityAssistant-account']);
  });

  it('names no account and no region: the stacks are environment-agnostic offline', () => {
    for (const stack of app.node.children.filter(Stack.isStack)) {
      expect(Token.isUnresolved(stack.account)).toBe(true);
      expect(Token.isUnresolved(stack.region)).toBe(true);
    }
    for (const path of Object.values(templates)) {
      const text = JSON.stringify(readTemplate(path));
      expect(text).not.toMatch(/\b\d{12}\b/);
      expect(text).not.toMatch(
        /\b(us|eu|ap|sa|ca|me|af|il)-(east|west|north|south|central|northeast|southeast)-\d\b/,
      );
    }
  });

  it('deploys each stage with its own stage setting', () => {
    for (const [name, path] of Object.entries(templates).filter(([n]) => n.endsWith('-service'))) {
      const stage = name.replace('SecurityAssistant-', '').replace('-service', '');
      const resources = Object.values(readTemplate(path).Resources);
      const functions = resources.filter((r) => r.Type === 'AWS::Lambda::Function');
      const stages = functions
        .map((f) => f.Properties?.Environment?.Variables?.STAGE)
        .filter((s) => s !== undefined);
      expect(stages.length).toBeGreaterThan(0);
      expect(new Set(stages)).toEqual(new Set([stage]));
    }
  });
});

describe('environment configuration', () => {
  it('takes preset overrides from CDK context as the CLI passes them: JSON text', () => {
    // what `cdk synth -c 'security-assistant:dev={"processorMemorySize":2048}'` gives the app
    const app = createApp({
      context: {
        'security-assistant:dev':
          '{"processorMemorySize":2048,"processorTimeout":"PT10M","queueVisibilityTimeout":3600,"deploymentConfig":"LINEAR_10PERCENT_EVERY_1MINUTE","removalPolicy":"retain","logRetention":14,"processorMaxConcurrency":3,"tagVocabulary":{"ACR":"card_reader"}}',
      },
    });
    const service = Template.fromStack(
      app.node.findChild('SecurityAssistant-dev-service') as Stack,
    );
    service.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'security-assistant-dev-processor',
      MemorySize: 2048,
      Timeout: 600,
    });
    service.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
      DeploymentConfigName: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
    });
    service.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 14 });
    const data = Template.fromStack(app.node.findChild('SecurityAssistant-dev-data') as Stack);
    data.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'security-assistant-dev-processing',
      VisibilityTimeout: 3600,
    });
    data.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
    });
    service.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ScalingConfig: { MaximumConcurrency: 3 },
    });
    service.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'security-assistant-dev-processor',
      Environment: { Variables: Match.objectLike({ TAG_VOCABULARY: '{"ACR":"card_reader"}' }) },
    });
  });

  it('takes overrides as an object too (cdk.json context)', () => {
    const [dev] = environments((key) =>
      key === 'security-assistant:dev' ? { apiMemorySize: 512 } : undefined,
    );
    expect(dev.overrides).toEqual({ apiMemorySize: 512 });
  });

  it.each([
    ['big', /must be a JSON object of preset overrides \(given big\)/],
    ['[1]', /must be an object of preset overrides/],
    ['{"memory":1}', /unknown prop 'memory' \(known: .*apiMemorySize/],
    [
      '{"processorTimeout":"ten minutes"}',
      /processorTimeout \(given "ten minutes"\) must be an ISO-8601 duration/,
    ],
    [
      '{"deploymentConfig":"FAST"}',
      /must name a LambdaDeploymentConfig: .*CANARY_10PERCENT_5MINUTES/,
    ],
    ['{"removalPolicy":"keep"}', /must be one of destroy, retain, retain-always, snapshot/],
    ['{"logRetention":8}', /must be a number of days CloudWatch Logs offers/],
    ['{"apiMemorySize":"big"}', /apiMemorySize \(given "big"\) must be a number/],
    [
      '{"tagVocabulary":["ACR"]}',
      /tagVocabulary .*must be an object of tag prefix to component type/,
    ],
  ])('fails with a readable error on context %s', (value, message) => {
    expect(() =>
      environments((key) => (key === 'security-assistant:prod' ? value : undefined)),
    ).toThrow(message);
  });
});
