import { ConfigError, type PlatformConfig } from '@security-assistant/layer-common';
import { getSecureParameter } from '@security-assistant/layer-common/parameters';
import { vocabularyFrom } from '../domain/components';
import type { DrawingAnalyser } from '../ports';
import { GEMINI_DEFAULT_BASE_URL, GeminiAnalyser } from './gemini-analyser';
import { OfflineTextAnalyser } from './offline-text-analyser';

/** The model when `MODEL_NAME` is not set (the construct's `modelName` prop). */
export const DEFAULT_MODEL = 'gemini-2.5-flash';

/**
 * The analyser `ANALYSER` names. For `gemini`: the key is the SSM SecureString
 * `MODEL_API_KEY_PARAMETER` names, read through Powertools Parameters (cached five minutes);
 * `MODEL_NAME` is the model and `GEMINI_BASE_URL` the endpoint (the public one by default).
 * For `offline`: `TAG_VOCABULARY` extends the tag prefixes it knows.
 */
export function createAnalyser(
  config: Pick<PlatformConfig, 'analyser'> & { modelApiKeyParameter?: string },
  env: NodeJS.ProcessEnv = process.env,
): DrawingAnalyser {
  if (config.analyser === 'offline') {
    try {
      return new OfflineTextAnalyser(vocabularyFrom(env.TAG_VOCABULARY));
    } catch (err) {
      throw new ConfigError((err as Error).message);
    }
  }
  const parameter = config.modelApiKeyParameter;
  if (!parameter) {
    throw new ConfigError('ANALYSER=gemini needs MODEL_API_KEY_PARAMETER (the SSM key name)');
  }
  const model = env.MODEL_NAME || DEFAULT_MODEL;
  if (!/^[\w.-]+$/.test(model)) {
    throw new ConfigError(`MODEL_NAME must be a model name like ${DEFAULT_MODEL} (given ${model})`);
  }
  const baseUrl = env.GEMINI_BASE_URL || GEMINI_DEFAULT_BASE_URL;
  if (!/^https?:\/\/[^\s/]+/.test(baseUrl)) {
    throw new ConfigError(`GEMINI_BASE_URL must be an http(s) URL (given ${baseUrl})`);
  }
  return new GeminiAnalyser({ model, baseUrl, apiKey: () => getSecureParameter(parameter) });
}
