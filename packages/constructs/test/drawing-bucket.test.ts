import { Match } from 'aws-cdk-lib/assertions';
import { platformFor } from './helpers';

describe('DrawingBucket', () => {
  const { template, stack, platform } = platformFor('prod');
  const bucketId = stack.getLogicalId(platform.bucket.node.defaultChild as never);

  test('blocks public access, encrypts, and logs access to its own log bucket', () => {
    const bucket = template.toJSON().Resources[bucketId].Properties;
    expect(bucket).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      },
      LoggingConfiguration: { DestinationBucketName: { Ref: expect.stringMatching(/AccessLogs/) } },
      VersioningConfiguration: { Status: 'Enabled' },
    });
  });

  test('expires objects after 30 days and moves them to intelligent tiering', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({
            ExpirationInDays: 30,
            Status: 'Enabled',
            Transitions: [{ StorageClass: 'INTELLIGENT_TIERING', TransitionInDays: 0 }],
          }),
          // uploads left behind (never submitted) go after a day
          Match.objectLike({ Prefix: 'uploads/', ExpirationInDays: 1, Status: 'Enabled' }),
        ],
      },
    });
  });

  test('allows presigned browser uploads through CORS', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: {
        CorsRules: [Match.objectLike({ AllowedMethods: Match.arrayWith(['PUT']) })],
      },
    });
  });

  test('denies every request without TLS, on both buckets', () => {
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'));
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  test('is not versioned in dev', () => {
    const dev = platformFor('dev');
    const id = dev.stack.getLogicalId(dev.platform.bucket.node.defaultChild as never);
    expect(dev.template.toJSON().Resources[id].Properties.VersioningConfiguration).toBeUndefined();
  });
});
