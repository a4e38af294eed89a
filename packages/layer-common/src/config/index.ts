import { ConfigError } from '../errors';

export const STAGES = ['dev', 'staging', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

/** Every setting a function can read from its environment, typed. */
export interface PlatformConfig {
  /** `STAGE`: the deployment environment. */
  readonly stage: Stage;
  /** `SERVICE_VERSION`: the platform release, reported by `/health`. */
  readonly serviceVersion: string;
  /** `TABLE_NAME`: the jobs table. */
  readonly tableName: string;
  /** `BUCKET_NAME`: the drawings and results bucket. */
  readonly bucketName: string;
  /** `QUEUE_URL`: the processing queue. */
  readonly queueUrl: string;
  /** `ALERT_TOPIC_ARN`: where failures are published. */
  readonly alertTopicArn: string;
  /** `MODEL_API_KEY_PARAMETER`: SSM SecureString name of the model API key. */
  readonly modelApiKeyParameter: string;
  /** `MAX_UPLOAD_BYTES`: the largest drawing accepted through the API. */
  readonly maxUploadBytes: number;
  /** `ANALYSER`: `offline` reads the PDF text layer, `gemini` calls the model. */
  readonly analyser: 'offline' | 'gemini';
  /** `AWS_ENDPOINT_URL` is set: talking to an emulator, so S3 needs path-style URLs. */
  readonly s3ForcePathStyle: boolean;
}

type Parsers = { [K in keyof PlatformConfig]: (env: NodeJS.ProcessEnv) => PlatformConfig[K] };

const required = (name: string) => (env: NodeJS.ProcessEnv) => {
  const value = env[name];
  if (!value) {
    throw new ConfigError(`environment variable ${name} is required but not set`);
  }
  return value;
};

const oneOf =
  <T extends string>(name: string, allowed: readonly T[], fallback?: T) =>
  (env: NodeJS.ProcessEnv): T => {
    const value = env[name] ?? fallback;
    if (!value || !allowed.includes(value as T)) {
      throw new ConfigError(
        `${name} must be one of ${allowed.join(', ')} (given ${value ?? 'nothing'})`,
      );
    }
    return value as T;
  };

const PARSERS: Parsers = {
  stage: oneOf('STAGE', STAGES),
  serviceVersion: (env) => env.SERVICE_VERSION ?? '0.0.0',
  tableName: required('TABLE_NAME'),
  bucketName: required('BUCKET_NAME'),
  queueUrl: required('QUEUE_URL'),
  alertTopicArn: required('ALERT_TOPIC_ARN'),
  modelApiKeyParameter: required('MODEL_API_KEY_PARAMETER'),
  maxUploadBytes: (env) => {
    const raw = env.MAX_UPLOAD_BYTES ?? String(4 * 1024 * 1024);
    const value = Number(raw);
    if (!Number.isInteger(value) || value <= 0) {
      throw new ConfigError(`MAX_UPLOAD_BYTES must be a positive integer (given ${raw})`);
    }
    return value;
  },
  analyser: oneOf('ANALYSER', ['offline', 'gemini'] as const, 'offline'),
  s3ForcePathStyle: (env) => Boolean(env.AWS_ENDPOINT_URL),
};

/**
 * Reads the named settings from the environment, failing fast with a ConfigError that
 * names the variable when one is missing or malformed.
 *
 * @example
 * const config = loadConfig(['tableName', 'bucketName']);
 */
export function loadConfig<K extends keyof PlatformConfig>(
  keys: readonly K[],
  env: NodeJS.ProcessEnv = process.env,
): Pick<PlatformConfig, K> {
  const config = {} as Pick<PlatformConfig, K>;
  for (const key of keys) {
    config[key] = PARSERS[key](env) as PlatformConfig[K];
  }
  return config;
}
