import { Duration, Token } from 'aws-cdk-lib';
import { STAGE_PRESETS, STAGES } from '../presets';
import type { SecurityAssistantPlatformProps } from '../security-assistant-platform';

const MAX_LAMBDA_TIMEOUT = Duration.minutes(15);
const MAX_VISIBILITY_TIMEOUT = Duration.hours(12);
/** API Gateway's 10 MB payload limit, less the base64 overhead of a binary body. */
const MAX_API_UPLOAD_BYTES = Math.floor((10 * 1024 * 1024 * 3) / 4);

/**
 * Rejects props that cannot deploy, at synth time, saying what was given. Unresolved tokens
 * are skipped: their value is only known at deploy time.
 */
export function validatePlatformProps(props: SecurityAssistantPlatformProps): void {
  if (!STAGES.includes(props.stage)) {
    throw new Error(`stage must be one of ${STAGES.join(', ')} (given '${props.stage}')`);
  }
  checkInteger('apiMemorySize', props.apiMemorySize, 128, 10240);
  checkInteger('processorMemorySize', props.processorMemorySize, 128, 10240);
  checkInteger('provisionedConcurrency', props.provisionedConcurrency, 0, 1000);
  checkInteger('maxUploadBytes', props.maxUploadBytes, 1, MAX_API_UPLOAD_BYTES);

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
  const visibility = props.queueVisibilityTimeout;
  if (visibility && !visibility.isUnresolved()) {
    if (visibility.toSeconds() > MAX_VISIBILITY_TIMEOUT.toSeconds()) {
      throw new Error(
        `queueVisibilityTimeout must be at most 12 hours (given ${visibility.toHumanString()})`,
      );
    }
    const floor = timeout ?? STAGE_PRESETS[props.stage].processorTimeout;
    if (!floor.isUnresolved() && visibility.toSeconds() < floor.toSeconds()) {
      throw new Error(
        `queueVisibilityTimeout must be at least processorTimeout (given ${visibility.toHumanString()} < ${floor.toHumanString()})`,
      );
    }
  }
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
}

function checkInteger(name: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer between ${min} and ${max} (given ${value})`);
  }
}
