import { ConfigError } from '@security-assistant/layer-common';
import {
  loadBakeLimits,
  loadSyntheticJobAliases,
  loadTargetFunctionArn,
  TARGET_FUNCTION_ALIAS_ARN,
  TARGET_FUNCTION_VERSION_ARN,
} from '../src/config';

const FUNCTION = 'arn:aws:lambda:eu-west-1:123456789012:function:security-assistant-dev-status';

describe('loadTargetFunctionArn', () => {
  it('returns a version ARN for TARGET_FUNCTION_VERSION_ARN', () => {
    const env = { TARGET_FUNCTION_VERSION_ARN: `${FUNCTION}:42` };
    expect(loadTargetFunctionArn(TARGET_FUNCTION_VERSION_ARN, env)).toBe(`${FUNCTION}:42`);
  });

  it('returns an alias ARN for TARGET_FUNCTION_ALIAS_ARN', () => {
    const env = { TARGET_FUNCTION_ALIAS_ARN: `${FUNCTION}:live` };
    expect(loadTargetFunctionArn(TARGET_FUNCTION_ALIAS_ARN, env)).toBe(`${FUNCTION}:live`);
  });

  it.each([
    ['missing', undefined],
    ['unqualified (would run $LATEST)', FUNCTION],
    ['$LATEST', `${FUNCTION}:$LATEST`],
    ['an alias instead of a version', `${FUNCTION}:live`],
    ['not an ARN', 'security-assistant-dev-status:3'],
  ])('fails with a ConfigError naming the variable when the version ARN is %s', (_, value) => {
    const load = () =>
      loadTargetFunctionArn(TARGET_FUNCTION_VERSION_ARN, { TARGET_FUNCTION_VERSION_ARN: value });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/TARGET_FUNCTION_VERSION_ARN must be a function version ARN \(given /);
  });

  it('fails when the alias ARN names a version', () => {
    expect(() =>
      loadTargetFunctionArn(TARGET_FUNCTION_ALIAS_ARN, {
        TARGET_FUNCTION_ALIAS_ARN: `${FUNCTION}:7`,
      }),
    ).toThrow(/TARGET_FUNCTION_ALIAS_ARN must be a function alias ARN \(given .*:7\)/);
  });
});

describe('loadBakeLimits', () => {
  it('defaults to 10 minutes and 10 %, with no latency limit', () => {
    expect(loadBakeLimits({})).toEqual({
      windowMinutes: 10,
      maxErrorRatePercent: 10,
      maxP99DurationMs: undefined,
    });
  });

  it('reads the limits from the environment and refuses what is not a positive number', () => {
    expect(
      loadBakeLimits({
        BAKE_MINUTES: '6',
        MAX_ERROR_RATE_PERCENT: '5',
        MAX_P99_DURATION_MS: '2000',
      }),
    ).toEqual({ windowMinutes: 6, maxErrorRatePercent: 5, maxP99DurationMs: 2000 });
    expect(() => loadBakeLimits({ MAX_P99_DURATION_MS: 'fast' })).toThrow(
      'MAX_P99_DURATION_MS must be a positive number (given fast)',
    );
    expect(() => loadBakeLimits({ BAKE_MINUTES: '0' })).toThrow(/BAKE_MINUTES must be a positive/);
  });
});

describe('loadSyntheticJobAliases', () => {
  it('is undefined when neither alias is set: this group runs no synthetic job', () => {
    expect(loadSyntheticJobAliases({})).toBeUndefined();
  });

  it('reads both alias ARNs, and refuses one alone or a version', () => {
    const submit = FUNCTION.replace('status', 'process-drawing') + ':live';
    expect(
      loadSyntheticJobAliases({
        SYNTHETIC_SUBMIT_FUNCTION_ARN: submit,
        SYNTHETIC_STATUS_FUNCTION_ARN: `${FUNCTION}:live`,
      }),
    ).toEqual({ submitFunctionArn: submit, statusFunctionArn: `${FUNCTION}:live` });
    expect(() => loadSyntheticJobAliases({ SYNTHETIC_SUBMIT_FUNCTION_ARN: submit })).toThrow(
      'SYNTHETIC_STATUS_FUNCTION_ARN must be a function alias ARN when either is set (given nothing)',
    );
    expect(() =>
      loadSyntheticJobAliases({
        SYNTHETIC_SUBMIT_FUNCTION_ARN: submit,
        SYNTHETIC_STATUS_FUNCTION_ARN: `${FUNCTION}:3`,
      }),
    ).toThrow(ConfigError);
  });
});
