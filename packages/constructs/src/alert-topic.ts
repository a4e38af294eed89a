import { RemovalPolicy, Stack } from 'aws-cdk-lib';
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
   * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * AWS services that publish to the topic (each gets the topic's key and, but for
   * CloudWatch, sns:Publish in the topic policy).
   * @default - CloudWatch (alarm actions), AWS Budgets and Cost Anomaly Detection
   */
  readonly publishingServices?: string[];
}

/** The services that publish alerts: alarm actions, budgets and cost anomalies. */
const ALERT_PUBLISHERS = [
  'cloudwatch.amazonaws.com',
  'budgets.amazonaws.com',
  'costalerts.amazonaws.com',
];

/**
 * A notification topic (alerts, warnings, deployments), TLS only and encrypted with its own
 * rotating key. A customer-managed key (rather than `alias/aws/sns`) lets CloudWatch alarms,
 * AWS Budgets, Cost Anomaly Detection and EventBridge publish to it.
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
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    const publishers = props.publishingServices ?? ALERT_PUBLISHERS;
    for (const service of publishers) {
      this.key.grant(new iam.ServicePrincipal(service), 'kms:Decrypt', 'kms:GenerateDataKey');
    }
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: props.topicName,
      masterKey: this.key,
      enforceSSL: true,
    });
    // CloudWatch alarms of the same account need no topic policy; the others do.
    const others = publishers.filter((s) => s !== 'cloudwatch.amazonaws.com');
    if (others.length > 0) {
      this.topic.addToResourcePolicy(
        new iam.PolicyStatement({
          principals: others.map((s) => new iam.ServicePrincipal(s)),
          actions: ['sns:Publish'],
          resources: [this.topic.topicArn],
          conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
        }),
      );
    }
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
