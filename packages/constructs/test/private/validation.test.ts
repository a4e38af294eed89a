import { App, Duration, Stack } from 'aws-cdk-lib';
import { SecurityAssistantPlatform, SecurityAssistantPlatformProps } from '../../src';

/** Validation runs before any artifact is read, so these need no build. */
function create(props: SecurityAssistantPlatformProps): void {
  new SecurityAssistantPlatform(new Stack(new App(), 'Stack'), 'Platform', props);
}

describe('props validation', () => {
  test('fails if the stage is unknown', () => {
    expect(() => create({ stage: 'qa' as never })).toThrow(
      "stage must be one of dev, staging, prod (given 'qa')",
    );
  });

  test('fails if a memory size is outside 128..10240', () => {
    expect(() => create({ stage: 'dev', apiMemorySize: 64 })).toThrow(
      'apiMemorySize must be an integer between 128 and 10240 (given 64)',
    );
    expect(() => create({ stage: 'dev', processorMemorySize: 20000 })).toThrow(
      /processorMemorySize must be an integer between 128 and 10240 \(given 20000\)/,
    );
  });

  test('fails if the processor timeout is above 15 minutes', () => {
    expect(() => create({ stage: 'prod', processorTimeout: Duration.minutes(20) })).toThrow(
      /processorTimeout must be at most 15 minutes \(given 20 minutes\)/,
    );
  });

  test('fails if the queue hides messages for less than the processor timeout, preset included', () => {
    expect(() =>
      create({
        stage: 'dev',
        processorTimeout: Duration.minutes(10),
        queueVisibilityTimeout: Duration.minutes(5),
      }),
    ).toThrow(
      /queueVisibilityTimeout must be at least processorTimeout \(given 5 minutes < 10 minutes\)/,
    );
    expect(() => create({ stage: 'prod', queueVisibilityTimeout: Duration.minutes(10) })).toThrow(
      /given 10 minutes < 15 minutes/,
    );
  });

  test('fails if the upload limit does not fit API Gateway once base64-encoded', () => {
    expect(() => create({ stage: 'dev', maxUploadBytes: 10 * 1024 * 1024 })).toThrow(
      /maxUploadBytes must be an integer between 1 and 7864320 \(given 10485760\)/,
    );
  });

  test('fails if provisioned concurrency is negative', () => {
    expect(() => create({ stage: 'prod', provisionedConcurrency: -1 })).toThrow(
      /provisionedConcurrency .*\(given -1\)/,
    );
  });

  test('fails if the model key parameter name is not absolute', () => {
    expect(() => create({ stage: 'dev', modelApiKeyParameterName: 'model-key' })).toThrow(
      /modelApiKeyParameterName must be an absolute SSM parameter name .*\(given 'model-key'\)/,
    );
  });
});
