import { platformFor } from './helpers';

describe('ProcessingQueue', () => {
  const { template, stack, platform } = platformFor('prod');
  const dlqArn = stack.resolve(platform.deadLetterQueue.queueArn);

  test('moves a message to the DLQ after three receives', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'security-assistant-prod-processing',
      RedrivePolicy: { deadLetterTargetArn: dlqArn, maxReceiveCount: 3 },
    });
  });

  test('long-polls, encrypts and hides messages for at least the processor timeout (30 minutes by default)', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'security-assistant-prod-processing',
      ReceiveMessageWaitTimeSeconds: 20,
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 1800,
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'security-assistant-prod-processing-dlq',
      SqsManagedSseEnabled: true,
    });
  });

  test('denies every request without TLS on both queues', () => {
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy'));
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });
});
