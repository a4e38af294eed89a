import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { jobTableSchema } from './private/assets';
import { acknowledge } from './private/nag';

/** Properties of the {@link JobTable}. */
export interface JobTableProps {
  /** Physical table name. */
  readonly tableName: string;
  /**
   * Point-in-time recovery.
   * @default false
   */
  readonly pointInTimeRecovery?: boolean;
  /**
   * What happens to the table when it leaves the stack.
   * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The jobs table: key, GSIs and TTL come from layer-common's `JOB_TABLE_SCHEMA`, so the
 * table and the adapters that query it cannot disagree.
 *
 * The grants name the table ARN, or the two GSIs by name for listing: never the `index/*`
 * wildcard the generic `Table.grant*` methods add.
 */
export class JobTable extends Construct {
  /** The DynamoDB table. */
  public readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: JobTableProps) {
    super(scope, id);
    const string = dynamodb.AttributeType.STRING;
    const JOB_TABLE_SCHEMA = jobTableSchema();
    this.table = new dynamodb.Table(this, 'Table', {
      tableName: props.tableName,
      partitionKey: { name: JOB_TABLE_SCHEMA.partitionKey, type: string },
      timeToLiveAttribute: JOB_TABLE_SCHEMA.ttlAttribute,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: {
        pointInTimeRecoveryEnabled: props.pointInTimeRecovery ?? false,
      },
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    if (!props.pointInTimeRecovery) {
      acknowledge(
        this.table,
        'AwsSolutions-DDB3',
        'Point-in-time recovery is off by choice (the dev preset or an explicit prop): jobs are short-lived (30-day TTL) and can be resubmitted.',
      );
    }
    for (const index of Object.values(JOB_TABLE_SCHEMA.indexes)) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: string },
        sortKey: { name: index.sortKey, type: string },
      });
    }
  }

  /** Listing a caller's jobs: dynamodb:Query on the owner index (not the table, no other). */
  public grantListJobs(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:Query'],
      resourceArns: [`${this.table.tableArn}/index/${jobTableSchema().indexes.byOwner.indexName}`],
    });
  }

  /** Creating and undoing a job: dynamodb:PutItem, dynamodb:DeleteItem. */
  public grantCreateJob(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'dynamodb:PutItem', 'dynamodb:DeleteItem');
  }

  /** Reading a job: dynamodb:GetItem. */
  public grantReadJob(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'dynamodb:GetItem');
  }

  /** Reading and checkpointing a job: dynamodb:GetItem, dynamodb:UpdateItem. */
  public grantUpdateJob(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'dynamodb:GetItem', 'dynamodb:UpdateItem');
  }

  /** Removing a finished job (the post-traffic hook's synthetic job): dynamodb:DeleteItem. */
  public grantDeleteJob(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'dynamodb:DeleteItem');
  }

  /** Checking the table is reachable: dynamodb:DescribeTable. */
  public grantDescribe(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'dynamodb:DescribeTable');
  }

  private grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.table.tableArn] });
  }
}
