import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeResourceWildcard } from './private/nag';

/** Properties of the {@link DrawingBucket}. */
export interface DrawingBucketProps {
  /**
   * What happens to the buckets when they leave the stack. A destroyed bucket must be empty:
   * the construct adds no auto-delete custom resource.
   * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Keep old versions of overwritten objects (expired with the objects).
   * @default false
   */
  readonly versioned?: boolean;
  /**
   * Origins allowed to upload through presigned URLs from a browser.
   * @default ['*'] - the presigned URL itself is the credential
   */
  readonly corsAllowedOrigins?: string[];
  /**
   * Days after which drawings and results are deleted.
   * @default 30
   */
  readonly expireAfterDays?: number;
}

const DRAWINGS_PREFIX = 'drawings/';
const WORK_PREFIX = 'jobs/';
const RESULTS_PREFIX = 'results/';
/** Drawings uploaded through presigned PUTs; copied under drawings/ when submitted. */
const UPLOADS_PREFIX = 'uploads/';

/**
 * The drawings and results bucket (private, TLS only, S3-managed encryption, lifecycle
 * expiry and intelligent tiering) and the bucket its server access logs go to.
 */
export class DrawingBucket extends Construct {
  /** Where uploaded drawings are stored: `drawings/<job_id>/…`. */
  public static readonly DRAWINGS_PREFIX = DRAWINGS_PREFIX;
  /** Where the processor keeps intermediate stage outputs: `jobs/<job_id>/…`. */
  public static readonly WORK_PREFIX = WORK_PREFIX;
  /** Where the processor writes results (component list, CSV schedule): `results/<job_id>/…`. */
  public static readonly RESULTS_PREFIX = RESULTS_PREFIX;

  /** Drawings and results. */
  public readonly bucket: s3.Bucket;
  /** Server access logs of {@link bucket}. */
  public readonly accessLogBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: DrawingBucketProps = {}) {
    super(scope, id);
    // S3 delivers access logs under a bucket policy, not the legacy LogDeliveryWrite ACL
    // (cfn-lint W3045), whatever the app's feature flags say.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE;
    const secure = {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      removalPolicy,
    };
    this.accessLogBucket = new s3.Bucket(this, 'AccessLogs', {
      ...secure,
      // ACLs off: S3 log delivery is granted by bucket policy, not the legacy AccessControl
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
    });
    acknowledge(
      this.accessLogBucket,
      'AwsSolutions-S1',
      'This is the access-log bucket of the drawings bucket; logging it into itself would loop.',
    );

    const days = props.expireAfterDays ?? 30;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...secure,
      versioned: props.versioned ?? false,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'drawings-bucket/',
      cors: [
        {
          allowedMethods: [s3.HttpMethods.PUT, s3.HttpMethods.GET],
          allowedOrigins: props.corsAllowedOrigins ?? ['*'],
          allowedHeaders: ['*'],
          maxAge: 3600,
        },
      ],
      lifecycleRules: [
        {
          expiration: Duration.days(days),
          noncurrentVersionExpiration: props.versioned ? Duration.days(1) : undefined,
          abortIncompleteMultipartUploadAfter: Duration.days(1),
          transitions: [
            {
              storageClass: s3.StorageClass.INTELLIGENT_TIERING,
              transitionAfter: Duration.days(0),
            },
          ],
        },
        // An upload is copied to drawings/ when its job is submitted; what is left is removed.
        { prefix: UPLOADS_PREFIX, expiration: Duration.days(1) },
      ],
    });
  }

  /** Storing uploaded drawings and removing them when a submission fails: s3:PutObject, s3:DeleteObject on `drawings/*`. */
  public grantWriteDrawings(grantee: iam.IGrantable): iam.Grant {
    return this.grantObjects(grantee, ['s3:PutObject', 's3:DeleteObject'], DRAWINGS_PREFIX);
  }

  /**
   * Presigning uploads and taking them in: s3:PutObject and s3:GetObject on `uploads/*`, and
   * s3:ListBucket on the bucket, so that a missing upload is a 404 rather than a 403.
   */
  public grantUploads(grantee: iam.IGrantable): iam.Grant {
    return this.grantObjects(grantee, ['s3:PutObject', 's3:GetObject'], UPLOADS_PREFIX).combine(
      this.grantHeadBucket(grantee),
    );
  }

  /** Presigning result downloads: s3:GetObject on `results/*`. */
  public grantReadResults(grantee: iam.IGrantable): iam.Grant {
    return this.grantObjects(grantee, ['s3:GetObject'], RESULTS_PREFIX);
  }

  /**
   * Processing a job: s3:GetObject on `drawings/*` and `jobs/*`, s3:PutObject on `jobs/*`
   * and `results/*`.
   */
  public grantProcessJobs(grantee: iam.IGrantable): iam.Grant {
    return this.grantObjects(grantee, ['s3:GetObject'], DRAWINGS_PREFIX, WORK_PREFIX).combine(
      this.grantObjects(grantee, ['s3:PutObject'], WORK_PREFIX, RESULTS_PREFIX),
    );
  }

  /**
   * Removing a finished job's objects (the post-traffic hook's synthetic job): s3:DeleteObject
   * on `drawings/*`, `jobs/*` and `results/*`, and s3:ListBucket to find them.
   */
  public grantRemoveJobObjects(grantee: iam.IGrantable): iam.Grant {
    return this.grantObjects(
      grantee,
      ['s3:DeleteObject'],
      DRAWINGS_PREFIX,
      WORK_PREFIX,
      RESULTS_PREFIX,
    ).combine(this.grantHeadBucket(grantee));
  }

  /** Checking the bucket is reachable (HeadBucket): s3:ListBucket on the bucket only. */
  public grantHeadBucket(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:ListBucket'],
      resourceArns: [this.bucket.bucketArn],
    });
  }

  /**
   * Grants on `<prefix>*` for each prefix. Object keys carry the job id, created per request,
   * so a prefix is the narrowest ARN known at deploy time; the matching cdk-nag findings are
   * acknowledged on the grantee, one by one.
   */
  private grantObjects(
    grantee: iam.IGrantable,
    actions: string[],
    ...prefixes: string[]
  ): iam.Grant {
    if (Construct.isConstruct(grantee)) {
      for (const prefix of prefixes) {
        acknowledgeResourceWildcard(
          grantee,
          this.bucket.bucketArn,
          `/${prefix}*`,
          `Objects live under ${prefix}<job or upload id> and the ids are created at run time: ${prefix}* is the narrowest ARN known at deploy time.`,
        );
      }
    }
    return iam.Grant.addToPrincipal({
      grantee,
      actions,
      resourceArns: prefixes.map((prefix) => this.bucket.arnForObjects(`${prefix}*`)),
    });
  }
}
