import { platformFor } from './helpers';

describe('AlertTopic', () => {
  const { template, stack, platform } = platformFor('staging');

  test('encrypts the topic with a rotating key of its own and requires TLS', () => {
    const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0];
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'security-assistant-staging-alerts',
      KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    const policy = Object.values(template.findResources('AWS::SNS::TopicPolicy'))[0];
    expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
    expect(stack.resolve(platform.alertTopic.topicArn)).toEqual({
      Ref: expect.stringMatching(/AlertsTopic/),
    });
  });
});
