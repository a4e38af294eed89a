import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PlatformData, PlatformDataProps } from './platform-data';
import { PlatformService } from './platform-service';
import { PlatformServiceOptions } from './platform-service-props';

/**
 * Properties of the {@link SecurityAssistantPlatform}: those of its stateful and its stateless
 * part. Every optional value overrides the stage preset.
 */
export interface SecurityAssistantPlatformProps extends PlatformDataProps, PlatformServiceOptions {}

/**
 * The Security Assistant Platform in one construct: its stateful part ({@link PlatformData}:
 * jobs table, drawings bucket, processing queue with DLQ, alert topic) and its stateless part
 * ({@link PlatformService}: layer, five functions deployed gradually through CodeDeploy, REST
 * API). To deploy the two parts in separate stacks, use those constructs directly.
 *
 * @example
 * new SecurityAssistantPlatform(stack, 'Platform', { stage: 'staging' });
 */
export class SecurityAssistantPlatform extends Construct {
  /** The stage this platform serves. */
  public readonly stage: string;
  /** The stateful part. */
  public readonly data: PlatformData;
  /** The stateless part. */
  public readonly service: PlatformService;

  constructor(scope: Construct, id: string, props: SecurityAssistantPlatformProps) {
    super(scope, id);
    this.data = new PlatformData(this, 'Data', props);
    this.service = new PlatformService(this, 'Service', { ...props, data: this.data });
    this.stage = this.data.stage;
  }

  /** The jobs table. */
  public get table(): dynamodb.ITable {
    return this.data.table;
  }

  /** Drawings and results. */
  public get bucket(): s3.IBucket {
    return this.data.bucket;
  }

  /** Jobs waiting for the processor. */
  public get queue(): sqs.IQueue {
    return this.data.queue;
  }

  /** Messages that failed three receives; drained by the dlq-processor. */
  public get deadLetterQueue(): sqs.IQueue {
    return this.data.deadLetterQueue;
  }

  /** Where failed jobs are announced. */
  public get alertTopic(): sns.ITopic {
    return this.data.alertTopic;
  }

  /** The REST API. */
  public get api(): apigateway.RestApi {
    return this.service.api;
  }

  /** The first caller's API key (clients send it in `x-api-key`); none under IAM auth. */
  public get apiKey(): apigateway.IApiKey | undefined {
    return this.service.apiKey;
  }

  /** Every caller's API key, by caller name. */
  public get apiKeys(): { [caller: string]: apigateway.IApiKey } {
    return this.service.apiKeys;
  }

  /** The shared layer built from `@security-assistant/layer-common`. */
  public get layer(): lambda.LayerVersion {
    return this.service.layer;
  }

  /** The functions, by name. */
  public get functions(): { [name: string]: lambda.Function } {
    return this.service.functions;
  }

  /** The `live` alias of every function, by name. */
  public get aliases(): { [name: string]: lambda.Alias } {
    return this.service.aliases;
  }

  /** The CodeDeploy deployment group of every function, by name. */
  public get deploymentGroups(): { [name: string]: codedeploy.LambdaDeploymentGroup } {
    return this.service.deploymentGroups;
  }
}
