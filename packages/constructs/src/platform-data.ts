import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { AlertTopic } from './alert-topic';
import { DrawingBucket } from './drawing-bucket';
import { JobTable } from './job-table';
import { STAGE_PRESETS, tagPlatform } from './private/presets';
import { validateBaseProps, validateDataProps } from './private/validation';
import { ProcessingQueue } from './processing-queue';

/** Settings the stateful and the stateless part share; each overrides the stage preset. */
export interface PlatformBaseProps {
  /**
   * The environment: `dev`, `staging` or `prod`. It selects the preset every other value
   * starts from.
   */
  readonly stage: string;
  /**
   * Prefix of every physical name (functions, table, queues, topics, API, log groups), so two
   * platforms can share an account and region. Lowercase letters, digits and hyphens, at
   * most 38 characters.
   * @default `security-assistant-<stage>`
   */
  readonly namePrefix?: string;
  /**
   * What happens to the table, buckets, key and log groups when they leave the stack.
   * @default RemovalPolicy.DESTROY in dev, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE in staging and prod
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Retention of every log group.
   * @default one week in dev, one month in staging, one year in prod
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Timeout of the processor, at most 15 minutes. The processing queue's visibility timeout
   * is at least this long.
   * @default 5 minutes in dev, 15 minutes in staging and prod
   */
  readonly processorTimeout?: Duration;
}

/** Properties of {@link PlatformData}. */
export interface PlatformDataProps extends PlatformBaseProps {
  /**
   * Point-in-time recovery of the jobs table.
   * @default false in dev, true in staging and prod
   */
  readonly pointInTimeRecovery?: boolean;
  /**
   * Versioning of the drawings bucket.
   * @default false in dev, true in staging and prod
   */
  readonly bucketVersioned?: boolean;
  /**
   * Visibility timeout of the processing queue, at least the processor timeout.
   * @default - the larger of the processor timeout and 30 minutes
   */
  readonly queueVisibilityTimeout?: Duration;
  /**
   * Where failed jobs, critical alarms and cost alerts are announced; when given, warnings
   * and deployment notifications go there too.
   * @default - encrypted topics named `<namePrefix>-alerts`, `-warnings` and `-deployments`
   */
  readonly alertTopic?: sns.ITopic;
}

/**
 * The stateful part of a platform, as the stateless part uses it: where jobs, drawings and
 * messages live, and the grants each function needs on them.
 */
export interface IPlatformData extends IConstruct {
  /** The stage the data belongs to. */
  readonly stage: string;
  /** The prefix of every physical name. */
  readonly namePrefix: string;
  /** The jobs table. */
  readonly table: dynamodb.ITable;
  /** Drawings and results. */
  readonly bucket: s3.IBucket;
  /** Jobs waiting for the processor. */
  readonly queue: sqs.IQueue;
  /** Messages that failed three receives. */
  readonly deadLetterQueue: sqs.IQueue;
  /** Where failed jobs, critical alarms and cost alerts are announced. */
  readonly alertTopic: sns.ITopic;
  /** Where warning alarms go. */
  readonly warningsTopic: sns.ITopic;
  /** Where CodeDeploy and CloudFormation state changes go. */
  readonly deploymentsTopic: sns.ITopic;

  /** Creating a job, and removing it when its submission fails: dynamodb:PutItem, dynamodb:DeleteItem. */
  grantCreateJob(grantee: iam.IGrantable): iam.Grant;
  /** Reading a job: dynamodb:GetItem. */
  grantReadJob(grantee: iam.IGrantable): iam.Grant;
  /** Reading and checkpointing a job: dynamodb:GetItem, dynamodb:UpdateItem. */
  grantUpdateJob(grantee: iam.IGrantable): iam.Grant;
  /** Checking the table is reachable: dynamodb:DescribeTable. */
  grantDescribeTable(grantee: iam.IGrantable): iam.Grant;
  /** Storing and removing uploaded drawings: s3:PutObject, s3:DeleteObject on `drawings/*`. */
  grantWriteDrawings(grantee: iam.IGrantable): iam.Grant;
  /** Presigning result downloads: s3:GetObject on `results/*`. */
  grantReadResults(grantee: iam.IGrantable): iam.Grant;
  /** Listing a caller's jobs: dynamodb:Query on the jobs table's owner index. */
  grantListJobs(grantee: iam.IGrantable): iam.Grant;
  /** Presigning uploads and taking them in: s3:PutObject, s3:GetObject on `uploads/*`, s3:ListBucket. */
  grantUploads(grantee: iam.IGrantable): iam.Grant;
  /** Processing jobs: reading drawings and work files, writing work files and results. */
  grantProcessJobs(grantee: iam.IGrantable): iam.Grant;
  /** Checking the bucket is reachable (HeadBucket): s3:ListBucket on the bucket only. */
  grantHeadBucket(grantee: iam.IGrantable): iam.Grant;
  /**
   * Removing finished jobs (the post-traffic hook's synthetic job): dynamodb:DeleteItem, and
   * s3:DeleteObject on the job's prefixes with s3:ListBucket to find its objects.
   */
  grantRemoveJobs(grantee: iam.IGrantable): iam.Grant;
  /** Announcing failures: sns:Publish (and the topic key's kms:GenerateDataKey, kms:Decrypt). */
  grantPublishAlerts(grantee: iam.IGrantable): iam.Grant;
}

/** Processing messages stay hidden at least this long, whatever the processor timeout. */
const MIN_VISIBILITY_SECONDS = 30 * 60;

/**
 * The stateful part of the Security Assistant Platform: the jobs table, the drawings bucket,
 * the processing queue with its DLQ, and the alert topic with its key. Deploy it in its own
 * stack so a code change never touches it.
 *
 * @example
 * const data = new PlatformData(dataStack, 'Data', { stage: 'staging' });
 * new PlatformService(serviceStack, 'Service', { stage: 'staging', data });
 */
export class PlatformData extends Construct implements IPlatformData {
  public readonly stage: string;
  public readonly namePrefix: string;
  public readonly table: dynamodb.ITable;
  public readonly bucket: s3.IBucket;
  public readonly queue: sqs.IQueue;
  public readonly deadLetterQueue: sqs.IQueue;
  public readonly alertTopic: sns.ITopic;
  public readonly warningsTopic: sns.ITopic;
  public readonly deploymentsTopic: sns.ITopic;
  private readonly jobTable: JobTable;
  private readonly drawings: DrawingBucket;
  private readonly ownTopic?: AlertTopic;

  constructor(scope: Construct, id: string, props: PlatformDataProps) {
    super(scope, id);
    const { stage, preset, namePrefix } = validateBaseProps(props);
    validateDataProps(props);
    const name = (suffix: string) => `${namePrefix}-${suffix}`;
    const removalPolicy = props.removalPolicy ?? preset.removalPolicy;
    const processorTimeout = props.processorTimeout ?? STAGE_PRESETS[stage].processorTimeout;
    this.stage = stage;
    this.namePrefix = namePrefix;
    tagPlatform(this, stage);

    this.jobTable = new JobTable(this, 'Jobs', {
      tableName: name('jobs'),
      pointInTimeRecovery: props.pointInTimeRecovery ?? preset.pointInTimeRecovery,
      removalPolicy,
    });
    this.drawings = new DrawingBucket(this, 'Drawings', {
      removalPolicy,
      versioned: props.bucketVersioned ?? preset.bucketVersioned,
    });
    const processing = new ProcessingQueue(this, 'Processing', {
      queueName: name('processing'),
      visibilityTimeout:
        props.queueVisibilityTimeout ??
        Duration.seconds(Math.max(processorTimeout.toSeconds(), MIN_VISIBILITY_SECONDS)),
    });
    this.ownTopic = props.alertTopic
      ? undefined
      : new AlertTopic(this, 'Alerts', { topicName: name('alerts'), removalPolicy });
    this.table = this.jobTable.table;
    this.bucket = this.drawings.bucket;
    this.queue = processing.queue;
    this.deadLetterQueue = processing.deadLetterQueue;
    this.alertTopic = props.alertTopic ?? this.ownTopic!.topic;
    // With a topic of the user's own, every notification goes there.
    const topic = (topicId: string, suffix: string, publishingServices: string[]) =>
      props.alertTopic ??
      new AlertTopic(this, topicId, { topicName: name(suffix), removalPolicy, publishingServices })
        .topic;
    this.warningsTopic = topic('Warnings', 'warnings', ['cloudwatch.amazonaws.com']);
    this.deploymentsTopic = topic('Deployments', 'deployments', ['events.amazonaws.com']);
  }

  public grantCreateJob(grantee: iam.IGrantable): iam.Grant {
    return this.jobTable.grantCreateJob(grantee);
  }

  public grantReadJob(grantee: iam.IGrantable): iam.Grant {
    return this.jobTable.grantReadJob(grantee);
  }

  public grantUpdateJob(grantee: iam.IGrantable): iam.Grant {
    return this.jobTable.grantUpdateJob(grantee);
  }

  public grantDescribeTable(grantee: iam.IGrantable): iam.Grant {
    return this.jobTable.grantDescribe(grantee);
  }

  public grantWriteDrawings(grantee: iam.IGrantable): iam.Grant {
    return this.drawings.grantWriteDrawings(grantee);
  }

  public grantReadResults(grantee: iam.IGrantable): iam.Grant {
    return this.drawings.grantReadResults(grantee);
  }

  public grantListJobs(grantee: iam.IGrantable): iam.Grant {
    return this.jobTable.grantListJobs(grantee);
  }

  public grantUploads(grantee: iam.IGrantable): iam.Grant {
    return this.drawings.grantUploads(grantee);
  }

  public grantProcessJobs(grantee: iam.IGrantable): iam.Grant {
    return this.drawings.grantProcessJobs(grantee);
  }

  public grantHeadBucket(grantee: iam.IGrantable): iam.Grant {
    return this.drawings.grantHeadBucket(grantee);
  }

  public grantRemoveJobs(grantee: iam.IGrantable): iam.Grant {
    return this.jobTable
      .grantDeleteJob(grantee)
      .combine(this.drawings.grantRemoveJobObjects(grantee));
  }

  public grantPublishAlerts(grantee: iam.IGrantable): iam.Grant {
    return this.ownTopic
      ? this.ownTopic.grantPublish(grantee)
      : this.alertTopic.grantPublish(grantee);
  }
}
