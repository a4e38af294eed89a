import type { PlatformDataProps, PlatformServiceOptions } from '@security-assistant/constructs';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as logs from 'aws-cdk-lib/aws-logs';

export const STAGES = ['dev', 'staging', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

/** Every prop of the platform that CDK context can override, for one stage. */
export type PlatformOverrides = Omit<PlatformDataProps & PlatformServiceOptions, 'stage'> & {
  /** An existing alert topic, by ARN (the context form of `alertTopic`). */
  readonly alertTopicArn?: string;
};

/** One deployment of the platform: a data stack and a service stack. */
export interface EnvironmentConfig {
  readonly stage: Stage;
  /** The stack of the stateful part: table, bucket, queues, topic. */
  readonly dataStackName: string;
  /** The stack of the stateless part: layer, functions, API, deployments. */
  readonly serviceStackName: string;
  /** Preset overrides from CDK context (`security-assistant:<stage>`), if any. */
  readonly overrides: PlatformOverrides;
}

/** Reads a context value; the CDK App and tests both provide this. */
export type ContextReader = (key: string) => unknown;

/** The stack holding account-wide settings (API Gateway's CloudWatch role), one per account. */
export const ACCOUNT_STACK_NAME = 'SecurityAssistant-account';

/**
 * The three environments. Account and region are never named here: the CLI supplies them
 * from the caller's credentials at deploy time, and synthesis produces environment-agnostic
 * templates.
 *
 * Overrides come from context `security-assistant:<stage>`, an object or its JSON text (what
 * `cdk -c key=value` passes), e.g. `{"processorMemorySize":2048,"processorTimeout":"PT10M"}`.
 * Durations are ISO-8601 (`PT10M`) or seconds; `removalPolicy` is `destroy`, `retain` (kept unless its own
 * create rolls back), `retain-always` or `snapshot`; `logRetention` is a number of days CloudWatch offers; `deploymentConfig` names
 * a predefined `LambdaDeploymentConfig` (`CANARY_10PERCENT_5MINUTES`); `alertTopicArn` names
 * an existing topic; every other prop takes its plain JSON value.
 */
export function environments(context: ContextReader): EnvironmentConfig[] {
  return STAGES.map((stage) => {
    const key = `security-assistant:${stage}`;
    return {
      stage,
      dataStackName: `SecurityAssistant-${stage}-data`,
      serviceStackName: `SecurityAssistant-${stage}-service`,
      overrides: parseOverrides(key, context(key)),
    };
  });
}

type Parser = (value: unknown, describe: string) => unknown;

const number: Parser = (v, d) => {
  if (typeof v !== 'number') throw new Error(`${d} must be a number`);
  return v;
};
const string: Parser = (v, d) => {
  if (typeof v !== 'string') throw new Error(`${d} must be a string`);
  return v;
};
const boolean: Parser = (v, d) => {
  if (typeof v !== 'boolean') throw new Error(`${d} must be true or false`);
  return v;
};
const duration: Parser = (v, d) => {
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return Duration.seconds(v);
  if (typeof v === 'string' && /^P(?!$)/.test(v)) {
    try {
      return Duration.parse(v);
    } catch {
      // fall through to the error below
    }
  }
  throw new Error(`${d} must be an ISO-8601 duration such as "PT10M" or a number of seconds`);
};
const REMOVAL_POLICIES: Record<string, RemovalPolicy> = {
  destroy: RemovalPolicy.DESTROY,
  // kept, except when the create that made it rolls back (a retry then finds no name taken)
  retain: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
  // kept even after a rolled-back create: a retry fails until it is removed by hand
  'retain-always': RemovalPolicy.RETAIN,
  snapshot: RemovalPolicy.SNAPSHOT,
};
const removalPolicy: Parser = (v, d) => {
  const policy = typeof v === 'string' ? REMOVAL_POLICIES[v.toLowerCase()] : undefined;
  if (!policy) throw new Error(`${d} must be one of ${Object.keys(REMOVAL_POLICIES).join(', ')}`);
  return policy;
};
const retention: Parser = (v, d) => {
  const days = Object.values(logs.RetentionDays).filter((x) => typeof x === 'number');
  if (typeof v !== 'number' || !days.includes(v)) {
    throw new Error(`${d} must be a number of days CloudWatch Logs offers (${days.join(', ')})`);
  }
  return v as logs.RetentionDays;
};
/** The predefined configurations, by the name `LambdaDeploymentConfig` gives each. */
const DEPLOYMENT_CONFIGS = [
  'ALL_AT_ONCE',
  'CANARY_10PERCENT_5MINUTES',
  'CANARY_10PERCENT_10MINUTES',
  'CANARY_10PERCENT_15MINUTES',
  'CANARY_10PERCENT_30MINUTES',
  'LINEAR_10PERCENT_EVERY_1MINUTE',
  'LINEAR_10PERCENT_EVERY_2MINUTES',
  'LINEAR_10PERCENT_EVERY_3MINUTES',
  'LINEAR_10PERCENT_EVERY_10MINUTES',
];
const deploymentConfig: Parser = (v, d) => {
  if (typeof v !== 'string' || !DEPLOYMENT_CONFIGS.includes(v)) {
    throw new Error(`${d} must name a LambdaDeploymentConfig: ${DEPLOYMENT_CONFIGS.join(', ')}`);
  }
  return (codedeploy.LambdaDeploymentConfig as unknown as Record<string, unknown>)[v];
};

/** Every overridable prop and how its context value becomes the prop's value. */
const PARSERS: Record<keyof PlatformOverrides, Parser> = {
  namePrefix: string,
  removalPolicy,
  logRetention: retention,
  processorTimeout: duration,
  pointInTimeRecovery: boolean,
  bucketVersioned: boolean,
  queueVisibilityTimeout: duration,
  alertTopic: () => {
    throw new Error('give alertTopicArn (a topic ARN) in context, not alertTopic');
  },
  alertTopicArn: string,
  apiMemorySize: number,
  processorMemorySize: number,
  provisionedConcurrency: number,
  deploymentConfig,
  maxUploadBytes: number,
  maxDrawingSizeBytes: number,
  modelApiKeyParameterName: string,
  analyser: string,
  modelName: string,
  tagVocabulary: (v, d) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      throw new Error(`${d} must be an object of tag prefix to component type`);
    }
    return v;
  },
  sourceMaps: boolean,
  callers: (v, d) => {
    if (
      !Array.isArray(v) ||
      !v.every((c) => typeof c === 'object' && c !== null && !Array.isArray(c))
    ) {
      throw new Error(`${d} must be a list of callers, e.g. [{"name":"team-a"}]`);
    }
    return v;
  },
  authorization: string,
  waf: boolean,
  wafRateLimit: number,
  layerCommonDirectory: string,
  apiGatewayCloudWatchRole: boolean,
  alarmLevel: string,
  monthlyBudgetUsd: number,
  costAnomalyDetection: boolean,
  costAnomalyMonitorArn: string,
  processorMaxConcurrency: number,
  syntheticJob: boolean,
  slack: (v, d) => {
    const keys = ['workspaceId', 'channelId', 'webhookUrlParameterName'];
    if (
      typeof v !== 'object' ||
      v === null ||
      Array.isArray(v) ||
      !Object.entries(v).every(([k, x]) => keys.includes(k) && typeof x === 'string')
    ) {
      throw new Error(`${d} must be an object of strings: ${keys.join(', ')}`);
    }
    return v;
  },
  notificationEmails: (v, d) => {
    if (
      !Array.isArray(v) ||
      !v.every((e) => typeof e === 'string' && /^[^@\s]+@[^@\s]+$/.test(e))
    ) {
      throw new Error(`${d} must be a list of email addresses`);
    }
    return v;
  },
};

/** Turns the context value of `key` into platform props, or says exactly what is wrong. */
export function parseOverrides(key: string, raw: unknown): PlatformOverrides {
  let value = raw ?? {};
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw new Error(`context ${key} must be a JSON object of preset overrides (given ${raw})`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(
      `context ${key} must be an object of preset overrides (given ${JSON.stringify(raw)})`,
    );
  }
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(value)) {
    const parse = PARSERS[name as keyof PlatformOverrides];
    if (!parse) {
      throw new Error(
        `context ${key} has an unknown prop '${name}' (known: ${Object.keys(PARSERS).sort().join(', ')})`,
      );
    }
    out[name] = parse(v, `context ${key}.${name} (given ${JSON.stringify(v)})`);
  }
  return out as PlatformOverrides;
}
