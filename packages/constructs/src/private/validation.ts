import { Duration, Token } from 'aws-cdk-lib';
import type { PlatformBaseProps, PlatformDataProps } from '../platform-data';
import type { PlatformServiceOptions } from '../platform-service-props';
import { STAGE_PRESETS, STAGES, Stage, StagePreset, isStage } from './presets';

const MAX_LAMBDA_TIMEOUT = Duration.minutes(15);
const MAX_VISIBILITY_TIMEOUT = Duration.hours(12);
/** API Gateway's 10 MB payload limit, less the base64 overhead of a binary body. */
const MAX_API_UPLOAD_BYTES = Math.floor((10 * 1024 * 1024 * 3) / 4);
/** Function names are `<prefix>-<function>-pre-traffic` and must fit Lambda's 64 characters. */
const NAME_PREFIX = /^[a-z][a-z0-9-]{0,37}$/;
const ANALYSERS = ['offline', 'gemini'];

/** What the base props settle: the stage, its preset and the name prefix. */
export interface BaseSettings {
  readonly stage: Stage;
  readonly preset: StagePreset;
  readonly namePrefix: string;
}

/**
 * Rejects props that cannot deploy, at synth time, saying what was given. Unresolved tokens
 * are skipped: their value is only known at deploy time.
 */
export function validateBaseProps(props: PlatformBaseProps): BaseSettings {
  if (typeof props.stage !== 'string' || !isStage(props.stage)) {
    throw new Error(`stage must be one of ${STAGES.join(', ')} (given '${props.stage}')`);
  }
  const namePrefix = props.namePrefix ?? `security-assistant-${props.stage}`;
  if (!Token.isUnresolved(namePrefix) && !NAME_PREFIX.test(namePrefix)) {
    throw new Error(
      `namePrefix must be 1 to 38 lowercase letters, digits or hyphens, starting with a letter (given '${namePrefix}')`,
    );
  }
  const timeout = props.processorTimeout;
  if (timeout && !timeout.isUnresolved()) {
    if (timeout.toSeconds() > MAX_LAMBDA_TIMEOUT.toSeconds()) {
      throw new Error(
        `processorTimeout must be at most 15 minutes (given ${timeout.toHumanString()})`,
      );
    }
    if (timeout.toSeconds() < 1) {
      throw new Error(
        `processorTimeout must be at least 1 second (given ${timeout.toHumanString()})`,
      );
    }
  }
  return { stage: props.stage, preset: STAGE_PRESETS[props.stage], namePrefix };
}

/** Checks the stateful part's own props. */
export function validateDataProps(props: PlatformDataProps): void {
  const visibility = props.queueVisibilityTimeout;
  if (visibility && !visibility.isUnresolved()) {
    if (visibility.toSeconds() > MAX_VISIBILITY_TIMEOUT.toSeconds()) {
      throw new Error(
        `queueVisibilityTimeout must be at most 12 hours (given ${visibility.toHumanString()})`,
      );
    }
    const floor = props.processorTimeout ?? STAGE_PRESETS[props.stage as Stage].processorTimeout;
    if (!floor.isUnresolved() && visibility.toSeconds() < floor.toSeconds()) {
      throw new Error(
        `queueVisibilityTimeout must be at least processorTimeout (given ${visibility.toHumanString()} < ${floor.toHumanString()})`,
      );
    }
  }
}

/** Checks the stateless part's own props. */
export function validateServiceProps(props: PlatformServiceOptions): void {
  checkInteger('apiMemorySize', props.apiMemorySize, 128, 10240);
  checkInteger('processorMemorySize', props.processorMemorySize, 128, 10240);
  checkInteger('provisionedConcurrency', props.provisionedConcurrency, 0, 1000);
  // the bounds SQS event sources accept
  checkInteger('processorMaxConcurrency', props.processorMaxConcurrency, 2, 1000);
  const monitor = props.costAnomalyMonitorArn;
  if (
    monitor !== undefined &&
    !Token.isUnresolved(monitor) &&
    !/^arn:aws[\w-]*:ce::\d{12}:anomalymonitor\/[\w-]+$/.test(monitor)
  ) {
    throw new Error(
      `costAnomalyMonitorArn must be an anomaly monitor ARN like arn:aws:ce::<account>:anomalymonitor/<id> (given '${monitor}')`,
    );
  }
  checkInteger('maxUploadBytes', props.maxUploadBytes, 1, MAX_API_UPLOAD_BYTES);
  // a single presigned PUT may carry up to 5 GB
  checkInteger('maxDrawingSizeBytes', props.maxDrawingSizeBytes, 1, 5 * 1024 ** 3);
  const parameter = props.modelApiKeyParameterName;
  if (
    parameter !== undefined &&
    !Token.isUnresolved(parameter) &&
    !/^\/[\w./-]+$/.test(parameter)
  ) {
    throw new Error(
      `modelApiKeyParameterName must be an absolute SSM parameter name like /a/b (given '${parameter}')`,
    );
  }
  const analyser = props.analyser;
  if (analyser !== undefined && !ANALYSERS.includes(analyser)) {
    throw new Error(`analyser must be one of ${ANALYSERS.join(', ')} (given '${analyser}')`);
  }
  const model = props.modelName;
  if (model !== undefined && !Token.isUnresolved(model) && !/^[\w.-]+$/.test(model)) {
    throw new Error(`modelName must be a model name like gemini-2.5-flash (given '${model}')`);
  }
  validateCallers(props);
  checkInteger('wafRateLimit', props.wafRateLimit, 10, 2_000_000_000);
  for (const [prefix, type] of Object.entries(props.tagVocabulary ?? {})) {
    if (!/^[A-Z]{1,5}$/.test(prefix) || !/^[a-z][a-z0-9_]{0,39}$/.test(String(type))) {
      throw new Error(
        `tagVocabulary maps a tag prefix of 1-5 capital letters to a snake_case component ` +
          `type, like { ACR: 'card_reader' } (given ${JSON.stringify(prefix)}: ${JSON.stringify(type)})`,
      );
    }
  }
  const slack = props.slack;
  if (slack) {
    const chatbot = slack.workspaceId !== undefined || slack.channelId !== undefined;
    const webhook = slack.webhookUrlParameterName !== undefined;
    if (chatbot === webhook || (chatbot && !(slack.workspaceId && slack.channelId))) {
      throw new Error(
        'slack needs either workspaceId and channelId (AWS Chatbot) or webhookUrlParameterName (an SSM SecureString holding a webhook URL), not both',
      );
    }
    const name = slack.webhookUrlParameterName;
    if (name !== undefined && !Token.isUnresolved(name) && !/^\/[\w./-]+$/.test(name)) {
      throw new Error(
        `slack.webhookUrlParameterName must be an absolute SSM parameter name like /a/b (given '${name}')`,
      );
    }
  }
}

function checkInteger(name: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer between ${min} and ${max} (given ${value})`);
  }
}

const AUTHORIZATIONS = ['apiKey', 'iam'];

/** Callers: unique names, limits the usage plans accept, and principals only under IAM. */
function validateCallers(props: PlatformServiceOptions): void {
  const authorization = props.authorization ?? 'apiKey';
  if (!AUTHORIZATIONS.includes(authorization)) {
    throw new Error(
      `authorization must be one of ${AUTHORIZATIONS.join(', ')} (given '${authorization}')`,
    );
  }
  const seen = new Set<string>();
  for (const caller of props.callers ?? []) {
    const name = caller.name;
    if (typeof name !== 'string' || !/^[a-z0-9][a-z0-9-]{0,39}$/.test(name)) {
      throw new Error(
        `callers: a caller's name is lower-case letters, digits and dashes, at most 40 (given '${name}')`,
      );
    }
    if (name === 'synthetic') {
      throw new Error(
        "callers: 'synthetic' is the post-traffic hook's own caller; name yours otherwise",
      );
    }
    if (seen.has(name)) throw new Error(`callers: '${name}' is named twice`);
    seen.add(name);
    checkInteger(`callers.${name}.rateLimit`, caller.rateLimit, 1, 10_000);
    checkInteger(`callers.${name}.burstLimit`, caller.burstLimit, 1, 5_000);
    checkInteger(`callers.${name}.quotaPerDay`, caller.quotaPerDay, 1, 1_000_000_000);
    const versions = caller.keyVersions;
    if (
      versions !== undefined &&
      (versions.length < 1 ||
        versions.length > 2 ||
        new Set(versions).size !== versions.length ||
        !versions.every((v) => Number.isInteger(v) && v >= 1 && v <= 1000))
    ) {
      throw new Error(
        `callers.${name}.keyVersions must be one or two distinct whole numbers from 1 (given ${JSON.stringify(versions)})`,
      );
    }
    const principals = caller.principalArns ?? [];
    if (authorization === 'iam') {
      if (principals.length === 0) {
        throw new Error(`callers: '${name}' needs principalArns under authorization 'iam'`);
      }
      for (const arn of principals) {
        if (!Token.isUnresolved(arn) && !/^arn:aws[\w-]*:iam::\d{12}:(user|role)\/.+$/.test(arn)) {
          throw new Error(
            `callers: '${name}' principal must be an IAM user or role ARN (given '${arn}')`,
          );
        }
      }
    } else if (principals.length > 0) {
      throw new Error(`callers: '${name}' has principalArns, which only authorization 'iam' uses`);
    }
  }
  if (authorization === 'iam' && !props.callers?.length) {
    throw new Error(
      "authorization 'iam' needs callers, each with the principalArns that act for it",
    );
  }
}
