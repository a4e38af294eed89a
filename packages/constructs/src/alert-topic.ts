import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** Properties of the {@link AlertTopic}. */
export interface AlertTopicProps {
  /** Physical topic name. */
  readonly topicName: string;
  /**
   * What happens to the encryption key when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The alert topic, TLS only and encrypted with its own rotating key. A customer-managed key
 * (rather than `alias/aws/sns`) lets CloudWatch alarms publish to the topic too.
 */
export class AlertTopic extends Construct {
  /** The SNS topic. */
  public readonly topic: sns.Topic;
  /** The key that encrypts the topic. */
  public readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: `Encrypts the ${props.topicName} SNS topic`,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.key.grant(
      new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
      'kms:Decrypt',
      'kms:GenerateDataKey',
    );
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: props.topicName,
      masterKey: this.key,
      enforceSSL: true,
    });
  }

  /**
   * Publishing alerts: sns:Publish on the topic, kms:GenerateDataKey and kms:Decrypt on its
   * key (`Topic.grantPublish` would ask for `kms:GenerateDataKey*`).
   */
  public grantPublish(grantee: iam.IGrantable): iam.Grant {
    const publish = iam.Grant.addToPrincipal({
      grantee,
      actions: ['sns:Publish'],
      resourceArns: [this.topic.topicArn],
    });
    return publish.combine(this.key.grant(grantee, 'kms:Decrypt', 'kms:GenerateDataKey'));
  }
}
